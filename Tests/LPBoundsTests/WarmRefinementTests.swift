import Bounds
import LinearAlgebra
import LPBounds
import NNGraph
import Testing
import TestSupport
import VNNLib

/// LP refinement with warm-started GLPK re-solves (``LPSession``) against fresh problems per LP.
@Suite struct WarmRefinementTests {
    @Test(arguments: BoxShape.allCases)
    func warmReSolvesAreSoundAndMatchFreshProblems(shape: BoxShape) throws {
        for seed in UInt64(0)..<8 {
            var rng = SeededGenerator(seed: 1600 + seed)
            let network = RandomNetworks.mlp([4, 7, 7, 6, 2], weightScale: 1.5, using: &rng)
            let box = shape.box(4, using: &rng)
            let crown = CROWN(network: network).intermediateBounds(input: box.intervalBatch)
            let refinement = try BoundRefinement(network: network)
            let warm = try refinement.refine(box: box, bounds: crown, options: BoundRefinementOptions(warmStart: true))
            let cold = try refinement.refine(box: box, bounds: crown, options: BoundRefinementOptions(warmStart: false))
            #expect(warm.failures == 0 && cold.failures == 0, "\(shape) seed \(seed): LP failures")
            #expect(warm.neurons.count == cold.neurons.count)
            for (a, b) in zip(warm.neurons, cold.neurons) {
                let scale = 1e-6 * (1 + abs(b.lower) + abs(b.upper))
                #expect(a.value == b.value && a.neuron == b.neuron)
                #expect(abs(a.lower - b.lower) <= scale || (a.lower == b.lower), "\(shape) seed \(seed): lower \(a.lower) vs \(b.lower)")
                #expect(abs(a.upper - b.upper) <= scale || (a.upper == b.upper), "\(shape) seed \(seed): upper \(a.upper) vs \(b.upper)")
            }
            let sampled = Sampled(network, box: box, count: 200, using: &rng)
            for v in activationInputs(network) {
                let refined = try #require(warm.bounds[v])
                for j in 0..<network.size(of: v) {
                    for r in 0..<sampled.count {
                        let x = sampled.values[v][r, j]
                        let slack = 1e-9 * (1 + abs(x))
                        #expect(refined.lower[0, j] - slack <= x && x <= refined.upper[0, j] + slack,
                                "\(shape) seed \(seed) value \(v)[\(j)]: \(x) outside [\(refined.lower[0, j]), \(refined.upper[0, j])]")
                    }
                }
            }
        }
    }

    @Test func onlyTheNamedNeuronsAreRefined() throws {
        var rng = SeededGenerator(seed: 1661)
        let network = RandomNetworks.mlp([3, 8, 8, 2], weightScale: 1.5, using: &rng)
        let box = RandomNetworks.box(3, maxWidth: 1.5, using: &rng)
        let crown = CROWN(network: network).intermediateBounds(input: box.intervalBatch)
        let v = activationInputs(network).last!
        var options = BoundRefinementOptions()
        options.neurons = [v: [0, 2, 5]]
        let result = try BoundRefinement(network: network).refine(box: box, bounds: crown, options: options)
        #expect(result.neurons.allSatisfy { $0.value == v && [0, 2, 5].contains($0.neuron) })
    }
}
