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
            let objective = SpecObjective(specCase, outputCount: net.outputSize)
            let interval = box.intervalBatch
            let deadline = Date().addingTimeInterval(10)
            let rootBounds = search.crown.intermediateBounds(input: interval, deadline: deadline)
            let root = ActivationSplitBranchAndBound.Child(splits: [:], offsetSplits: [], bounds: rootBounds, parameters: nil,
                                                           open: [0], newSplit: nil)
            guard case .open(let domain, _)? = search.bound([root], objective: objective, box: interval,
                                                            optimisation: options.rootOptimisation, deadline: deadline).first else { continue }
            var stats = BranchAndBoundStatistics()
            guard let refined = search.refinedRootBounds(domain, objective: objective, box: interval, deadline: deadline,
                                                         statistics: &stats) else { continue }
            for (v, b) in refined {
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
}
