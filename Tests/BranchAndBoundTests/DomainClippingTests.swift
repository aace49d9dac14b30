import Foundation
import LinearAlgebra
import NNGraph
import Testing
import TestSupport
import VNNLib
@testable import BranchAndBound

/// Domain clipping in activation-split search (``ActivationSplitOptions/domainClipping``): a domain's clipped
/// box may drop only points that are safe. Many points of the case's box are sampled; every one that violates
/// the property and satisfies a domain's split constraints must lie inside that domain's clipped box (and no
/// such point may exist in a domain that clipping refuted), on ordinary, tiny, huge and one-sided boxes, three
/// levels of splits deep.
@Suite struct DomainClippingTests {
    @Test(arguments: 0..<4)
    func clippedBoxesKeepEveryViolation(shape: Int) throws {
        let name = ["ordinary", "tiny", "huge", "one-sided"][shape]
        var clipped = 0, checked = 0
        for seed in UInt64(0)..<12 {
            var rng = SeededGenerator(seed: 1610 + seed)
            let net = RandomNetworks.mlp([4, 8, 8, 3], weightScale: 1.5, using: &rng)
            let box = RootRefinementTests.box(shape, 4, using: &rng)
            let samples = RandomNetworks.samples(of: box, count: 600, using: &rng)
            let values = net.evaluateAll(samples)
            let out = values[net.output]
            // Thresholds at low quantiles, so that the violating region is a small part of the box.
            func quantile(_ f: (Int) -> Double, _ q: Double) -> Double {
                let sorted = (0..<out.rows).map(f).sorted()
                return sorted[Int(q * Double(sorted.count - 1))]
            }
            let t0 = quantile({ out[$0, 0] - out[$0, 1] }, [0.002, 0.01, 0.05][Int(seed % 3)])
            var disjuncts = [[LinearConstraint(coefficients: [1, -1, 0], constant: -t0)]]
            if seed % 2 == 1 {
                let t1 = quantile({ out[$0, 2] - out[$0, 0] }, 0.1), t2 = quantile({ out[$0, 1] - out[$0, 0] }, 0.5)
                disjuncts.append([LinearConstraint(coefficients: [-1, 0, 1], constant: -t1),
                                  LinearConstraint(coefficients: [-1, 1, 0], constant: -t2)])
            }
            let specCase = SpecCase(box: box, disjuncts: disjuncts)
            let violating = (0..<samples.rows).filter { r in specCase.isViolated(by: (0..<out.cols).map { out[r, $0] }) }
            var options = ActivationSplitOptions()
            options.domainClipping = true
            options.filteredBranching = 1
            options.workers = 1
            let search = ActivationSplitBranchAndBound(network: net, options: options)
            let objective = SpecObjective(specCase, outputCount: net.outputSize)
            let interval = box.intervalBatch
            let deadline = Date().addingTimeInterval(20)
            let root = search.rootChild(box: interval, open: Array(disjuncts.indices), deadline: deadline)
            var level = [root]
            for depth in 0..<4 where !level.isEmpty {
                let results = search.bound(level, objective: objective, box: interval, optimisation: options.optimisation,
                                           deadline: deadline)
                var next = [ActivationSplitBranchAndBound.Child]()
                for (child, result) in zip(level, results) {
                    // The points the domain covers: its split constraints hold there.
                    let inside = violating.filter { r in
                        child.splits.allSatisfy { v, signs in
                            signs.indices.allSatisfy { j in signs[j] == 0 || signs[j] * values[v][r, j] >= 0 }
                        }
                    }
                    let kept: InputBox?
                    switch result {
                    case .refuted: kept = nil
                    case .counterexample: continue
                    case .open(let d, _):
                        kept = d.box.map { InputBox(lower: $0.lower.data, upper: $0.upper.data) } ?? box
                        if d.box != nil { clipped += 1 }
                        if depth < 3 { for sign in [1.0, -1.0] { next.append(search.child(of: d, sign: sign)) } }
                    case .unsplittable(let c):
                        kept = c.box.map { InputBox(lower: $0.lower.data, upper: $0.upper.data) } ?? box
                    }
                    for r in inside {
                        checked += 1
                        let x = samples.row(r)
                        #expect(kept?.contains(Array(x)) == true,
                                "\(name) seed \(seed) depth \(depth): violating point \(Array(x)) dropped (kept box \(String(describing: kept)))")
                    }
                }
                level = next
            }
        }
        #expect(checked > 0, "\(name): no violating sample was checked")
        if shape != 1 { #expect(clipped > 0, "\(name): clipping never shrank a domain's box") }
    }
}
