import BranchAndBound
import Foundation
import NNGraph
import VNNLib

/// Cuts an instance on a network with many inputs into parts by case splits on hidden neurons: part
/// `k` is the original property restricted to inputs where some ReLU pre-activations have given
/// signs (`z >= 0` or `z <= 0`), written as VNN-LIB 2.0 hidden-node constraints.
///
/// Why the split is sound: the sign patterns are the leaves of repeated case splits — a region is
/// replaced by its two sides `z >= 0` and `z <= 0` of one neuron, which together are the region
/// (they overlap only where `z = 0`) — so every input of the box satisfies the pattern of at least
/// one part. The original is violated iff some part is, and a witness of a part is one of the
/// original (the merge re-validates it against the original anyway).
public enum HiddenSplit {
    /// `count` sign patterns whose regions together cover every input: breadth-first splits (the
    /// oldest pattern is split next), each on `choose(pattern)`, the neuron the activation-split search
    /// would branch on there. A pattern for which `choose` gives nil (no unstable neuron left) is kept
    /// as a part and the next one is split.
    /// - Throws: ``SplitError/noHiddenSplit(reason:)`` when no pattern can be split before `count` is reached.
    public static func patterns(count: Int, choose: ([NeuronSign]) -> (value: ValueID, neuron: Int)?) throws(SplitError) -> [[NeuronSign]] {
        precondition(count >= 1, "part count must be positive")
        var queue: [[NeuronSign]] = [[]]
        var finished = [[NeuronSign]]()
        while queue.count + finished.count < count {
            guard !queue.isEmpty else {
                throw .noHiddenSplit(reason: "every neuron is stable or split after \(finished.count) part(s), fewer than \(count)")
            }
            let pattern = queue.removeFirst()
            guard let (value, neuron) = choose(pattern),
                  !pattern.contains(where: { $0.value == value && $0.neuron == neuron }) else {
                finished.append(pattern)
                continue
            }
            queue.append(pattern + [NeuronSign(value: value, neuron: neuron, active: true)])
            queue.append(pattern + [NeuronSign(value: value, neuron: neuron, active: false)])
        }
        return finished + queue
    }

    /// The patterns for `specification` (one input box: the neurons are chosen on it) by the
    /// activation-split search's branching heuristic
    /// (``ActivationSplitBranchAndBound/preferredSplit(for:signs:deadline:)``), each choice given
    /// `secondsPerChoice`; only neurons of `allowed` values (those a VNN-LIB file can name) are split.
    public static func patterns(of specification: Specification, network: Network, count: Int, allowed: Set<ValueID>,
                                secondsPerChoice: Double = 2) throws(SplitError) -> [[NeuronSign]] {
        guard specification.cases.count == 1, let specCase = specification.cases.first else {
            throw .noHiddenSplit(reason: "the property has \(specification.cases.count) input boxes; hidden splits need one")
        }
        let search = ActivationSplitBranchAndBound(network: network)
        return try patterns(count: count) { signs in
            search.preferredSplit(for: specCase, signs: signs, among: allowed, deadline: Date().addingTimeInterval(secondsPerChoice))
        }
    }
}
