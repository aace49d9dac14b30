import Bounds
import Foundation

extension ActivationSplitBranchAndBound {
    /// This search with `deadline` (or an earlier one it already had) set on every bound optimisation
    /// it runs — the root's, each batch's and the long one of unsplittable leaves — so that each stops
    /// between two iterations once the deadline passes; nil when all of them already stop by then.
    ///
    /// Without it a root optimisation of 40 iterations, or a leaf's 500, ran to the end after the
    /// deadline: on cora's MNIST networks at a 0.6 s timeout the run ended up to 19 s late under load.
    /// Stopping an optimisation early is sound: every iterate's bound is a valid bound.
    func bounded(by deadline: Date) -> Self? {
        func late(_ o: BoundOptimisation) -> Bool { o.deadline.map { $0 > deadline } ?? true }
        guard late(options.rootOptimisation) || late(options.optimisation) || late(options.leafOptimisation) else { return nil }
        var search = self
        for path in [\ActivationSplitOptions.rootOptimisation, \.optimisation, \.leafOptimisation] {
            search.options[keyPath: path].deadline = min(search.options[keyPath: path].deadline ?? deadline, deadline)
        }
        return search
    }
}
