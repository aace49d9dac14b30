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

/// Sound linear bounds of a scalar function on an interval:
/// `lowerSlope·x + lowerIntercept <= f(x) <= upperSlope·x + upperIntercept` for all x in [l, u].
public struct LinearRelaxation: Sendable, Equatable {
    public var lowerSlope: Double
    public var lowerIntercept: Double
    public var upperSlope: Double
    public var upperIntercept: Double

    public init(lowerSlope: Double, lowerIntercept: Double, upperSlope: Double, upperIntercept: Double) {
        self.lowerSlope = lowerSlope
        self.lowerIntercept = lowerIntercept
        self.upperSlope = upperSlope
        self.upperIntercept = upperIntercept
    }
}

/// A scalar nonlinearity applied elementwise, `y_j = f(x_j)`, monotone non-decreasing.
public protocol ElementwiseActivation: Operator {
    func value(_ x: Double) -> Double
    func derivative(_ x: Double) -> Double
    /// A sound linear relaxation of `f` on `[lower, upper]` (see ``LinearRelaxation``).
    func relaxation(lower: Double, upper: Double) -> LinearRelaxation
    /// ``relaxation(lower:upper:)`` for many neurons at once (bound propagation calls this; an
    /// operator may override it with a faster loop).
    func relaxations(lower: [Double], upper: [Double]) -> RelaxationArrays
    /// How many alternative sound relaxations the operator offers (1 when there is only the default).
    var relaxationVariants: Int { get }
    /// Relaxation `variant` (0 ..< ``relaxationVariants``); variant 0 is ``relaxations(lower:upper:)``.
    func relaxations(lower: [Double], upper: [Double], variant: Int) -> RelaxationArrays
    /// A point `t` such that the relaxation is exact, whatever the bounds, for every neuron whose
    /// interval lies on one side of `t` (ReLU: 0); nil when there is none (sigmoid, tanh). Bound
    /// propagation then refines only the neurons whose interval straddles `t`.
    var stableSplit: Double? { get }
}

/// Relaxation lines of many neurons, one entry per neuron (see ``LinearRelaxation``).
public struct RelaxationArrays: Sendable {
    public var lowerSlope: [Double]
    public var lowerIntercept: [Double]
    public var upperSlope: [Double]
    public var upperIntercept: [Double]

    public init(count: Int) {
        lowerSlope = [Double](repeating: 0, count: count)
        lowerIntercept = lowerSlope
        upperSlope = lowerSlope
        upperIntercept = lowerSlope
    }
}

extension ElementwiseActivation {
    public var arity: Int { 1 }
    public var stableSplit: Double? { nil }
    public var relaxationVariants: Int { 1 }
    public func relaxations(lower: [Double], upper: [Double], variant: Int) -> RelaxationArrays {
        relaxations(lower: lower, upper: upper)
    }

    public func relaxations(lower: [Double], upper: [Double]) -> RelaxationArrays {
        var out = RelaxationArrays(count: lower.count)
        for k in 0..<lower.count {
            let r = relaxation(lower: lower[k], upper: upper[k])
            out.lowerSlope[k] = r.lowerSlope
            out.lowerIntercept[k] = r.lowerIntercept
            out.upperSlope[k] = r.upperSlope
            out.upperIntercept[k] = r.upperIntercept
        }
        return out
    }

    public func forward(_ inputs: [Matrix]) -> Matrix { inputs[0].map(value) }

    public func gradient(inputs: [Matrix], output: Matrix, outputGradient: Matrix) -> [Matrix] {
        var g = outputGradient
        let x = inputs[0]
        for i in 0..<g.data.count { g.data[i] *= derivative(x.data[i]) }
        return [g]
    }

    /// Monotone: the image of [l, u] is [f(l), f(u)].
    public func interval(_ inputs: [IntervalMatrix]) -> IntervalMatrix {
        IntervalMatrix(lower: inputs[0].lower.map(value), upper: inputs[0].upper.map(value))
    }
}
