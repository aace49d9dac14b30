import Bounds
import VNNLib

extension InputCouplings {
    /// A case's linear input constraints (``SpecCase/inputConstraints``) for CROWN, widened for their
    /// rounding over `box` (the case's box, which holds every input of its region); nil when there are none,
    /// or when one does not fit the box (bounds then see the box only, which is sound; the LP reports it as
    /// ``LPBoundsError/invalidInputConstraint(row:expected:got:)``).
    public init?(_ constraints: [LinearConstraint], box: InputBox) {
        guard !constraints.isEmpty, box.upper.count == box.lower.count,
              constraints.allSatisfy({ $0.coefficients.count == box.lower.count }) else { return nil }
        let magnitudes = zip(box.lower, box.upper).map { max(abs($0), abs($1)) }
        self.init(coefficients: constraints.map(\.coefficients), constants: constraints.map(\.constant), magnitudes: magnitudes)
    }
}
