import LinearAlgebra

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

    /// The lines of neuron `k`.
    public subscript(k: Int) -> LinearRelaxation {
        get {
            LinearRelaxation(lowerSlope: lowerSlope[k], lowerIntercept: lowerIntercept[k],
                             upperSlope: upperSlope[k], upperIntercept: upperIntercept[k])
        }
        set {
            lowerSlope[k] = newValue.lowerSlope
            lowerIntercept[k] = newValue.lowerIntercept
            upperSlope[k] = newValue.upperSlope
            upperIntercept[k] = newValue.upperIntercept
        }
    }
}

/// A scalar function applied elementwise, `y_j = f(x_j)`, that owns its relaxation: bound propagation,
/// LP and branch-and-bound ask the operator for everything that depends on `f`, and never test for a
/// concrete operator type.
///
/// An activation supplies
/// - its **interval map** (``Operator/interval(_:)``). There is no default: an operator opts in to the
///   monotone map `[f(l), f(u)]` with ``MonotoneActivation``, or to the exact piecewise-linear map with
///   ``PiecewiseLinearActivation``, so a non-monotone function cannot inherit an unsound one;
/// - **fixed relaxation lines** per neuron (``relaxations(lower:upper:variant:)``), with the amount by which
///   a computed line may fall on the wrong side of `f` through rounding (``lineDefects(lower:upper:relaxation:)``);
/// - optionally a **family of lines** with one parameter per neuron and side, with the lines' derivatives
///   with respect to it (``lineFamily(lower:upper:)``: alpha-CROWN slopes, tangent points);
/// - the rounding error of evaluating `f` (``valueRoundingError``), which interval bounds add outward.
public protocol ElementwiseActivation: Operator {
    func value(_ x: Double) -> Double
    /// `f'(x)`, or a one-sided derivative at a kink (gradients for attacks and slope optimisation).
    func derivative(_ x: Double) -> Double
    /// A bound on the relative error of ``value(_:)`` computed in `Double` against `f` in exact
    /// arithmetic (0 when `value` only compares and copies, as ReLU does).
    var valueRoundingError: Double { get }
    /// How many alternative sound fixed relaxations the operator offers (bound propagation may try
    /// each and keep the better bound).
    var relaxationVariants: Int { get }
    /// Relaxation `variant` (0 ..< ``relaxationVariants``) of every neuron `k` on `[lower[k], upper[k]]`.
    /// The entries are neurons of consecutive domains: neuron `k` is neuron `k % outputSize` of the
    /// operator. Sound up to ``lineDefects(lower:upper:relaxation:)``.
    func relaxations(lower: [Double], upper: [Double], variant: Int) -> RelaxationArrays
    /// Per neuron and line, how far the computed line may lie on the wrong side of `f` on `[l, u]`
    /// (rounding in its slope and intercept, and in library functions): the line moved outward by its
    /// defect is valid in exact arithmetic.
    func lineDefects(lower: [Double], upper: [Double], relaxation: RelaxationArrays) -> (lower: [Double], upper: [Double])
    /// A parameterised family of sound lines on these bounds, or nil when the operator has none.
    func lineFamily(lower: [Double], upper: [Double]) -> (any LineFamily)?
    /// Per neuron (indexed as in ``relaxations(lower:upper:variant:)``), whether the fixed relaxation
    /// is exact on `[lower[k], upper[k]]`, so that tighter bounds of that neuron cannot tighten
    /// anything (ReLU: the interval does not straddle 0). Default: never.
    func exactRelaxationMask(lower: [Double], upper: [Double]) -> [Bool]
    /// The same function on `size` neurons (e.g. a layer widened by planting).
    func resized(_ size: Int) -> any ElementwiseActivation
    /// How the activation is written as one ONNX node (opset 13) in models nnverify writes.
    var onnxForm: ONNXActivationForm { get }
    /// The one activation `g` with `g(x) = k·x·(α·f(γ·x) + β)`, when there is one (SiLU for sigmoid, GELU
    /// for erf): exporters write such products, which the loader fuses (a product of `x` and `f(x)`
    /// relaxed as independent factors is much looser). Default: none.
    func timesInput(factor k: Double, innerScale γ: Double, outerScale α: Double, outerShift β: Double) -> (any ElementwiseActivation)?
}

/// One ONNX node (default domain, opset 13) computing an activation from its single data input: the
/// operator type, float attributes, and constant scalar inputs that follow the data input (nil: an
/// omitted optional input).
public struct ONNXActivationForm: Sendable, Equatable {
    public var opType: String
    public var floatAttributes: [String: Double]
    public var scalarInputs: [Double?]

    public init(opType: String, floatAttributes: [String: Double] = [:], scalarInputs: [Double?] = []) {
        self.opType = opType
        self.floatAttributes = floatAttributes
        self.scalarInputs = scalarInputs
    }
}

extension ElementwiseActivation {
    public func timesInput(factor k: Double, innerScale γ: Double, outerScale α: Double, outerShift β: Double) -> (any ElementwiseActivation)? {
        nil
    }
    public var arity: Int { 1 }
    public var relaxationVariants: Int { 1 }
    public func lineFamily(lower: [Double], upper: [Double]) -> (any LineFamily)? { nil }
    public func exactRelaxationMask(lower: [Double], upper: [Double]) -> [Bool] {
        [Bool](repeating: false, count: lower.count)
    }

    /// The default relaxation of one neuron (neuron 0 of the operator) on `[lower, upper]`.
    public func relaxation(lower: Double, upper: Double) -> LinearRelaxation {
        relaxations(lower: [lower], upper: [upper], variant: 0)[0]
    }

    /// Variant 0 of ``relaxations(lower:upper:variant:)``.
    public func relaxations(lower: [Double], upper: [Double]) -> RelaxationArrays {
        relaxations(lower: lower, upper: upper, variant: 0)
    }

    public func forward(_ inputs: [Matrix]) -> Matrix { inputs[0].map(value) }

    public func gradient(inputs: [Matrix], output: Matrix, outputGradient: Matrix) -> [Matrix] {
        var g = outputGradient
        let x = inputs[0]
        for i in 0..<g.data.count { g.data[i] *= derivative(x.data[i]) }
        return [g]
    }
}

/// Opt-in for a non-decreasing activation: its interval image is `[f(l), f(u)]`.
public protocol MonotoneActivation: ElementwiseActivation {}

extension MonotoneActivation {
    /// Exact for a non-decreasing `f` (up to ``ElementwiseActivation/valueRoundingError``, which
    /// interval bound propagation adds outward).
    public func interval(_ inputs: [IntervalMatrix]) -> IntervalMatrix {
        IntervalMatrix(lower: inputs[0].lower.map(value), upper: inputs[0].upper.map(value))
    }
}

/// Rounding allowances for relaxation lines (Docs/soundness.md).
public enum LineDefect {
    /// The unit roundoff `u = 2⁻⁵³` of `Double`.
    public static let unit = Double.ulpOfOne / 2

    /// For lines built from library-function values at chosen points (sigmoid, tanh): the lines are
    /// valid in exact arithmetic, and their rounding together with the functions' error (8 ulp
    /// assumed, `16u` relative) is covered by `40u·(1 + |s|·h + |c|)`, `h = max(|l|, |u|)`: a tangent's
    /// slope off by `16u·|s|` moves the line by up to `32u·|s|·h` over the interval, plus the values'
    /// and the intercept's roundings.
    public static func smooth(l: Double, u: Double, s: Double, c: Double) -> Double {
        40 * unit * (1 + abs(s) * max(abs(l), abs(u)) + abs(c))
    }

    /// ``smooth(l:u:s:c:)`` for both lines of every neuron.
    public static func smooth(lower: [Double], upper: [Double], relaxation rx: RelaxationArrays)
        -> (lower: [Double], upper: [Double]) {
        var low = [Double](repeating: 0, count: lower.count), up = low
        for k in 0..<lower.count {
            low[k] = smooth(l: lower[k], u: upper[k], s: rx.lowerSlope[k], c: rx.lowerIntercept[k])
            up[k] = smooth(l: lower[k], u: upper[k], s: rx.upperSlope[k], c: rx.upperIntercept[k])
        }
        return (low, up)
    }
}
