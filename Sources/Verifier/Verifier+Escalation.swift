import BranchAndBound
import Foundation
import NNGraph
import VNNLib

extension Verifier {
    /// Activation-split search of one case. With MILP refinement of the root's bounds on
    /// (``ActivationSplitOptions/rootMILPShare``), a plain search gets ``VerifierOptions/plainSearchShare`` of the
    /// time first, so that cases it decides quickly do not wait for the refinement; a case it leaves open (not a
    /// memory stop) is searched again from the MILP-refined root with the time left. Both searches are complete
    /// and sound on their own, so the second only decides what the first could not. Both start from one root
    /// (``ActivationSplitRoot``), bounded first with the whole deadline: both searches bound the root with the
    /// same options.
    /// `plain` is the search without MILP refinement.
    func escalatingActivationSplit(_ plain: ActivationSplitBranchAndBound, network: Network, _ specCase: SpecCase,
                                   deadline: Date, statistics: inout BranchAndBoundStatistics,
                                   stage: (String) -> Void) -> BranchAndBoundOutcome {
        guard options.activationSplit.rootMILPShare > 0 else {
            return plain.run(specCase, deadline: deadline, statistics: &statistics)
        }
        let refined = ActivationSplitBranchAndBound(network: network, options: options.activationSplit)
        guard options.plainSearchShare > 0 else { return refined.run(specCase, deadline: deadline, statistics: &statistics) }
        let first = Date().addingTimeInterval(max(0, deadline.timeIntervalSinceNow) * options.plainSearchShare)
        // The root is bounded once, within the whole deadline rather than the plain search's share: a root cut
        // short would be looser, and the refined search would bound it again.
        var plainStatistics = BranchAndBoundStatistics()
        var root = plain.root(of: specCase, deadline: deadline, statistics: &plainStatistics)
        let outcome = plain.run(specCase, deadline: first, statistics: &plainStatistics, root: &root)
        statistics.domainsBounded += plainStatistics.domainsBounded
        statistics.batches += plainStatistics.batches
        statistics.maxQueue = max(statistics.maxQueue, plainStatistics.maxQueue)
        switch outcome {
        case .verified, .counterexample: return outcome
        case .unknown(let reason) where reason.contains("memory"): return outcome
        default: break
        }
        if Date() >= deadline { return outcome }
        stage("activation split (MILP-refined root)")
        statistics.notes["plain search first"] = "\(plainStatistics.domainsBounded) domains, left open"
        return refined.run(specCase, deadline: deadline, statistics: &statistics, root: &root)
    }
}
