import LinearAlgebra

/// Lower and upper bounds of a batch of flat vectors: one row per vector, `lower <= upper` elementwise.
public struct IntervalMatrix: Sendable, Equatable {
    public var lower: Matrix
    public var upper: Matrix

    public init(lower: Matrix, upper: Matrix) {
        precondition(lower.rows == upper.rows && lower.cols == upper.cols, "IntervalMatrix: shapes differ")
        self.lower = lower
        self.upper = upper
    }

    public var rows: Int { lower.rows }
    public var cols: Int { lower.cols }
}

/// One operator of the graph IR: a function of one or more flat input vectors (row-major
/// flattening of the ONNX tensors; a batch dimension of 1 does not change it) to one flat output vector.
///
/// Every operator knows how to evaluate a batch (one row per sample), how to pull a gradient back
/// to its inputs, and how to map interval bounds soundly. Bound propagation additionally needs
/// either ``LinearOperator`` (exact affine maps) or ``ElementwiseActivation`` (scalar nonlinearity
/// with a linear relaxation).
public protocol Operator: Sendable {
    /// Short name of the IR operator (for messages and `nnverify info`).
    var kind: String { get }
    /// Number of input values.
    var arity: Int { get }
    /// Flat output size for the given flat input sizes; the loader checks shapes before building.
    var outputSize: Int { get }
    /// Batched evaluation: `inputs[i]` is `batch x inputSize_i`; the result is `batch x outputSize`.
    func forward(_ inputs: [Matrix]) -> Matrix
    /// Vector–Jacobian product: gradients with respect to each input, given the gradient with
    /// respect to the output (`batch x outputSize`) at the evaluation point `inputs`.
    func gradient(inputs: [Matrix], output: Matrix, outputGradient: Matrix) -> [Matrix]
    /// Sound interval image: for every point inside `inputs`, the output lies inside the result.
    func interval(_ inputs: [IntervalMatrix]) -> IntervalMatrix
}

/// An affine operator `y = Σ_i J_i x_i + b`.
public protocol LinearOperator: Operator {
    /// Pulls coefficients back through the map: given `A` (`r x outputSize`) acting on the output,
    /// returns `A J_i` (`r x inputSize_i`) for every input and the constant `A b` (`r` values).
    func pullBack(_ coefficients: Matrix) -> (inputs: [Matrix], constant: [Double])
    /// Pushes linear bounds forward through the linear part `Σ_i J_i x_i` (the constant `b` is
    /// ``offset``). Input `i` comes as `lower[i]`, `upper[i]` of shape `inputSize_i x K`: column
    /// `k` of row `j` is a coefficient of a linear function bounding `x_i[j]` from below (above).
    /// Returns `outputSize x K` lower and upper coefficient blocks (positive parts of `J_i` take the
    /// same side, negative parts the other).
    func pushForward(lower: [Matrix], upper: [Matrix]) -> (lower: Matrix, upper: Matrix)
    /// The constant term `b` of the map (`outputSize` values).
    var offset: [Double] { get }
}

/// A linear operator with one input whose pull-back's coefficient part is the single matrix product
/// `A·J`, which bound propagation may compute in single precision (`cblas_sgemm`) and account for by
/// its own rounding ledger (Bounds: `RoundingError.singleProductError`).
public protocol SinglePrecisionPullBack: LinearOperator {
    /// ``LinearOperator/pullBack(_:)`` with `A·J` from `A` and `J` rounded to `Float` and multiplied in
    /// single precision (the inner dimension is ``Operator/outputSize``); the constant `A·b` stays in
    /// double. Nil when the single-precision product is not finite (then use ``LinearOperator/pullBack(_:)``).
    func pullBackInSingle(_ coefficients: Matrix) -> (inputs: [Matrix], constant: [Double])?
}
