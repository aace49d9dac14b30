import Bounds
import Foundation
import LinearAlgebra
import NNGraph

extension ActivationSplitBranchAndBound {
    /// The sign decisions of `child` whose multiplier β is positive in some of its rows (`rows` per child,
    /// child `c` of the pass).
    static func positiveMultipliers(_ child: Child, index c: Int, rows m: Int, parameters: BoundParameters) -> [SplitDecision] {
        SplitDecision.of(child.splits).filter { d in
            guard let beta = parameters.beta[d.value] else { return false }
            let n = beta.cols
            return (0..<m).contains { r in (c * m + r) * n + d.neuron < beta.data.count && beta.data[(c * m + r) * n + d.neuron] > 0 }
        }
    }
}

/// The search's use of ``Nogoods`` (``ActivationSplitOptions/nogoods``): records the sign decisions of every
/// refuted child, strengthens them (BICCOS's constraint strengthening: the decisions whose multiplier β was
/// zero in the refuting bound are dropped, and the smaller set is recorded only when a real re-bounding of
/// its own region — root bounds with only the kept splits applied, intermediate bounds recomputed, the case's
/// box — refutes it: a split also tightens the split neuron's relaxation and later intermediate bounds, so a
/// zero β alone proves nothing), and closes or narrows the domains the nogoods cover.
final class NogoodLearning {
    let search: ActivationSplitBranchAndBound
    private(set) var nogoods: Nogoods
    /// The root domain's sound bounds and open disjuncts (what a strengthened set is re-bounded from).
    let rootBounds: [ValueID: IntervalMatrix]
    let rootOpen: [Int]
    private var seconds = 0.0, attempts = 0, successes = 0
    private let started = Date()

    /// The search as it re-bounds strengthened sets: no filtered branching (their children are never
    /// made) and no multipliers reported.
    private let rebounding: ActivationSplitBranchAndBound

    convenience init(_ search: ActivationSplitBranchAndBound, root: ActivationSplitBranchAndBound.Domain) {
        self.init(search, rootBounds: root.bounds, rootOpen: root.open)
    }

    init(_ search: ActivationSplitBranchAndBound, rootBounds: [ValueID: IntervalMatrix], rootOpen: [Int],
         nogoods: [[SplitDecision]] = []) {
        self.search = search
        var plain = search
        plain.options.filteredBranching = 1
        plain.options.nogoods = false
        self.rebounding = plain
        self.nogoods = Nogoods(limit: search.options.nogoodLimit)
        self.rootBounds = rootBounds
        self.rootOpen = rootOpen
        for n in nogoods { self.nogoods.record(n) }
    }

    /// Whether a queued domain lies inside a nogood's region.
    func covers(_ domain: ActivationSplitBranchAndBound.Domain) -> Bool {
        nogoods.status(splits: domain.splits, bounds: domain.bounds) == .closed
    }

    /// The child narrowed by the splits the nogoods force on it (its other points lie in nogoods' regions),
    /// or nil when a nogood's region holds all of it.
    func screen(_ child: ActivationSplitBranchAndBound.Child) -> ActivationSplitBranchAndBound.Child? {
        var child = child
        // Each round adds at least one split, so this ends; a few rounds catch the chains that matter.
        for _ in 0..<4 {
            switch nogoods.status(splits: child.splits, bounds: child.bounds) {
            case .open: return child
            case .closed:
                nogoods.closed += 1
                return nil
            case .forced(let decisions):
                nogoods.forced += decisions.count
                for d in decisions { apply(d, to: &child) }
            }
        }
        return child
    }

    /// Adds split `d` to `child`: its sign, the neuron's interval clamped to that side, and the values from
    /// `d`'s on re-bounded (earlier values do not depend on it).
    private func apply(_ d: SplitDecision, to child: inout ActivationSplitBranchAndBound.Child) {
        var signs = child.splits[d.value] ?? [Double](repeating: 0, count: search.network.size(of: d.value))
        signs[d.neuron] = d.active ? 1 : -1
        child.splits[d.value] = signs
        if var b = child.bounds[d.value] {
            if d.active { b.lower.data[d.neuron] = max(b.lower.data[d.neuron], 0) } else { b.upper.data[d.neuron] = min(b.upper.data[d.neuron], 0) }
            child.bounds[d.value] = b
        }
        child.newSplit = min(child.newSplit ?? d.value, d.value)
    }

    /// Records the refuted children of a batch (`results[i]` is `children[i]`'s) and, within
    /// ``ActivationSplitOptions/nogoodShare`` of the run's time, re-bounds the strengthened sets of those
    /// whose β left some decisions unused, recording those refuted.
    func learn(from results: [ActivationSplitBranchAndBound.ChildResult], children: [ActivationSplitBranchAndBound.Child],
               objective: SpecObjective, box: IntervalMatrix, deadline: Date) {
        var trials = [(child: ActivationSplitBranchAndBound.Child, decisions: [SplitDecision])]()
        var tried = Set<[SplitDecision]>()
        for (result, child) in zip(results, children) {
            // A split at another breakpoint narrows the region beyond the sign decisions: not a nogood of them.
            guard case .refuted(let needed) = result, child.offsetSplits.isEmpty else { continue }
            let all = SplitDecision.of(child.splits)
            nogoods.record(all)
            guard search.options.nogoodStrengthening, let needed, needed.count < all.count,
                  !nogoods.subsumes(needed), tried.insert(needed).inserted else { continue }
            trials.append((reduced(child, to: needed), needed))
        }
        let elapsed = Date().timeIntervalSince(started)
        guard !trials.isEmpty, seconds <= search.options.nogoodShare * elapsed, Date() < deadline else { return }
        let t0 = Date()
        defer { seconds += Date().timeIntervalSince(t0) }
        let outcome = rebounding.boundInParallel(trials.map(\.child), objective: objective, box: box, deadline: deadline)
        attempts += trials.count
        for (result, trial) in zip(outcome, trials) {
            guard case .refuted = result else { continue }
            successes += 1
            nogoods.record(trial.decisions)
        }
    }

    /// The domain with only the decisions `kept` of `child`: the root's bounds with those splits' neurons
    /// clamped (sound on the larger region), every later value re-bounded, on the case's box (a clipped box
    /// holds only for the child's region), with every disjunct the root left open.
    private func reduced(_ child: ActivationSplitBranchAndBound.Child, to kept: [SplitDecision]) -> ActivationSplitBranchAndBound.Child {
        var out = ActivationSplitBranchAndBound.Child(splits: [:], offsetSplits: [], bounds: rootBounds, parameters: child.parameters,
                                                      open: rootOpen, newSplit: nil, box: nil)
        for d in kept { apply(d, to: &out) }
        out.newSplit = nil
        return out
    }

    /// Figures for the statistics' notes.
    var summary: String {
        "\(nogoods.list.count) kept (\(nogoods.recorded) recorded, \(nogoods.merged) merges), \(nogoods.closed) domains closed, "
            + "\(nogoods.forced) splits forced, strengthened \(successes) of \(attempts) in \(String(format: "%.1f", seconds)) s"
    }
}
