import VNNLib

/// The root of one case as an activation-split search bounded it (its optimised intermediate bounds and
/// alpha-CROWN bound), kept so that a second search of the same case on the same network with the same
/// bounding options (``ActivationSplitBranchAndBound/run(_:deadline:statistics:root:)``; the verifier's
/// escalation to a MILP-refined root) starts from it instead of computing it again.
///
/// Kept only when its bounding finished before the deadline of the search that computed it: a root whose
/// optimisation that deadline cut short holds (every iterate's bound is sound), but is looser than the
/// second search, with more time, would compute.
public struct ActivationSplitRoot: Sendable {
    /// The case it belongs to; a search of another case ignores it.
    let specCase: SpecCase
    /// What bounding the root decided: one result.
    let results: [ActivationSplitBranchAndBound.ChildResult]
}
