import Bounds
import Foundation
import LinearAlgebra
import NNGraph
import VNNLib

/// The sign of one activation input (pre-activation) neuron: `z >= 0` (active) or `z <= 0`.
public struct NeuronSign: Hashable, Sendable {
    /// The value feeding the activation, and the neuron within it.
    public var value: ValueID
    public var neuron: Int
    public var active: Bool

    public init(value: ValueID, neuron: Int, active: Bool) {
        self.value = value
        self.neuron = neuron
        self.active = active
    }
}

extension ActivationSplitBranchAndBound {
    /// The neuron this search would split next, at 0, on the part of `specCase`'s box where the
    /// neurons of `signs` have those signs: the part is bounded as one of the search's own domains
    /// (intermediate bounds with the signs applied, alpha/beta-CROWN objective) and its branching
    /// heuristic ranks the unstable neurons; the best one whose breakpoint is 0 is returned. When the
    /// bounds already decide the part, or rank no such neuron, the first neuron (in network order) whose
    /// interval still contains 0 in its interior; nil when there is none (every neuron is stable or split).
    /// Only neurons of values in `among` are chosen (nil: any).
    ///
    /// Used to cut one instance into sub-instances with hidden-node constraints (`nnverify split` on
    /// many-input networks); the choice only affects how hard the parts are, never soundness: the two
    /// sides `z >= 0` and `z <= 0` of any neuron together cover the part.
    public func preferredSplit(for specCase: SpecCase, signs: [NeuronSign], among: Set<ValueID>? = nil,
                               deadline: Date) -> (value: ValueID, neuron: Int)? {
        func allowed(_ v: ValueID) -> Bool { Self.splitsAtZero(network, v) && among.map { $0.contains(v) } ?? true }
        let objective = SpecObjective(specCase, outputCount: network.outputSize)
        let box = IntervalMatrix(lower: Matrix(rows: 1, cols: network.inputSize, data: specCase.box.lower),
                                 upper: Matrix(rows: 1, cols: network.inputSize, data: specCase.box.upper))
        var bounds = crown.intermediateBounds(input: box, deadline: deadline)
        var splits = [ValueID: [Double]]()
        for s in signs {
            var pattern = splits[s.value] ?? [Double](repeating: 0, count: network.size(of: s.value))
            pattern[s.neuron] = s.active ? 1 : -1
            splits[s.value] = pattern
            if var b = bounds[s.value] {
                if s.active { b.lower.data[s.neuron] = max(b.lower.data[s.neuron], 0) } else { b.upper.data[s.neuron] = min(b.upper.data[s.neuron], 0) }
                bounds[s.value] = b
            }
        }
        var fallbackBounds = bounds
        if objective.disjunctCount > 0 {
            // The earliest signed value: bounds up to it stay, later ones are recomputed with the signs applied.
            let child = Child(splits: splits, offsetSplits: [], bounds: bounds, parameters: nil,
                              open: Array(0..<objective.disjunctCount), newSplit: signs.map(\.value).min())
            let ranked = bound([child], objective: objective, box: box, optimisation: options.rootOptimisation, deadline: deadline)
            if case .open(let domain, _)? = ranked.first {
                fallbackBounds = domain.bounds
                for branch in [domain.branch] + domain.alternatives where branch.point == 0 && allowed(branch.value) {
                    return (branch.value, branch.neuron)
                }
            }
        }
        for node in network.nodes {
            guard let v = node.inputs.first, allowed(v), let b = fallbackBounds[v] else { continue }
            for j in 0..<b.cols where b.lower.data[j] < 0 && b.upper.data[j] > 0 && splits[v]?[j] ?? 0 == 0 {
                return (v, j)
            }
        }
        return nil
    }

    /// Whether `value` feeds a piecewise-linear activation with a breakpoint at 0 (so `z >= 0` and
    /// `z <= 0` are its two pieces' sides): ReLU and LeakyReLU, for instance.
    static func splitsAtZero(_ network: Network, _ value: ValueID) -> Bool {
        network.nodes.contains { node in
            node.inputs.first == value && (node.op as? any PiecewiseLinearActivation)?.pieces.breakpoints.contains(0) == true
        }
    }
}
