import NNGraph

/// A branch-and-bound split on one ReLU input neuron: `active` fixes `z ≥ 0` (the ReLU is the
/// identity there), inactive fixes `z ≤ 0` (the ReLU outputs 0), where `z` is neuron `neuron` of value
/// `value` (a value read by a ``ReLU`` node).
///
/// A set of splits describes a leaf: the inputs of the box whose pre-activations satisfy every split.
/// Both sides are closed, so a neuron split both ways is fixed to `z = 0` (not an empty leaf).
public struct ReLUSplit: Sendable, Hashable, CustomStringConvertible {
    /// The pre-activation value (read by a ReLU node).
    public var value: ValueID
    /// Index of the neuron within the value (flat, row-major).
    public var neuron: Int
    /// `true`: `z ≥ 0`; `false`: `z ≤ 0`.
    public var active: Bool

    /// The split `z ≥ 0` (`active`) or `z ≤ 0` on neuron `neuron` of value `value`.
    public init(value: ValueID, neuron: Int, active: Bool) {
        self.value = value
        self.neuron = neuron
        self.active = active
    }

    /// E.g. `value 3[7] >= 0`.
    public var description: String { "value \(value)[\(neuron)] \(active ? ">= 0" : "<= 0")" }
}

/// Splits grouped per value, checked against a network.
struct SplitTable {
    /// `sides[v][j]`: the sides imposed on neuron `j` of value `v` (`true` = active).
    private(set) var sides: [ValueID: [Int: (active: Bool, inactive: Bool)]] = [:]

    /// Checks that every split names an existing neuron of a value read by a ReLU node.
    init(_ splits: [ReLUSplit], network: Network) throws {
        guard !splits.isEmpty else { return }
        var reluInputs = Set<ValueID>()
        for node in network.nodes where node.op is ReLU { reluInputs.insert(node.inputs[0]) }
        for split in splits {
            guard split.value >= 0 && split.value <= network.nodes.count else {
                throw LPBoundsError.invalidSplit(split, reason: "the network has values 0...\(network.nodes.count)")
            }
            guard reluInputs.contains(split.value) else {
                throw LPBoundsError.invalidSplit(split, reason: "value \(split.value) is not read by a ReLU node")
            }
            let size = network.size(of: split.value)
            guard split.neuron >= 0 && split.neuron < size else {
                throw LPBoundsError.invalidSplit(split, reason: "value \(split.value) has neurons 0..<\(size)")
            }
            var entry = sides[split.value, default: [:]][split.neuron] ?? (false, false)
            if split.active { entry.active = true } else { entry.inactive = true }
            sides[split.value, default: [:]][split.neuron] = entry
        }
    }

    var isEmpty: Bool { sides.isEmpty }
}
