import LinearAlgebra

/// Dense affine map `y = W x + b` with `W` of shape `outputSize x inputSize` (ONNX Gemm, MatMul
/// with a constant operand, and a following constant Add folded into `b`).
public struct Affine: LinearOperator, SinglePrecisionPullBack, ParameterCounting {
    public let weight: Matrix
    public let bias: [Double]
    /// `|W|`, kept for interval propagation; `max(W, 0)` and `min(W, 0)` for forward linear bounds.
    let absWeight: Matrix
    let positiveWeight: Matrix
    let negativeWeight: Matrix
    /// `W` rounded to `Float`, for pull-backs in single precision.
    let singleWeight: SingleMatrix

    public init(weight: Matrix, bias: [Double]? = nil) {
        precondition(bias == nil || bias!.count == weight.rows, "Affine: bias length \(bias!.count) for \(weight.rows) outputs")
        self.weight = weight
        self.bias = bias ?? [Double](repeating: 0, count: weight.rows)
        self.absWeight = weight.map(abs)
        self.positiveWeight = weight.map { max($0, 0) }
        self.negativeWeight = weight.map { min($0, 0) }
        self.singleWeight = SingleMatrix(weight)
    }

    public var kind: String { "Affine" }
    public var arity: Int { 1 }
    public var inputSize: Int { weight.cols }
    public var outputSize: Int { weight.rows }
    public var parameterCount: Int { weight.data.count + bias.count }

    public func forward(_ inputs: [Matrix]) -> Matrix {
        var y = inputs[0].multiplied(by: weight, transposeOther: true)
        y.addToEachRow(bias)
        return y
    }

    public func gradient(inputs: [Matrix], output: Matrix, outputGradient: Matrix) -> [Matrix] {
        [outputGradient * weight]
    }

    /// Centre–radius form: centre `W c + b`, radius `|W| r`.
    public func interval(_ inputs: [IntervalMatrix]) -> IntervalMatrix {
        let x = inputs[0]
        var centre = x.lower, radius = x.lower
        for i in 0..<centre.data.count {
            centre.data[i] = 0.5 * (x.lower.data[i] + x.upper.data[i])
            radius.data[i] = 0.5 * (x.upper.data[i] - x.lower.data[i])
        }
        var c = centre.multiplied(by: weight, transposeOther: true)
        c.addToEachRow(bias)
        let r = radius.multiplied(by: absWeight, transposeOther: true)
        var lower = c, upper = c
        lower.add(r, scale: -1)
        upper.add(r)
        return IntervalMatrix(lower: lower, upper: upper)
    }

    public var offset: [Double] { bias }

    public func pushForward(lower: [Matrix], upper: [Matrix]) -> (lower: Matrix, upper: Matrix) {
        var lo = positiveWeight * lower[0], hi = positiveWeight * upper[0]
        lo.add(negativeWeight * upper[0])
        hi.add(negativeWeight * lower[0])
        return (lo, hi)
    }

    public func pullBack(_ coefficients: Matrix) -> (inputs: [Matrix], constant: [Double]) {
        let b = Matrix(rows: bias.count, cols: 1, data: bias)
        return ([coefficients * weight], (coefficients * b).data)
    }

    public func pullBackInSingle(_ coefficients: Matrix) -> (inputs: [Matrix], constant: [Double])? {
        guard let product = coefficients.multipliedInSingle(by: singleWeight) else { return nil }
        let b = Matrix(rows: bias.count, cols: 1, data: bias)
        return ([product], (coefficients * b).data)
    }
}
