import LinearAlgebra
import NNGraph

/// One sign decision on a neuron's pre-activation: `z ≥ 0` (active) or `z ≤ 0`.
struct SplitDecision: Hashable, Comparable, Sendable {
    var value: ValueID
    var neuron: Int
    var active: Bool

    static func < (a: Self, b: Self) -> Bool {
        (a.value, a.neuron, a.active ? 1 : 0) < (b.value, b.neuron, b.active ? 1 : 0)
    }

    var opposite: Self { Self(value: value, neuron: neuron, active: !active) }

    /// The sign decisions of a split table (value → per-neuron sign, 0 free), sorted.
    static func of(_ splits: [ValueID: [Double]]) -> [Self] {
        var out = [Self]()
        for (v, signs) in splits {
            for (j, s) in signs.enumerated() where s != 0 { out.append(Self(value: v, neuron: j, active: s > 0)) }
        }
        return out.sorted()
    }
}

/// Nogoods inferred from the search (the logical content of BICCOS's cuts, Zhou et al., "Scalable Neural
/// Network Verification with Branch-and-bound Inferred Cutting Planes", NeurIPS 2024): a set `S` of sign
/// decisions whose region — the case's input region where every decision of `S` holds — is known to hold
/// no counterexample, because a domain with exactly those decisions was refuted by a sound bound (or a
/// re-bounding of a smaller set was, ``ActivationSplitBranchAndBound``'s strengthening). On the ReLU
/// indicators `z_i` it is the cut `Σ_{i∈S+} z_i − Σ_{i∈S−} z_i ≤ |S+| − 1`.
///
/// Used here on the logical level, with no relaxation variable: a domain all of whose points satisfy every
/// decision of a nogood (by its own splits, or by its sound intermediate bounds making the neuron stable on
/// that side) lies inside a region without counterexamples and is closed; a domain that satisfies all but
/// one decision `d` may drop the points where `d` holds, i.e. take the split `¬d` (its other points lie in
/// the nogood's region). Two nogoods that differ only in the sign of one decision merge into one without
/// it (their regions' union is the smaller set's region, the boundary `z = 0` belonging to both).
struct Nogoods {
    private(set) var list: [[SplitDecision]] = []
    private var known = Set<[SplitDecision]>()
    /// Beyond this many, no more are recorded (checks cost a pass over the list per domain).
    let limit: Int
    var recorded = 0, merged = 0, closed = 0, forced = 0

    init(limit: Int) { self.limit = limit }

    /// Records `decisions` (sorted), unless a recorded nogood is a subset of it; then merges it with its
    /// one-sign siblings, recursively.
    mutating func record(_ decisions: [SplitDecision]) {
        guard list.count < limit, !known.contains(decisions) else { return }
        if subsumes(decisions) { return }
        list.append(decisions)
        known.insert(decisions)
        recorded += 1
        for i in decisions.indices {
            var sibling = decisions
            sibling[i] = sibling[i].opposite
            sibling.sort()
            if known.contains(sibling) {
                merged += 1
                var parent = decisions
                parent.remove(at: i)
                record(parent)
            }
        }
    }

    /// Whether a recorded nogood is a subset of `decisions` (sorted).
    func subsumes(_ decisions: [SplitDecision]) -> Bool {
        let set = Set(decisions)
        return list.contains { $0.count <= decisions.count && $0.allSatisfy(set.contains) }
    }

    /// What the nogoods imply for a domain with sign splits `splits` and sound bounds `bounds` on its region.
    enum Status: Equatable {
        case open
        /// The domain lies inside a nogood's region.
        case closed
        /// The domain's points outside these splits lie in nogoods' regions.
        case forced([SplitDecision])
    }

    func status(splits: [ValueID: [Double]], bounds: [ValueID: IntervalMatrix]) -> Status {
        // Every point of the domain satisfies `d`: by its split, or by its bounds' sign on the neuron.
        func holds(_ d: SplitDecision) -> Bool {
            if let s = splits[d.value], s[d.neuron] != 0 { if (s[d.neuron] > 0) == d.active { return true } }
            guard let b = bounds[d.value] else { return false }
            return d.active ? b.lower.data[d.neuron] >= 0 : b.upper.data[d.neuron] <= 0
        }
        var forced = [SplitDecision]()
        for nogood in list {
            var missing: SplitDecision?
            var missingCount = 0
            for d in nogood where !holds(d) {
                missingCount += 1
                if missingCount > 1 { break }
                missing = d
            }
            if missingCount == 0 { return .closed }
            guard missingCount == 1, let d = missing, !holds(d.opposite) else { continue }
            forced.append(d.opposite)
        }
        guard !forced.isEmpty else { return .open }
        // Both signs of one neuron forced: each side of it lies in a nogood's region.
        let set = Set(forced)
        if set.contains(where: { set.contains($0.opposite) }) { return .closed }
        return .forced(set.sorted())
    }
}
