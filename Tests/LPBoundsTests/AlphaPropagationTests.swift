import Bounds
import LinearAlgebra
import LPBounds
import NNGraph
import Testing
import TestSupport

/// ``BoundRefinementOptions/alphaPropagation``: after each refined value the later values are re-optimised by
/// alpha-CROWN instead of recomputed by plain CROWN. The bounds must hold every sampled point, on ordinary, tiny,
/// huge and one-sided boxes, with the refinement cut short (few neurons per value, few phase nodes) so that the
/// later values' bounds come from the propagation rather than from their own LPs.
@Suite struct AlphaPropagationTests {
    @Test(arguments: BoxShape.allCases)
    func propagatedBoundsHoldSampledPointsAndTightenPlainCROWN(shape: BoxShape) throws {
        var tighter = 0
        for seed in UInt64(0)..<6 {
            var rng = SeededGenerator(seed: 1810 + seed)
            let network = RandomNetworks.mlp([4, 10, 10, 10, 10, 3], weightScale: 1.4, using: &rng)
            let box = shape.box(4, using: &rng)
            let crown = CROWN(network: network).intermediateBounds(input: box.intervalBatch)
            var options = BoundRefinementOptions(maxNeuronsPerValue: 2, concurrency: 2)
            options.phaseNodes = 4
            let plain = try BoundRefinement(network: network).refine(box: box, bounds: crown, options: options)
            var alpha = BoundOptimisation()
            alpha.iterations = 8
            options.alphaPropagation = alpha
            let propagated = try BoundRefinement(network: network).refine(box: box, bounds: crown, options: options)
            #expect(propagated.failures == 0 && !propagated.isEmpty, "\(shape) seed \(seed)")
            let sampled = Sampled(network, box: box, count: 300, using: &rng)
            for v in activationInputs(network) {
                let a = try #require(propagated.bounds[v]), b = try #require(plain.bounds[v])
                for j in 0..<network.size(of: v) {
                    let scale = 1e-7 * (1 + abs(b.lower[0, j]) + abs(b.upper[0, j]))
                    if a.lower[0, j] > b.lower[0, j] + scale || a.upper[0, j] < b.upper[0, j] - scale { tighter += 1 }
                    for r in 0..<sampled.count {
                        let x = sampled.values[v][r, j], slack = 1e-9 * (1 + abs(x))
                        #expect(a.lower[0, j] - slack <= x && x <= a.upper[0, j] + slack,
                                "\(shape) seed \(seed) \(v)[\(j)]: \(x) outside [\(a.lower[0, j]), \(a.upper[0, j])]")
                    }
                }
            }
        }
        // The propagation must do something: on ordinary boxes some bound is strictly tighter than plain CROWN's.
        if shape == .ordinary { #expect(tighter > 0, "alpha-CROWN propagation never tightened a bound") }
    }
}
