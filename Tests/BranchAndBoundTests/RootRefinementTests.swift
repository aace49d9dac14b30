import Foundation
import LinearAlgebra
import NNGraph
import Testing
import TestSupport
import VNNLib
@testable import BranchAndBound

/// LP and MILP refinement of the root's intermediate bounds in activation-split search
/// (``ActivationSplitBranchAndBound/refinedRootBounds(_:objective:box:deadline:statistics:)``): sampled values of
/// the network inside the refined bounds, on ordinary, tiny, huge and one-sided input boxes, with and without the
/// alpha-CROWN re-optimisation of the later values (``ActivationSplitOptions/rootRefinementAlpha``).
@Suite struct RootRefinementTests {
    static func box(_ shape: Int, _ n: Int, using rng: inout SeededGenerator) -> InputBox {
        var lo = [Double](), hi = [Double]()
        for _ in 0..<n {
            let c = rng.uniform(-1, 1)
            let w = [rng.uniform(0.1, 1.5), rng.uniform(0, 1e-9), rng.uniform(50, 500), rng.uniform(0.1, 1.5)][shape]
            if shape == 3 { lo.append(0); hi.append(w) } else { lo.append(c - w / 2); hi.append(c + w / 2) }
        }
        return InputBox(lower: lo, upper: hi)
    }

    @Test(arguments: 0..<4, [(false, false), (false, true), (true, false), (true, true)])
    func refinedRootBoundsHoldSamples(shape: Int, setting: (milp: Bool, alpha: Bool)) throws {
        let (milp, alpha) = setting
        let name = ["ordinary", "tiny", "huge", "one-sided"][shape] + (milp ? " (MILP)" : " (LP)") + (alpha ? " alpha" : "")
        var refinedSome = 0
        for seed in UInt64(0)..<10 {
            var rng = SeededGenerator(seed: 1690 + seed)
            let net = RandomNetworks.mlp([4, 8, 8, 8, 3], weightScale: 1.5, using: &rng)
            let box = Self.box(shape, 4, using: &rng)
            let samples = RandomNetworks.samples(of: box, count: 200, using: &rng)
            let values = net.evaluateAll(samples)
            let out = values[net.output]
            let t = (0..<out.rows).map { out[$0, 0] - out[$0, 1] }.min()! - 0.1
            let specCase = SpecCase(box: box, disjuncts: [[LinearConstraint(coefficients: [1, -1, 0], constant: -t)]])
            var options = ActivationSplitOptions()
            options.rootLPShare = 0.5
            options.rootLPNeurons = 6
            options.rootRefinementAlpha = alpha
            if milp {  // every unstable neuron, each side by a phase branch-and-bound of at most 8 LPs
                options.rootMILPShare = 0.5
                options.rootMILPNodes = 8
            }
            let search = ActivationSplitBranchAndBound(network: net, options: options)
            let deadline = Date().addingTimeInterval(10)
            guard let (domain, objective, interval) = search.openRoot(of: specCase, deadline: deadline) else { continue }
            var stats = BranchAndBoundStatistics()
            guard let refined = search.refinedRootBounds(domain, objective: objective, box: interval, deadline: deadline,
                                                         statistics: &stats) else { continue }
            for (v, b) in refined.bounds {
                let before = try #require(domain.bounds[v])
                for j in 0..<b.cols {
                    #expect(b.lower.data[j] >= before.lower.data[j] && b.upper.data[j] <= before.upper.data[j], "\(name) seed \(seed): looser")
                    if b.lower.data[j] > before.lower.data[j] || b.upper.data[j] < before.upper.data[j] { refinedSome += 1 }
                    for r in 0..<samples.rows {
                        let x = values[v][r, j]
                        let slack = 1e-9 * (1 + abs(x))
                        #expect(b.lower.data[j] - slack <= x && x <= b.upper.data[j] + slack,
                                "\(name) seed \(seed) value \(v)[\(j)]: \(x) outside [\(b.lower.data[j]), \(b.upper.data[j])]")
                    }
                }
            }
        }
        if shape != 1 { #expect(refinedSome > 0, "\(name): the LP never tightened a root bound") }
    }

    /// The check after each refined value (``ActivationSplitOptions/rootRefinementCheck``) ends the MILP refinement
    /// once the root's bound refutes it. Margin `m` above the sampled minimum of `y0 − y1` makes the case `sat` (a
    /// sample violates it): the check must never refute it. Below the minimum, the check must refute some roots
    /// before the refinement has taken every neuron the unchecked refinement takes.
    @Test(arguments: [-0.05, 0.05])
    func checkEndsTheRefinementOnlyOnRefutedRoots(margin: Double) throws {
        var earlier = 0
        for seed in UInt64(0)..<30 {
            var rng = SeededGenerator(seed: 4410 + seed)
            let net = RandomNetworks.mlp([4, 8, 8, 8, 8, 3], weightScale: 1.5, using: &rng)
            let box = Self.box(0, 4, using: &rng)
            let samples = RandomNetworks.samples(of: box, count: 400, using: &rng)
            let out = net.evaluate(samples)
            let t = (0..<out.rows).map { out[$0, 0] - out[$0, 1] }.min()! + margin
            let specCase = SpecCase(box: box, disjuncts: [[LinearConstraint(coefficients: [1, -1, 0], constant: -t)]])
            func refine(check: Bool) -> (refined: (bounds: [ValueID: IntervalMatrix], refuted: [ActivationSplitBranchAndBound.ChildResult]?)?,
                                          stats: BranchAndBoundStatistics)? {
                var options = ActivationSplitOptions()
                options.rootMILPShare = 0.9
                options.rootMILPNodes = 4
                options.rootRefinementCheck = check
                let search = ActivationSplitBranchAndBound(network: net, options: options)
                let deadline = Date().addingTimeInterval(20)
                guard let (domain, objective, interval) = search.openRoot(of: specCase, deadline: deadline) else { return nil }
                var stats = BranchAndBoundStatistics()
                let refined = search.refinedRootBounds(domain, objective: objective, box: interval, deadline: deadline, statistics: &stats)
                return (refined, stats)
            }
            guard let checked = refine(check: true), let plain = refine(check: false) else { continue }
            #expect(plain.refined?.refuted == nil, "seed \(seed): a refutation without the check")
            guard let refuted = checked.refined?.refuted else { continue }
            #expect(margin < 0, "seed \(seed): the check refuted a root that a sample violates")
            guard case .refuted? = refuted.first else { Issue.record("seed \(seed): not a refutation"); continue }
            #expect(checked.stats.notes["root refinement checks"]?.hasSuffix("the last refuted the root") == true)
            let neurons = { (s: BranchAndBoundStatistics) in
                Int(s.notes["root MILP refinement"]?.split(separator: ",").dropFirst().first?.split(separator: " ").first ?? "") ?? -1 }
            if neurons(checked.stats) < neurons(plain.stats) { earlier += 1 }
        }
        if margin < 0 { #expect(earlier > 0, "the check never ended a refinement early") }
    }
}
