import LinearAlgebra

/// Weighted sum of values of equal size, `y = Σ_i w_i x_i` (ONNX Add or Sub of two computed
/// tensors, e.g. a residual connection).
public struct LinearCombination: LinearOperator {
    public let weights: [Double]
    public let outputSize: Int

    public init(weights: [Double], size: Int) {
        self.weights = weights
        self.outputSize = size
    }

    public var kind: String { "LinearCombination" }
    public var arity: Int { weights.count }

    public func forward(_ inputs: [Matrix]) -> Matrix {
        var y = Matrix(rows: inputs[0].rows, cols: outputSize)
        for (w, x) in zip(weights, inputs) { y.add(x, scale: w) }
        return y
    }

    public func gradient(inputs: [Matrix], output: Matrix, outputGradient: Matrix) -> [Matrix] {
        weights.map { w in outputGradient.map { $0 * w } }
    }

    public func interval(_ inputs: [IntervalMatrix]) -> IntervalMatrix {
        var lower = Matrix(rows: inputs[0].rows, cols: outputSize), upper = lower
        for (w, x) in zip(weights, inputs) {
            lower.add(w >= 0 ? x.lower : x.upper, scale: w)
            upper.add(w >= 0 ? x.upper : x.lower, scale: w)
        }
        return IntervalMatrix(lower: lower, upper: upper)
    }

    public var offset: [Double] { [Double](repeating: 0, count: outputSize) }

    public func pushForward(lower: [Matrix], upper: [Matrix]) -> (lower: Matrix, upper: Matrix) {
        var lo = Matrix(rows: outputSize, cols: lower[0].cols), hi = lo
        for (i, w) in weights.enumerated() {
            lo.add(w >= 0 ? lower[i] : upper[i], scale: w)
            hi.add(w >= 0 ? upper[i] : lower[i], scale: w)
        }
        return (lo, hi)
    }

    public func pullBack(_ coefficients: Matrix) -> (inputs: [Matrix], constant: [Double]) {
        (weights.map { w in coefficients.map { $0 * w } }, [Double](repeating: 0, count: coefficients.rows))
    }
}
