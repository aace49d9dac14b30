import Foundation
import LinearAlgebra
import NNGraph
import Testing
import TestSupport
import VNNLib
@testable import BranchAndBound

/// LeakyReLU, Clip and Abs networks: activation-split and input-split verdicts against the exact MILP
/// (whose encoding of these activations is written independently, by ReLU identities) on a few hundred
/// seeded random networks and specifications, as ReLU networks are checked.
@Suite struct PiecewiseAgreementTests {
    static let activations: [TestActivation] = [.leakyRelu, .clip, .abs]

    /// A random case: network, spec with a threshold near the sampled minimum, and its exact margin
    /// (nil when too close to call for a floating-point reference).
    static func randomCase(_ activation: TestActivation, inputs: Int, width: Int, trial: Int, below: Double = -0.4,
                           rng: inout SeededGenerator) throws -> (Network, SpecCase, Double)? {
        let net = RandomNetworks.mlp([inputs, width, width, 3], activation: activation, extras: trial % 3 == 0, using: &rng)
        let box = RandomNetworks.box(inputs, maxWidth: 1.5, using: &rng)
        let samples = net.evaluate(RandomNetworks.samples(of: box, count: 60, using: &rng))
        let diffs = (0..<samples.rows).map { samples[$0, 0] - samples[$0, 1] }
        let t = diffs.min()! + rng.uniform(below, 0.05)
        var disjuncts = [[LinearConstraint(coefficients: [1, -1, 0], constant: -t)]]
        if trial % 4 == 0 { disjuncts.append([LinearConstraint(coefficients: [0, -1, 1], constant: 5)]) }
        let specCase = SpecCase(box: box, disjuncts: disjuncts)
        let exact = try ExactMILP.minimumMargin(net, specCase)
        return abs(exact) < 1e-5 ? nil : (net, specCase, exact)
    }

    @Test(arguments: activations)
    func activationSplitMatchesMILP(activation: TestActivation) throws {
        var rng = SeededGenerator(seed: 9090)
        var sat = 0, unsat = 0, split = 0
        for trial in 0..<70 {
            let inputs = Int.random(in: 2...6, using: &rng), width = Int.random(in: 4...8, using: &rng)
            guard let (net, specCase, exact) = try Self.randomCase(activation, inputs: inputs, width: width, trial: trial,
                                                                    rng: &rng) else { continue }
            #expect(ActivationSplitBranchAndBound.applies(to: net))
            var stats = BranchAndBoundStatistics()
            var options = ActivationSplitOptions()
            options.leafAttackDomains = trial % 2
            // The default (FSB with the domain search) on odd trials, the plain branching score without any
            // search on even ones: FSB alone leaves sat cases to the leaves' LPs and decided Clip trial 58
            // only after the 20 s limit.
            options.filteredBranching = trial % 2 == 1 ? 3 : 1
            // A generous deadline: the hardest case needs ~3,700 domains (about 3 s on an idle machine, 12 s
            // at load 11); a timeout here is recorded as a failure, so it must not depend on the machine's load.
            let outcome = ActivationSplitBranchAndBound(network: net, options: options)
                .run(specCase, deadline: Date().addingTimeInterval(90), statistics: &stats)
            if stats.domainsBounded > 1 { split += 1 }
            switch try MILPAgreement.check(outcome, exact: exact, network: net, specCase: specCase,
                                           trial: "\(activation) trial \(trial)") {
            case .sat?: sat += 1
            case .unsat?: unsat += 1
            case nil: break
            }
        }
        #expect(sat >= 8 && unsat >= 8, "\(activation): both verdicts exercised: \(sat) sat, \(unsat) unsat")
        #expect(split >= 5, "\(activation): branching exercised on \(split) cases")
    }

    @Test(arguments: activations)
    func inputSplitMatchesMILP(activation: TestActivation) throws {
        var rng = SeededGenerator(seed: 9191)
        var sat = 0, unsat = 0
        for trial in 0..<50 {
            let inputs = Int.random(in: 1...3, using: &rng)
            // Few inputs: the sampled minimum is close to the true one, so thresholds stay near it.
            guard let (net, specCase, exact) = try Self.randomCase(activation, inputs: inputs, width: 6, trial: trial,
                                                                    below: -0.05, rng: &rng) else { continue }
            var options = InputSplitOptions()
            options.exactLeafUnstable = trial % 2 == 0 ? 0 : InputSplitOptions().exactLeafUnstable
            var stats = BranchAndBoundStatistics()
            let outcome = InputSplitBranchAndBound(network: net, options: options)
                .run(specCase, deadline: Date().addingTimeInterval(20), statistics: &stats)
            switch try MILPAgreement.check(outcome, exact: exact, network: net, specCase: specCase,
                                           trial: "\(activation) trial \(trial)") {
            case .sat?: sat += 1
            case .unsat?: unsat += 1
            case nil: break
            }
        }
        #expect(sat >= 5 && unsat >= 5, "\(activation): both verdicts exercised: \(sat) sat, \(unsat) unsat")
    }
}
