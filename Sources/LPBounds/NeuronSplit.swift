import NNGraph

/// A branch-and-bound split on one input neuron of a piecewise-linear activation: `active` imposes
/// `z ≥ point`, inactive `z ≤ point`, where `z` is neuron `neuron` of value `value` and `point` is a
/// breakpoint of the activation (ReLU: 0, so active means the ReLU is the identity there).
///
/// A set of splits describes a leaf: the inputs of the box whose pre-activations satisfy every split.
/// Both sides are closed, so a neuron split both ways at one point is fixed to `z = point` (not an
/// empty leaf).
public struct NeuronSplit: Sendable, Hashable, CustomStringConvertible {
    /// The pre-activation value (read by a piecewise-linear activation).
    public var value: ValueID
    /// Index of the neuron within the value (flat, row-major).
    public var neuron: Int
    /// `true`: `z ≥ point`; `false`: `z ≤ point`.
    public var active: Bool
    /// Where the split is (a breakpoint).
    public var point: Double

    /// The split `z ≥ point` (`active`) or `z ≤ point` on neuron `neuron` of value `value`.
    public init(value: ValueID, neuron: Int, active: Bool, point: Double = 0) {
        self.value = value
        self.neuron = neuron
        self.active = active
        self.point = point
    }

    /// E.g. `value 3[7] >= 0`.
    public var description: String {
        let at = point == point.rounded() && abs(point) < 1e15 ? "\(Int(point))" : "\(point)"
        return "value \(value)[\(neuron)] \(active ? ">=" : "<=") \(at)"
    }
}

/// Splits grouped per value, checked against a network.
struct SplitTable {
    /// `limits[v][j]`: the interval the splits impose on neuron `j` of value `v`
    /// (`atLeast`: the largest active point, `atMost`: the smallest inactive one).
    private(set) var limits: [ValueID: [Int: (atLeast: Double, atMost: Double)]] = [:]

    /// Checks that every split names an existing neuron of a value read by a piecewise-linear
    /// activation, at a finite point.
    init(_ splits: [NeuronSplit], network: Network) throws {
        guard !splits.isEmpty else { return }
        var splittable = Set<ValueID>()
        for node in network.nodes where node.op is any PiecewiseLinearActivation { splittable.insert(node.inputs[0]) }
        for split in splits {
            guard split.value >= 0 && split.value <= network.nodes.count else {
                throw LPBoundsError.invalidSplit(split, reason: "the network has values 0...\(network.nodes.count)")
            }
            guard splittable.contains(split.value) else {
                throw LPBoundsError.invalidSplit(split, reason: "value \(split.value) is not read by a piecewise-linear activation")
            }
            let size = network.size(of: split.value)
            guard split.neuron >= 0 && split.neuron < size else {
                throw LPBoundsError.invalidSplit(split, reason: "value \(split.value) has neurons 0..<\(size)")
            }
            guard split.point.isFinite else { throw LPBoundsError.invalidSplit(split, reason: "the split point is not finite") }
            var entry = limits[split.value, default: [:]][split.neuron] ?? (-.infinity, .infinity)
            if split.active { entry.atLeast = max(entry.atLeast, split.point) } else { entry.atMost = min(entry.atMost, split.point) }
            limits[split.value, default: [:]][split.neuron] = entry
        }
    }

    var isEmpty: Bool { limits.isEmpty }

    /// Narrows `bounds` (of value `v`) to the splits' limits; false when they contradict them (the
    /// sound bounds prove the leaf has no point).
    func apply(to bounds: inout ValueBounds, of v: ValueID) -> Bool {
        for (j, limit) in limits[v] ?? [:] {
            if bounds.upper[j] < limit.atLeast || bounds.lower[j] > limit.atMost { return false }
            bounds.lower[j] = max(bounds.lower[j], limit.atLeast)
            bounds.upper[j] = min(bounds.upper[j], limit.atMost)
        }
        return true
    }
}
