/// How bound propagation and the searches treat an operator, read from its capabilities (for
/// `nnverify info`).
public enum RelaxationClass: String, Sendable, CaseIterable {
    case exactLinear = "exact linear map"
    case piecewiseLinear = "piecewise linear (hull lines, alpha-CROWN, splits at breakpoints, MILP)"
    case smoothOptimised = "smooth (sound lines, alpha-CROWN tangents)"
    case smoothFixed = "smooth (sound fixed lines)"
    case bilinear = "bilinear (McCormick planes, alpha-CROWN)"
    case other = "no relaxation"

    /// The class of `op`.
    public init(of op: any Operator) {
        if op is any LinearOperator {
            self = .exactLinear
        } else if op is any PiecewiseLinearActivation {
            self = .piecewiseLinear
        } else if let act = op as? any ElementwiseActivation {
            self = act.lineFamily(lower: [-1, 0.5], upper: [1, 2]) != nil ? .smoothOptimised : .smoothFixed
        } else if op is any BilinearOperator {
            self = .bilinear
        } else {
            self = .other
        }
    }
}
