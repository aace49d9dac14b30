import Bounds
import BranchAndBound
import LinearAlgebra
import NNGraph
import Testing
import TestSupport
import VNNLib
@testable import Verifier

/// The verifier's alpha-CROWN stage for sigmoid/tanh networks with many free inputs.
@Suite struct OptimisedRootTests {
    /// A seeded sigmoid network and box where alpha-CROWN's bound of `y_0` is well above CROWN's,
    /// with both bounds.
    static func gapInstance() -> (network: Network, box: InputBox, crown: Double, alpha: Double)? {
        for seed in UInt64(0)..<20 {
            var rng = SeededGenerator(seed: 500 + seed)
            let net = RandomNetworks.mlp([4, 12, 12, 1], activation: .sigmoid, weightScale: 3, using: &rng)
            let box = RandomNetworks.box(4, maxWidth: 1, using: &rng)
            let crown = CROWN(network: net, tryRelaxationVariants: false)
            let input = box.intervalBatch
            let c = Matrix(rowVectors: [[1]])
            let plain = crown.lowerBound(of: net.output, objective: c, constant: [0], input: input,
                                         bounds: crown.intermediateBounds(input: input)).lower[0, 0]
            let options = OptimisedRootBoundOptions()
            let bounds = crown.optimisedIntermediateBounds(input: input, options: options.intermediate)
            var objective = options.objective
            objective.stopAbove = nil
            let alpha = crown.optimisedLowerBound(of: net.output, objective: c, constant: [0], input: input, bounds: bounds,
                                                  options: objective).bound.lower[0]
            if alpha - plain > 0.05 { return (net, box, plain, alpha) }
        }
        return nil
    }

    /// The property `y_0 > t` with `t` between the CROWN and alpha-CROWN bounds: with four free inputs
    /// and the input-split limit at 1, `auto` bounds the whole box; CROWN alone leaves it unknown,
    /// the alpha-CROWN stage proves it.
    @Test func alphaCROWNProvesWhatCROWNCannot() throws {
        let instance = try #require(Self.gapInstance(), "no seed gave alpha-CROWN a clear gain over CROWN")
        let t = instance.crown + 0.25 * (instance.alpha - instance.crown)
        // Unsafe set: y_0 − t <= 0.
        let spec = Specification(inputCount: 4, outputCount: 1,
                                 cases: [SpecCase(box: instance.box, disjuncts: [[LinearConstraint(coefficients: [1], constant: -t)]])])
        var options = VerifierOptions()
        options.inputSplitMaxDimension = 1
        options.timeout = 20
        let proved = Verifier(options: options).verify(network: instance.network, specification: spec)
        #expect(proved.verdict == .unsat)
        #expect(proved.decidedBy == "bounds (alpha-CROWN)")
        options.optimisedRoot = nil
        options.timeout = 3
        let plain = Verifier(options: options).verify(network: instance.network, specification: spec)
        #expect(plain.verdict == .unknown || plain.verdict == .timeout, "CROWN alone: \(plain.verdict)")
        // And the property does hold on samples (PGD found nothing, and neither do these).
        var rng = SeededGenerator(seed: 7)
        let x = RandomNetworks.samples(of: instance.box, count: 3000, using: &rng)
        let y = instance.network.evaluate(x)
        for s in 0..<x.rows { #expect(y[s, 0] > t) }
    }
}
