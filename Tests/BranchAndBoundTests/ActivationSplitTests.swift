import Foundation
import LinearAlgebra
import NNGraph
import Testing
import TestSupport
import VNNLib
@testable import BranchAndBound

/// Activation-split branch-and-bound against exact MILP answers on a few hundred seeded random
/// ReLU networks and specifications (wider inputs than the input-split tests).
@Suite struct ActivationSplitTests {
    @Test func verdictsMatchMILPOnRandomNetworks() throws {
        var rng = SeededGenerator(seed: 7070)
        var sat = 0, unsat = 0, split = 0
        for trial in 0..<200 {
            let inputs = Int.random(in: 2...8, using: &rng)
            let width = Int.random(in: 4...10, using: &rng)
            let net = RandomNetworks.mlp([inputs, width, width, 3], extras: trial % 3 == 0, using: &rng)
            let box = RandomNetworks.box(inputs, maxWidth: 1.5, using: &rng)
            let samples = net.evaluate(RandomNetworks.samples(of: box, count: 60, using: &rng))
            let diffs = (0..<samples.rows).map { samples[$0, 0] - samples[$0, 1] }
            let t = diffs.min()! + rng.uniform(-0.4, 0.05)
            var disjuncts = [[LinearConstraint(coefficients: [1, -1, 0], constant: -t)]]
            if trial % 4 == 0 { disjuncts.append([LinearConstraint(coefficients: [0, -1, 1], constant: 5)]) }
            let specCase = SpecCase(box: box, disjuncts: disjuncts)
            let exact = try ExactMILP.minimumMargin(net, specCase)
            if abs(exact) < 1e-5 { continue }  // too close to call for a floating-point reference
            var stats = BranchAndBoundStatistics()
            var options = ActivationSplitOptions()
            options.leafAttackDomains = trial % 2  // also exercise the search without leaf attacks
            let outcome = ActivationSplitBranchAndBound(network: net, options: options)
                .run(specCase, deadline: Date().addingTimeInterval(20), statistics: &stats)
            if stats.domainsBounded > 1 { split += 1 }
            switch outcome {
            case .verified:
                #expect(exact > 0, "trial \(trial): proved a case whose exact margin is \(exact)")
                unsat += 1
            case .counterexample(let x):
                #expect(exact < 0, "trial \(trial): counterexample but the exact margin is \(exact)")
                let y = try net.evaluate(x)
                #expect(box.contains(x) && specCase.isViolated(by: y))
                sat += 1
            case .unknown(let reason):
                Issue.record("trial \(trial): unknown (\(reason)); exact margin \(exact)")
            case .timeout:
                Issue.record("trial \(trial): timeout; exact margin \(exact)")
            }
        }
        #expect(sat >= 20 && unsat >= 20, "both verdicts exercised: \(sat) sat, \(unsat) unsat")
        #expect(split >= 20, "branching exercised on \(split) cases")
    }

    @Test func appliesOnlyToReLUNetworks() {
        var rng = SeededGenerator(seed: 1)
        #expect(ActivationSplitBranchAndBound.applies(to: RandomNetworks.mlp([2, 3, 1], activation: .relu, using: &rng)))
        #expect(!ActivationSplitBranchAndBound.applies(to: RandomNetworks.mlp([2, 3, 1], activation: .sigmoid, using: &rng)))
    }
}
