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
            options.minimumChildrenPerWorker = trial % 3 == 1 ? 1 : 8  // and batches bounded in two threads
            options.filteredBranching = trial % 5 == 4 ? 1 : 3  // and the branching score alone (no FSB)
            options.domainClipping = trial % 3 != 2  // domain clipping on two trials of three
            options.nogoods = trial % 4 == 1  // nogoods inferred from the search on a quarter (strengthening always allowed)
            options.nogoodShare = 1
            options.singlePrecisionProducts = trial % 2 == 1  // and pull-back products in single precision
            if trial % 4 == 3 { options.batchWork = 1 << 12 }  // and batches sized from the network
            if trial % 7 >= 4 {  // and LP-refined root bounds (warm re-solves on two of three such trials)
                options.rootLPShare = 0.3
                options.rootLPNeurons = 1 + trial % 6
                options.rootLPWarmStart = trial % 3 != 0
            } else if trial % 7 == 3 {  // and MILP-refined root bounds (phase branch-and-bound per neuron)
                options.rootMILPShare = 0.3
                options.rootMILPNodes = 1 + trial % 9
            }
            let outcome = ActivationSplitBranchAndBound(network: net, options: options)
                .run(specCase, deadline: Date().addingTimeInterval(20), statistics: &stats)
            if stats.domainsBounded > 1 { split += 1 }
            switch try MILPAgreement.check(outcome, exact: exact, network: net, specCase: specCase, trial: "trial \(trial)") {
            case .sat?: sat += 1
            case .unsat?: unsat += 1
            case nil: break
            }
        }
        #expect(sat >= 20 && unsat >= 20, "both verdicts exercised: \(sat) sat, \(unsat) unsat")
        #expect(split >= 20, "branching exercised on \(split) cases")
    }

    /// A longer run of the same comparison (1 200 networks, up to 3 layers, random batch sizes, no
    /// leaf attacks: every sat must come from the bounds' candidates or the leaf LP), run by hand:
    /// `NNVERIFY_SOAK=1 swift test -c release -Xswiftc -enable-testing --filter soak`.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["NNVERIFY_SOAK"] != nil))
    func soakAgainstMILP() throws {
        var decided = 0
        for seed in UInt64(100)..<UInt64(108) {
            var rng = SeededGenerator(seed: seed)
            for trial in 0..<150 {
                let inputs = Int.random(in: 2...10, using: &rng)
                let width = Int.random(in: 4...12, using: &rng)
                let depth = Int.random(in: 1...3, using: &rng)
                let net = RandomNetworks.mlp([inputs] + Array(repeating: width, count: depth) + [3], extras: trial % 3 == 0, using: &rng)
                let box = RandomNetworks.box(inputs, maxWidth: 2, using: &rng)
                let samples = net.evaluate(RandomNetworks.samples(of: box, count: 60, using: &rng))
                let t = (0..<samples.rows).map { samples[$0, 0] - samples[$0, 1] }.min()! + rng.uniform(-0.4, 0.05)
                var disjuncts = [[LinearConstraint(coefficients: [1, -1, 0], constant: -t)]]
                if trial % 4 == 0 {
                    disjuncts.append([LinearConstraint(coefficients: [0, -1, 1], constant: 5), LinearConstraint(coefficients: [1, 0, -1], constant: -1)])
                }
                let specCase = SpecCase(box: box, disjuncts: disjuncts)
                let exact = try ExactMILP.minimumMargin(net, specCase)
                if abs(exact) < 1e-6 { continue }
                var stats = BranchAndBoundStatistics()
                var options = ActivationSplitOptions()
                options.leafAttackDomains = 0
                options.batchDomains = Int.random(in: 1...8, using: &rng)
                let outcome = ActivationSplitBranchAndBound(network: net, options: options)
                    .run(specCase, deadline: Date().addingTimeInterval(20), statistics: &stats)
                if try MILPAgreement.check(outcome, exact: exact, network: net, specCase: specCase, trial: "seed \(seed) trial \(trial)") != nil {
                    decided += 1
                }
            }
        }
        print("soak: \(decided) cases decided, all agreeing with the MILP")
    }

    @Test func appliesOnlyToReLUNetworks() {
        var rng = SeededGenerator(seed: 1)
        #expect(ActivationSplitBranchAndBound.applies(to: RandomNetworks.mlp([2, 3, 1], activation: .relu, using: &rng)))
        #expect(!ActivationSplitBranchAndBound.applies(to: RandomNetworks.mlp([2, 3, 1], activation: .sigmoid, using: &rng)))
    }
}

/// Batches sized from the network (``ActivationSplitOptions/batchWork``): fewer domains per batch as the
/// network grows, within 8 ... 128, and the fixed size when the option is off.
@Suite struct BatchSizeTests {
    @Test func domainsPerBatchShrinkWithTheNetwork() {
        var rng = SeededGenerator(seed: 3)
        var options = ActivationSplitOptions()
        options.batchWork = 1 << 22
        func batch(_ hidden: Int, layers: Int, rows: Int = 9) -> Int {
            let net = RandomNetworks.mlp([4] + Array(repeating: hidden, count: layers) + [10], using: &rng)
            return ActivationSplitBranchAndBound(network: net, options: options).domainsPerBatch(objectiveRows: rows)
        }
        // mnistfc's shapes: 9 × 512 × 2, 9 × 1024 × 4 and 9 × 1536 × 6 work per child.
        #expect(batch(256, layers: 2) == 128)
        #expect(batch(256, layers: 4) == 32)
        #expect(batch(256, layers: 6) == 16)
        #expect(batch(512, layers: 8) == 8)
        options.batchWork = nil
        #expect(batch(256, layers: 2) == ActivationSplitOptions().batchDomains)
    }
}
