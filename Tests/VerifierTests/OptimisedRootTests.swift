import Bounds
import Foundation
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

    /// The property `y_0 > t` of ``gapInstance()`` with `t` a quarter of the way from the CROWN to the
    /// alpha-CROWN bound (unsafe set: `y_0 − t <= 0`), and `t`.
    static func gapProperty() throws -> (network: Network, spec: Specification, box: InputBox, t: Double) {
        let instance = try #require(gapInstance(), "no seed gave alpha-CROWN a clear gain over CROWN")
        let t = instance.crown + 0.25 * (instance.alpha - instance.crown)
        let spec = Specification(inputCount: 4, outputCount: 1,
                                 cases: [SpecCase(box: instance.box, disjuncts: [[LinearConstraint(coefficients: [1], constant: -t)]])])
        return (instance.network, spec, instance.box, t)
    }

    /// The property `y_0 > t` with `t` between the CROWN and alpha-CROWN bounds: with four free inputs
    /// and the input-split limit at 1, `auto` bounds the whole box; CROWN alone leaves it unknown,
    /// the alpha-CROWN stage proves it.
    @Test func alphaCROWNProvesWhatCROWNCannot() throws {
        let instance = try Self.gapProperty(), spec = instance.spec, t = instance.t
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

/// The alpha-CROWN stage under a stop (the resident-memory limit, ``OptimisedRootBoundOptions/stop``):
/// it answers `unknown` with the stop's reason, whether the stop fires before it starts or during its
/// iterations, and never a verdict the unstopped bound would not give.
@Suite struct OptimisedRootStopTests {
    final class Countdown: @unchecked Sendable {
        private let lock = NSLock()
        private var left: Int
        init(_ calls: Int) { left = calls }
        func tick() -> String? { lock.withLock { left -= 1; return left < 0 ? "stopped for the test" : nil } }
    }

    @Test(arguments: [0, 3]) func aStopEndsTheBoundWithItsReason(callsBeforeStop: Int) throws {
        let instance = try OptimisedRootTests.gapProperty(), specCase = instance.spec.cases[0]
        let free = OptimisedRootBound(network: instance.network).run(specCase, deadline: Date().addingTimeInterval(20))
        guard case .verified = free else { Issue.record("the unstopped bound must prove the case: \(free)"); return }
        var options = OptimisedRootBoundOptions()
        let countdown = Countdown(callsBeforeStop)
        options.stop = { countdown.tick() }
        let stopped = OptimisedRootBound(network: instance.network, options: options).run(specCase, deadline: Date().addingTimeInterval(20))
        switch stopped {
        case .unknown(let reason): #expect(reason == "stopped for the test")
        // A stop during the iterations keeps the bound in hand, which may already prove the case.
        case .verified: #expect(callsBeforeStop > 0, "a stop before the start must not bound anything")
        default: Issue.record("a stopped bound answers unknown (or what the unstopped one proves): \(stopped)")
        }
    }

    /// End to end: a resident limit below what the process holds makes the verifier answer `unknown` naming the
    /// limit on the instance the alpha-CROWN stage would prove (no later stage starts past the limit).
    @Test func aResidentLimitStopsTheVerifierBeforeAlphaCROWNDecides() throws {
        let instance = try OptimisedRootTests.gapProperty(), spec = instance.spec
        var options = VerifierOptions()
        options.inputSplitMaxDimension = 1
        options.timeout = 20
        options.progress = SearchProgress(memoryLimit: 1 << 20)
        let capped = Verifier(options: options).verify(network: instance.network, specification: spec)
        #expect(capped.verdict == .unknown, "\(capped.verdict) \(capped.decidedBy)")
        #expect(capped.decidedBy.contains("exceeded the limit of 1 MB (memory limit)"), "\(capped.decidedBy)")
    }
}
