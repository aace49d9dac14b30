import Foundation
import VNNLib

extension InputSplitBranchAndBound {
    /// The input dimension this search would split `box` along for `specCase`'s output constraints:
    /// the one whose CROWN influence `Σ_disjuncts |a_j| · width_j` is largest, refined by the
    /// lookahead (``InputSplitOptions/lookaheadDimensions``), exactly as for its own domains. `nil`
    /// when the bounds already refute every disjunct on `box` (any dimension will do) or no dimension
    /// is wider than ``InputSplitOptions/minimumWidth``.
    ///
    /// Used to cut one instance into sub-instances for separate machines (`nnverify split`); the
    /// choice only affects how hard the parts are, never soundness (the caller splits the whole box).
    public func preferredSplit(of box: InputBox, for specCase: SpecCase, deadline: Date) -> Int? {
        let objective = SpecObjective(specCase, outputCount: network.outputSize)
        guard objective.disjunctCount > 0 else { return nil }
        let domain = Domain(lower: box.lower, upper: box.upper, open: Array(0..<objective.disjunctCount), known: [])
        return bound([domain], objective: objective, deadline: deadline).first?.splitDimension
    }
}
