import Foundation
import NNGraph
import VNNLib
@testable import BranchAndBound

extension ActivationSplitBranchAndBound {
    /// The search's root as a child to bound: CROWN's intermediate bounds of `box`, no split, `open` disjuncts open.
    func rootChild(box: IntervalMatrix, open: [Int], deadline: Date) -> Child {
        Child(splits: [:], offsetSplits: [], bounds: crown.intermediateBounds(input: box, deadline: deadline), parameters: nil,
              open: open, newSplit: nil)
    }
}

extension ActivationSplitBranchAndBound {
    /// The root of `specCase` (one disjunct) bounded with ``ActivationSplitOptions/rootOptimisation``: its domain when
    /// the bound leaves it open, with the objective and box it was bounded for; nil otherwise.
    func openRoot(of specCase: SpecCase, deadline: Date) -> (domain: Domain, objective: SpecObjective, box: IntervalMatrix)? {
        let objective = SpecObjective(specCase, outputCount: network.outputSize)
        let box = specCase.box.intervalBatch
        let root = rootChild(box: box, open: [0], deadline: deadline)
        guard case .open(let domain, _)? = bound([root], objective: objective, box: box, optimisation: options.rootOptimisation,
                                                 deadline: deadline).first else { return nil }
        return (domain, objective, box)
    }
}
