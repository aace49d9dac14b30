import Foundation
import LinearAlgebra
import NNGraph
import Testing
import TestSupport
import VNNLib
@testable import BranchAndBound

/// A second activation-split search of a case started from the first search's root (``ActivationSplitRoot``,
/// the verifier's escalation to a MILP-refined root): it agrees with the exact MILP, skips the root's bounding,
/// and ignores a root of another case or one whose bounding the first search's deadline cut short.
@Suite struct RootReuseTests {
    @Test func secondSearchFromTheFirstRootAgreesWithMILP() throws {
        var rng = SeededGenerator(seed: 9191)
        var reused = 0, decided = 0
        for trial in 0..<40 {
            let inputs = Int.random(in: 2...6, using: &rng)
            let width = Int.random(in: 5...10, using: &rng)
            let net = RandomNetworks.mlp([inputs, width, width, 3], using: &rng)
            let box = RandomNetworks.box(inputs, maxWidth: 1.5, using: &rng)
            let samples = net.evaluate(RandomNetworks.samples(of: box, count: 60, using: &rng))
            let t = (0..<samples.rows).map { samples[$0, 0] - samples[$0, 1] }.min()! + rng.uniform(-0.4, 0.05)
            let specCase = SpecCase(box: box, disjuncts: [[LinearConstraint(coefficients: [1, -1, 0], constant: -t)]])
            let exact = try ExactMILP.minimumMargin(net, specCase)
            if abs(exact) < 1e-5 { continue }
            // The first search may stop after its root (one domain), as the verifier's plain search stops at its share.
            var first = ActivationSplitOptions()
            first.maxDomains = 1
            // Or the root alone (``ActivationSplitBranchAndBound/root(of:deadline:statistics:)``, as the verifier bounds it).
            var root: ActivationSplitRoot?
            var firstStatistics = BranchAndBoundStatistics()
            let search = ActivationSplitBranchAndBound(network: net, options: first)
            if trial % 2 == 0 {
                _ = search.run(specCase, deadline: Date().addingTimeInterval(20), statistics: &firstStatistics, root: &root)
            } else {
                root = search.root(of: specCase, deadline: Date().addingTimeInterval(20), statistics: &firstStatistics)
            }
            #expect(root != nil, "trial \(trial): a root bounded in time is kept")
            #expect(firstStatistics.domainsBounded >= 1, "trial \(trial): the root counts as a bounded domain")
            var second = ActivationSplitOptions()
            second.rootMILPShare = trial % 4 < 2 ? 0.3 : 0  // from a MILP-refined root, or a plain restart
            var statistics = BranchAndBoundStatistics()
            let outcome = ActivationSplitBranchAndBound(network: net, options: second)
                .run(specCase, deadline: Date().addingTimeInterval(20), statistics: &statistics, root: &root)
            if statistics.notes["root bound"] != nil { reused += 1 }
            if try MILPAgreement.check(outcome, exact: exact, network: net, specCase: specCase, trial: "trial \(trial)") != nil {
                decided += 1
            }
        }
        #expect(reused >= 20, "the root was reused on \(reused) trials")
        #expect(decided >= 20, "\(decided) trials decided")
    }

    @Test func rootOfAnotherCaseOrCutShortIsNotUsed() throws {
        var rng = SeededGenerator(seed: 9192)
        let net = RandomNetworks.mlp([4, 12, 12, 3], using: &rng)
        let box = RandomNetworks.box(4, maxWidth: 2, using: &rng)
        let one = SpecCase(box: box, disjuncts: [[LinearConstraint(coefficients: [1, -1, 0], constant: 50)]])
        let other = SpecCase(box: box, disjuncts: [[LinearConstraint(coefficients: [0, 1, -1], constant: 50)]])
        let search = ActivationSplitBranchAndBound(network: net)
        var root: ActivationSplitRoot?
        var statistics = BranchAndBoundStatistics()
        _ = search.run(one, deadline: Date().addingTimeInterval(20), statistics: &statistics, root: &root)
        #expect(root?.specCase == one)
        // Another case bounds its own root and leaves it in place of the first.
        var otherStatistics = BranchAndBoundStatistics()
        _ = search.run(other, deadline: Date().addingTimeInterval(20), statistics: &otherStatistics, root: &root)
        #expect(otherStatistics.notes["root bound"] == nil && otherStatistics.domainsBounded >= 1)
        #expect(root?.specCase == other)
        // A deadline that passes while the root is bounded leaves no root.
        var late = BranchAndBoundStatistics()
        _ = search.run(one, deadline: Date().addingTimeInterval(1e-7), statistics: &late, root: &root)
        #expect(root == nil || root?.specCase == other)
        #expect(search.root(of: one, deadline: Date().addingTimeInterval(1e-7), statistics: &late) == nil)
    }
}
