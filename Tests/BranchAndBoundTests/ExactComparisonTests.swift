import Foundation
import LinearAlgebra
import NNGraph
import Testing
import TestSupport
import VNNLib
@testable import BranchAndBound

/// Branch-and-bound verdicts against exact MILP answers on seeded random small networks and specs.
@Suite struct ExactComparisonTests {
    /// Run with bound propagation alone (no exact leaves: these networks have at most 12 ReLUs, so the
    /// default would decide every root domain exactly) and with the default exact leaves.
    @Test(arguments: [0, InputSplitOptions().exactLeafUnstable])
    func verdictsMatchMILPOnRandomNetworks(exactLeafUnstable: Int) throws {
        var rng = SeededGenerator(seed: 2024)
        var options = InputSplitOptions()
        options.exactLeafUnstable = exactLeafUnstable
        var decided = 0, sat = 0, unsat = 0
        for trial in 0..<60 {
            let inputs = Int.random(in: 1...3, using: &rng)
            let net = RandomNetworks.mlp([inputs, 6, 6, 2], extras: trial % 3 == 0, using: &rng)
            let box = RandomNetworks.box(inputs, maxWidth: 1, using: &rng)
            // Unsafe set: y0 - y1 <= t (one disjunct), or a second disjunct y1 >= s.
            let samples = net.evaluate(RandomNetworks.samples(of: box, count: 50, using: &rng))
            let diffs = (0..<samples.rows).map { samples[$0, 0] - samples[$0, 1] }
            let t = diffs.min()! + rng.uniform(-0.3, 0.05)
            var disjuncts = [[LinearConstraint(coefficients: [1, -1], constant: -t)]]
            if trial % 4 == 0 { disjuncts.append([LinearConstraint(coefficients: [0, -1], constant: 5)]) }
            let specCase = SpecCase(box: box, disjuncts: disjuncts)
            let exact = try ExactMILP.minimumMargin(net, specCase)
            if abs(exact) < 1e-5 { continue }  // too close to call for a floating-point reference
            var stats = BranchAndBoundStatistics()
            options.singlePrecisionProducts = trial % 2 == 1  // pull-back products in single precision on half the trials
            let outcome = InputSplitBranchAndBound(network: net, options: options)
                .run(specCase, deadline: Date().addingTimeInterval(20), statistics: &stats)
            switch try MILPAgreement.check(outcome, exact: exact, network: net, specCase: specCase, trial: "trial \(trial)") {
            case .sat?: sat += 1
            case .unsat?: unsat += 1
            case nil: break
            }
            decided += 1
        }
        #expect(sat >= 10 && unsat >= 10, "both verdicts exercised: \(sat) sat, \(unsat) unsat")
    }

    /// With one domain allowed, bound propagation alone leaves most cases open; exact leaves decide
    /// them at the root, and their verdicts (counterexamples validated) agree with the MILP.
    @Test func exactLeavesDecideDomainsBoundsCannot() throws {
        var rng = SeededGenerator(seed: 77)
        var exactDecided = 0, boundsDecided = 0, sat = 0, unsat = 0
        for trial in 0..<40 {
            let net = RandomNetworks.mlp([2, 8, 8, 2], extras: false, using: &rng)
            let box = RandomNetworks.box(2, maxWidth: 1.5, using: &rng)
            let samples = net.evaluate(RandomNetworks.samples(of: box, count: 50, using: &rng))
            let diffs = (0..<samples.rows).map { samples[$0, 0] - samples[$0, 1] }
            let t = diffs.min()! + rng.uniform(-0.2, 0.02)
            let specCase = SpecCase(box: box, disjuncts: [[LinearConstraint(coefficients: [1, -1], constant: -t)]])
            let exact = try ExactMILP.minimumMargin(net, specCase)
            if abs(exact) < 1e-5 { continue }
            var options = InputSplitOptions()
            options.maxDomains = 1
            options.leafAttackDomains = 0
            var plain = options
            plain.exactLeafUnstable = 0
            var stats = BranchAndBoundStatistics()
            let deadline = Date().addingTimeInterval(20)
            if case .verified = InputSplitBranchAndBound(network: net, options: plain).run(specCase, deadline: deadline, statistics: &stats) {
                boundsDecided += 1
            }
            let outcome = InputSplitBranchAndBound(network: net, options: options).run(specCase, deadline: deadline, statistics: &stats)
            switch outcome {
            case .verified:
                #expect(exact > 0, "trial \(trial): proved a case whose exact margin is \(exact)")
                unsat += 1; exactDecided += 1
            case .counterexample(let x):
                #expect(exact < 0, "trial \(trial): counterexample but the exact margin is \(exact)")
                let y = try net.evaluate(x)
                #expect(specCase.box.contains(x) && specCase.isViolated(by: y))
                sat += 1; exactDecided += 1
            case .unknown, .timeout:
                break  // the node limit may leave a case open; it must never be wrong
            }
        }
        #expect(unsat >= 5 && sat >= 2, "both verdicts exercised: \(sat) sat, \(unsat) unsat")
        #expect(exactDecided > boundsDecided + 5, "exact leaves decided \(exactDecided), bounds alone \(boundsDecided)")
    }

    @Test func boxClippingKeepsEveryPointThatMayViolate() {
        var rng = SeededGenerator(seed: 31)
        for _ in 0..<500 {
            let n = 3
            var lo = (0..<n).map { _ in rng.uniform(-1, 0) }, hi = (0..<n).map { _ in rng.uniform(0, 1) }
            let (lo0, hi0) = (lo, hi)
            let a = (0..<n).map { _ in rng.uniform(-1, 1) }, c = rng.uniform(-0.5, 0.5)
            let feasible = BoxClipping.clip(lower: &lo, upper: &hi, a: a[...], c: c)
            for _ in 0..<50 {
                let x = (0..<n).map { rng.uniform(lo0[$0], hi0[$0]) }
                let value = zip(a, x).reduce(c) { $0 + $1.0 * $1.1 }
                if value <= 0 {
                    #expect(feasible, "a point with a·x + c <= 0 exists but clipping said none")
                    #expect((0..<n).allSatisfy { lo[$0] - 1e-12 <= x[$0] && x[$0] <= hi[$0] + 1e-12 }, "clipped away a possible violation")
                }
            }
        }
    }
}
