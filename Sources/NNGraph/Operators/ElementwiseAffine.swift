import LinearAlgebra

/// Elementwise affine map `y_j = scale_j · x_j + shift_j` (ONNX Add, Sub, Mul, Div with a constant
/// operand, broadcast to the full tensor; BatchNormalization at inference has this form too).
public struct ElementwiseAffine: LinearOperator, ParameterCounting {
    public let scale: [Double]
    public let shift: [Double]

    public init(scale: [Double], shift: [Double]) {
        precondition(scale.count == shift.count, "ElementwiseAffine: scale and shift lengths differ")
        self.scale = scale
        self.shift = shift
    }

    public var kind: String { "ElementwiseAffine" }
    public var arity: Int { 1 }
    public var outputSize: Int { scale.count }
    public var parameterCount: Int { scale.count + shift.count }

    public func forward(_ inputs: [Matrix]) -> Matrix {
        var y = inputs[0]
        let n = scale.count
        for r in 0..<y.rows {
            for j in 0..<n { y.data[r * n + j] = y.data[r * n + j] * scale[j] + shift[j] }
        }
        return y
    }

    public func gradient(inputs: [Matrix], output: Matrix, outputGradient: Matrix) -> [Matrix] {
        [scaledColumns(outputGradient)]
    }

    public func interval(_ inputs: [IntervalMatrix]) -> IntervalMatrix {
        let a = forward([inputs[0].lower]), b = forward([inputs[0].upper])
        var lower = a, upper = b
        for i in 0..<a.data.count where a.data[i] > b.data[i] {
            lower.data[i] = b.data[i]
            upper.data[i] = a.data[i]
        }
        return IntervalMatrix(lower: lower, upper: upper)
    }

    public var offset: [Double] { shift }

    public func pushForward(lower: [Matrix], upper: [Matrix]) -> (lower: Matrix, upper: Matrix) {
        var lo = lower[0], hi = upper[0]
        let k = lo.cols
        for j in 0..<scale.count {
            let s = scale[j]
            for c in 0..<k {
                let (l, u) = (lower[0].data[j * k + c], upper[0].data[j * k + c])
                lo.data[j * k + c] = s >= 0 ? s * l : s * u
                hi.data[j * k + c] = s >= 0 ? s * u : s * l
            }
        }
        return (lo, hi)
    }

    public func pullBack(_ coefficients: Matrix) -> (inputs: [Matrix], constant: [Double]) {
        let n = scale.count
        var constant = [Double](repeating: 0, count: coefficients.rows)
        for r in 0..<coefficients.rows {
            var s = 0.0
            for j in 0..<n { s += coefficients.data[r * n + j] * shift[j] }
            constant[r] = s
        }
        return ([scaledColumns(coefficients)], constant)
    }

    private func scaledColumns(_ m: Matrix) -> Matrix {
        var out = m
        let n = scale.count
        for r in 0..<m.rows { for j in 0..<n { out.data[r * n + j] *= scale[j] } }
        return out
    }
}
