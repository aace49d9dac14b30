import Foundation
import LinearAlgebra
import NNGraph
import Testing
import TestSupport
import VNNLib
@testable import BranchAndBound

/// Nogoods inferred from the activation-split search (``Nogoods``, ``NogoodLearning``): the bookkeeping on
/// hand-made decisions, every kept nogood's region against the exact MILP and by sampling, and the
/// closing and narrowing of domains by sampling.
@Suite struct NogoodTests {
    private func d(_ v: ValueID, _ j: Int, _ active: Bool) -> SplitDecision { SplitDecision(value: v, neuron: j, active: active) }

    @Test func recordsMergesAndDecidesDomains() {
        var store = Nogoods(limit: 100)
        store.record([d(1, 0, true), d(3, 2, false)].sorted())
        // A superset is subsumed; the one-sign sibling merges into the smaller set.
        store.record([d(1, 0, true), d(1, 1, true), d(3, 2, false)].sorted())
        #expect(store.list.count == 1)
        store.record([d(1, 0, false), d(3, 2, false)].sorted())
        #expect(store.list.contains([d(3, 2, false)]))
        #expect(store.merged == 1)
        let n = 4
        func bounds(_ lower: Double, _ upper: Double) -> [ValueID: IntervalMatrix] {
            [5: IntervalMatrix(lower: Matrix(rows: 1, cols: n, data: [Double](repeating: lower, count: n)),
                               upper: Matrix(rows: 1, cols: n, data: [Double](repeating: upper, count: n))),
             3: IntervalMatrix(lower: Matrix(rows: 1, cols: n, data: [Double](repeating: -1, count: n)),
                               upper: Matrix(rows: 1, cols: n, data: [Double](repeating: 1, count: n)))]
        }
        var other = Nogoods(limit: 100)
        other.record([d(3, 1, true), d(5, 0, true)])
        // Decision on value 5 held by the bounds, value 3's by the split: closed.
        #expect(other.status(splits: [3: [0, 1, 0, 0]], bounds: bounds(0.5, 2)) == .closed)
        // Value 5's neuron unstable: the split z5[0] ≤ 0 is forced.
        #expect(other.status(splits: [3: [0, 1, 0, 0]], bounds: bounds(-1, 2)) == .forced([d(5, 0, false)]))
        // The opposite split on value 3: nothing follows.
        #expect(other.status(splits: [3: [0, -1, 0, 0]], bounds: bounds(-1, 2)) == .open)
        // Two nogoods forcing both signs of one neuron: closed.
        other.record([d(3, 1, true), d(5, 0, false)])
        #expect(other.list.contains([d(3, 1, true)]))
        #expect(other.status(splits: [3: [0, 1, 0, 0]], bounds: bounds(-1, 2)) == .closed)
    }

    /// Random three-layer ReLU networks: verdicts with nogoods (strengthening always allowed) agree with the
    /// exact MILP, every kept nogood's region has a positive exact margin, and no sampled point in such a
    /// region violates the property; then random domains closed or narrowed by those nogoods lose only points
    /// of nogoods' regions.
    @Test func nogoodsHoldAgainstTheExactMILP() throws {
        var rng = SeededGenerator(seed: 1616)
        var checked = 0, shorter = 0, screened = 0, changed = 0, exactChecks = 0, satScreened = 0
        for trial in 0..<40 {
            let inputs = Int.random(in: 2...6, using: &rng)
            let width = Int.random(in: 6...10, using: &rng)
            let net = RandomNetworks.mlp([inputs, width, width, width, 3], using: &rng)
            let box = RandomNetworks.box(inputs, maxWidth: 1.5, using: &rng)
            let samples = RandomNetworks.samples(of: box, count: 300, using: &rng)
            let values = net.evaluateAll(samples)
            let y = values[net.output]
            let diffs = (0..<y.rows).map { y[$0, 0] - y[$0, 1] }
            // Sat cases too: their refuted domains give nogoods next to regions that do hold violations.
            let t = diffs.min()! + rng.uniform(-0.4, 0.2)
            let specCase = SpecCase(box: box, disjuncts: [[LinearConstraint(coefficients: [1, -1, 0], constant: -t)]])
            let exact = try ExactMILP.minimumMargin(net, specCase)
            if abs(exact) < 1e-5 { continue }
            var options = ActivationSplitOptions()
            options.nogoods = true
            options.nogoodShare = 1
            options.leafAttackDomains = trial % 2
            options.batchDomains = 1 + trial % 4
            options.filteredBranching = trial % 3 == 0 ? 3 : 1
            options.domainClipping = trial % 2 == 0
            let search = ActivationSplitBranchAndBound(network: net, options: options)
            var stats = BranchAndBoundStatistics()
            let outcome = search.run(specCase, deadline: Date().addingTimeInterval(20), statistics: &stats)
            _ = try MILPAgreement.check(outcome, exact: exact, network: net, specCase: specCase, trial: "trial \(trial)")
            let depth = stats.nogoods.map(\.count).max() ?? 0
            // Whether a sample row lies in the region of `decisions` (each pre-activation on its side).
            func inside(_ r: Int, _ decisions: [SplitDecision]) -> Bool {
                decisions.allSatisfy { let z = values[$0.value][r, $0.neuron]; return $0.active ? z >= 0 : z <= 0 }
            }
            for nogood in stats.nogoods.prefix(25) {
                let margin = try ExactMILP.minimumMargin(net, specCase, signs: nogood.map { ($0.value, $0.neuron, $0.active) })
                #expect(margin > -1e-6, "trial \(trial): nogood \(nogood) holds a point of exact margin \(margin)")
                for r in 0..<y.rows where inside(r, nogood) {
                    #expect(!specCase.isViolated(by: y.row(r)), "trial \(trial): a sample in nogood \(nogood) violates the property")
                }
                checked += 1
                if nogood.count < depth { shorter += 1 }
            }
            // Random domains of 1–3 sign splits on neurons unstable at the root, screened by the run's nogoods and
            // by random sets of 1–2 decisions the exact MILP proves safe (these exist in sat cases too, beside
            // regions that hold violations, where a wrong screening would drop a counterexample).
            let root = search.crown.intermediateBounds(input: box.intervalBatch)
            let unstable = root.flatMap { v, b in (0..<b.cols).filter { b.lower[0, $0] < 0 && b.upper[0, $0] > 0 }.map { (v, $0) } }
                .sorted { ($0.0, $0.1) < ($1.0, $1.1) }
            guard unstable.count >= 2 else { continue }
            func randomDecisions(_ count: Int) -> [SplitDecision] {
                var chosen = [SplitDecision]()
                for _ in 0..<count {
                    let (v, j) = unstable[Int.random(in: 0..<unstable.count, using: &rng)]
                    if !chosen.contains(where: { $0.value == v && $0.neuron == j }) {
                        chosen.append(SplitDecision(value: v, neuron: j, active: Bool.random(using: &rng)))
                    }
                }
                return chosen.sorted()
            }
            var nogoods = stats.nogoods
            for _ in 0..<4 {
                let set = randomDecisions(Int.random(in: 1...2, using: &rng))
                if try ExactMILP.minimumMargin(net, specCase, signs: set.map { ($0.value, $0.neuron, $0.active) }) > 1e-6 { nogoods.append(set) }
            }
            guard !nogoods.isEmpty else { continue }
            if exact < 0 { satScreened += 1 }
            let learning = NogoodLearning(search, rootBounds: root, rootOpen: [0], nogoods: nogoods)
            for _ in 0..<12 {
                var child = ActivationSplitBranchAndBound.Child(splits: [:], offsetSplits: [], bounds: root, parameters: nil, open: [0],
                                                                newSplit: nil)
                for d in randomDecisions(Int.random(in: 1...3, using: &rng)) {
                    var signs = child.splits[d.value] ?? [Double](repeating: 0, count: net.size(of: d.value))
                    signs[d.neuron] = d.active ? 1 : -1
                    child.splits[d.value] = signs
                    var b = child.bounds[d.value]!
                    if d.active { b.lower[0, d.neuron] = max(b.lower[0, d.neuron], 0) } else { b.upper[0, d.neuron] = min(b.upper[0, d.neuron], 0) }
                    child.bounds[d.value] = b
                }
                let before = SplitDecision.of(child.splits)
                let after = learning.screen(child).map { SplitDecision.of($0.splits) }
                screened += 1
                if after != before { changed += 1 }
                // Exactly: a closed domain holds no violation; for each forced split f, neither does the domain
                // with the other forced splits and ¬f (the points that f's round dropped lie in it).
                if after != before && exactChecks < 80 {
                    let regions = after.map { a in
                        a.filter { !before.contains($0) }.map { f in before + a.filter { !before.contains($0) && $0 != f } + [f.opposite] }
                    } ?? [before]
                    for region in regions {
                        let margin = try ExactMILP.minimumMargin(net, specCase, signs: region.map { ($0.value, $0.neuron, $0.active) })
                        #expect(margin > -1e-6, "trial \(trial): screening \(before) -> \(String(describing: after)) dropped a point of margin \(margin)")
                        exactChecks += 1
                    }
                }
                for r in 0..<y.rows where inside(r, before) && !(after.map { inside(r, $0) } ?? false) {
                    #expect(nogoods.contains { inside(r, $0) },
                            "trial \(trial): screening \(before) -> \(String(describing: after)) dropped a point outside every nogood")
                }
            }
        }
        #expect(checked >= 20, "nogoods checked: \(checked)")
        #expect(shorter >= 5, "strengthened or merged nogoods checked: \(shorter)")
        #expect(changed >= 5, "domains closed or narrowed: \(changed) of \(screened)")
        #expect(exactChecks >= 10 && satScreened >= 5, "screenings checked by the exact MILP: \(exactChecks), \(satScreened) sat cases")
        print("nogoods: \(checked) checked, \(shorter) shorter; \(changed) of \(screened) domains screened; \(exactChecks) exact checks, \(satScreened) sat cases")
    }
}
