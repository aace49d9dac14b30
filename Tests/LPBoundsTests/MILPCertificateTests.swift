import Bounds
import Foundation
import LinearAlgebra
import LPBounds
import NNGraph
import Testing
import TestSupport
import VNNLib

/// `MILPVerifier` answers `.holds` only with a closed certification: a branch-and-bound over ReLU
/// phases whose every node is closed by a proven LP bound (`MILPCertificate`).
@Suite("MILP certification by proven LP branch-and-bound")
struct MILPCertificateTests {
    /// `2·max(|x0|, |x1|) >= 3` on [-1,1]^2: impossible (the maximum is 2), but the root's triangle
    /// relaxation reaches 4, so its LP bound of `3 − y` is about −1.
    let maxNorm = SmallNetworks.maxNorm()
    let square = InputBox(lower: [-1, -1], upper: [1, 1])
    func atLeast(_ threshold: Double) -> [LinearConstraint] { [LinearConstraint(coefficients: [-1], constant: threshold)] }

    @Test("A property the root LP cannot prove is certified by branching", arguments: [true, false])
    func branchesWhereTheRootLPCannot(tightenNodes: Bool) throws {
        let crown = CROWN(network: maxNorm).intermediateBounds(input: square.intervalBatch)
        let root = try ObjectiveLP(network: maxNorm).minimumOfMaximum(atLeast(3), box: square, bounds: crown)
        #expect(root.lowerBound <= -0.9, "the root LP alone must not prove it: \(root.lowerBound)")
        let verifier = try MILPVerifier(network: maxNorm, options: .init(tightenNodes: tightenNodes))
        let milp = try verifier.minimum(of: atLeast(3), box: square, bounds: try verifier.bigMBounds(square, deadline: nil))
        #expect(abs(try #require(milp.value) - 1) <= 1e-6, "GLPK's optimum 3 − 2")
        let decision = try verifier.decide(oneDisjunct(atLeast(3), box: square))
        #expect(decision.verdict == .holds)
        #expect(decision.certificationNodes > 1 && decision.certifiedDisjuncts == 1, "\(decision)")
        // Just below the maximum, a corner violates it (found by GLPK, validated concretely).
        guard case .violated(let x) = try verifier.verify(oneDisjunct(atLeast(1.99), box: square)) else {
            Issue.record("expected a counterexample at 1.99"); return
        }
        #expect(try square.contains(x) && (maxNorm.evaluate(x))[0] >= 1.99)
    }

    @Test("The certification alone finds a violation when there is one")
    func certificationFindsCounterexamples() throws {
        let verifier = try MILPVerifier(network: maxNorm)
        let bounds = try verifier.bigMBounds(square, deadline: nil)
        let proof = try verifier.certify(atLeast(1.9), box: square, bounds: bounds)
        guard case .counterexample(let x) = proof.outcome else { Issue.record("expected a counterexample, got \(proof)"); return }
        #expect(try square.contains(x) && (maxNorm.evaluate(x))[0] >= 1.9)
        #expect(try verifier.certify(atLeast(2.1), box: square, bounds: bounds).outcome == .proven)
    }

    /// Random networks against TestSupport's `ExactMILP` (an independent encoding on interval
    /// bounds): a definite verdict never contradicts its margin, every `.holds` comes with a closed
    /// certification (at least one node), and nearly all cases stay definite.
    @Test("Verdicts agree with ExactMILP; every holds is certified", arguments: [true, false])
    func agreementWithExactMILP(boundChanges: Bool) throws {
        var rng = SeededGenerator(seed: 900)
        var holds = 0, violated = 0, branched = 0, undecided = [String]()
        let trials = 80
        for trial in 0..<trials {
            let inputs = Int.random(in: 2...5, using: &rng)
            let width = Int.random(in: 4...10, using: &rng)
            let net = RandomNetworks.mlp([inputs, width, width, 3], extras: trial % 3 == 0, using: &rng)
            let box = RandomNetworks.box(inputs, maxWidth: 1.5, using: &rng)
            let samples = net.evaluate(RandomNetworks.samples(of: box, count: 60, using: &rng))
            let t = (0..<samples.rows).map { samples[$0, 0] - samples[$0, 1] }.min()! + rng.uniform(-0.4, 0.05)
            var disjuncts = [[LinearConstraint(coefficients: [1, -1, 0], constant: -t)]]
            if trial % 4 == 0 { disjuncts.append([LinearConstraint(coefficients: [0, -1, 1], constant: 5)]) }
            let specCase = SpecCase(box: box, disjuncts: disjuncts)
            let exact = try ExactMILP.minimumMargin(net, specCase)
            if abs(exact) < 1e-5 { continue }  // too close to call for a floating-point reference
            var options = MILPVerifier.Options(tightenNodes: trial % 2 == 0)
            options.boundChanges = boundChanges
            options.dualBranching = trial % 3 != 1  // both branching rules of the search by bound changes
            options.parentBasis = trial % 5 != 2  // and both starting bases of its second children
            let verifier = try MILPVerifier(network: net, options: options)
            let decision = try verifier.decide(specCase)
            switch decision.verdict {
            case .holds:
                holds += 1
                #expect(exact > 0, "trial \(trial): holds, but the exact margin is \(exact)")
                #expect(decision.certifiedDisjuncts == disjuncts.count && decision.certificationNodes >= disjuncts.count,
                        "trial \(trial): \(decision)")
                if decision.certificationNodes > disjuncts.count { branched += 1 }
            case .violated(let x):
                violated += 1
                #expect(exact < 0, "trial \(trial): counterexample, but the exact margin is \(exact)")
                #expect(try box.contains(x) && specCase.isViolated(by: net.evaluate(x)))
            case .unknown(let reason):
                undecided.append("trial \(trial) (margin \(exact)): \(reason)")
            }
        }
        #expect(holds >= 30 && violated >= 5, "\(holds) holds, \(violated) violated")
        #expect(branched >= 5, "the certification branched on \(branched) cases")
        #expect(undecided.count <= trials / 20, "too many stayed unknown: \(undecided)")
    }

    /// The search by bound changes on one loaded program (warm dual simplex, objective cutoff) against
    /// fresh programs per node with CROWN-tightened bounds, on the same rows and bounds of random ReLU
    /// networks: the same outcome wherever both finish, every counterexample violating the rows.
    @Test("Certification by bound changes agrees with fresh programs per node")
    func boundChangesAgreeWithFreshPrograms() throws {
        var rng = SeededGenerator(seed: 4242)
        var proven = 0, violated = 0, branched = 0
        for trial in 0..<60 {
            let inputs = Int.random(in: 2...4, using: &rng)
            let width = Int.random(in: 5...12, using: &rng)
            let net = RandomNetworks.mlp([inputs, width, width, 2], using: &rng)
            let box = RandomNetworks.box(inputs, maxWidth: 1.5, using: &rng)
            let samples = net.evaluate(RandomNetworks.samples(of: box, count: 80, using: &rng))
            // `y0 − y1 <= t` around the sampled minimum: some cases hold, some are violated.
            let t = (0..<samples.rows).map { samples[$0, 0] - samples[$0, 1] }.min()! + rng.uniform(-0.3, 0.1)
            let rows = [LinearConstraint(coefficients: [1, -1], constant: -t)]
            var freshOptions = MILPVerifier.Options()
            freshOptions.boundChanges = false
            let warm = try MILPVerifier(network: net), fresh = try MILPVerifier(network: net, options: freshOptions)
            let bounds = try warm.bigMBounds(box, deadline: nil)
            let a = try warm.certify(rows, box: box, bounds: bounds), b = try fresh.certify(rows, box: box, bounds: bounds)
            switch (a.outcome, b.outcome) {
            case (.proven, .proven):
                proven += 1
                if a.nodes > 1 { branched += 1 }
            case (.counterexample(let x), .counterexample):
                violated += 1
                let y = try net.evaluate(x)
                #expect(try box.contains(x) && rows.allSatisfy { $0.residual(y) <= 0 }, "trial \(trial): \(x) -> \(y)")
            case (.unfinished, _), (_, .unfinished):
                break  // a region at the boundary 0: neither outcome is a claim
            default:
                Issue.record("trial \(trial): bound changes \(a.outcome), fresh programs \(b.outcome)")
            }
        }
        #expect(proven >= 15 && violated >= 5 && branched >= 5, "\(proven) proven (\(branched) branched), \(violated) violated")
    }

    @Test("An interrupted certification is unknown, never holds")
    func interrupted() throws {
        // Node limit: the maxNorm property needs more than one node.
        let limited = try MILPVerifier(network: maxNorm, options: .init(maxCertificationNodes: 1))
        let verdict = try limited.verify(oneDisjunct(atLeast(3), box: square))
        guard case .unknown(let reason) = verdict else { Issue.record("expected unknown, got \(verdict)"); return }
        #expect(reason.contains("MILP optimum ") && reason.contains("certification unfinished after 1 nodes (node limit 1)"), "\(reason)")

        // Deadline already passed: no node is bounded.
        let verifier = try MILPVerifier(network: maxNorm)
        let bounds = try verifier.bigMBounds(square, deadline: nil)
        let none = try verifier.certify(atLeast(3), box: square, bounds: bounds, deadline: .distantPast)
        #expect(none.nodes == 0 && none.outcome == .unfinished("deadline"))

        // Deadline during the search: this property needs hundreds of nodes (about a second).
        var rng = SeededGenerator(seed: 1)
        let net = RandomNetworks.mlp([3, 20, 20, 1], weightScale: 1.5, using: &rng)
        let box = RandomNetworks.box(3, maxWidth: 2, using: &rng)
        let samples = net.evaluate(RandomNetworks.samples(of: box, count: 2000, using: &rng))
        let rows = atLeast((0..<samples.rows).map { samples[$0, 0] }.max()! + 0.01)
        let big = try MILPVerifier(network: net)
        let bigBounds = try big.bigMBounds(box, deadline: nil)
        #expect(try big.minimum(of: rows, box: box, bounds: bigBounds).bound > 0, "GLPK claims it holds")
        let cut = try big.certify(rows, box: box, bounds: bigBounds, deadline: Date().addingTimeInterval(0.02))
        guard case .unfinished(let why) = cut.outcome else { Issue.record("expected unfinished, got \(cut.outcome)"); return }
        // (How many nodes fit in the 0.02 s depends on the machine and the build: 57 in a debug build here since each
        // node restarts from its parent's basis; the full search's count is the measure.)
        #expect(why == "deadline", "\(why), \(cut.nodes) nodes")
        let full = try big.certify(rows, box: box, bounds: bigBounds)
        #expect(full.outcome == .proven && full.nodes > cut.nodes && full.nodes > 50, "\(full.nodes) nodes")
    }

    /// `CancellationNetwork.WithinSolverRange`: exactly, `x = 0.05` violates the property; in `Double`
    /// nothing does, and the LP's rows `z = x + 2⁴⁹` cancel catastrophically.
    @Test("The rounding trap is never certified")
    func roundingTrap() throws {
        let trap = CancellationNetwork.WithinSolverRange.self
        let exact = CancellationNetwork.exactOutput(Decimal(string: "0.05")!, offset: trap.exactOffset)
        #expect(exact >= Decimal(trap.threshold))
        #expect(try trap.network().evaluate([0.05]) == [0], "Double rounds the violation away")
        let specCase = trap.specification().cases[0]
        let verifier = try MILPVerifier(network: trap.network())
        let bounds = try verifier.bigMBounds(specCase.box, deadline: nil)
        // The certification itself (whatever GLPK's MILP claims) must not close.
        let proof = try verifier.certify(specCase.disjuncts[0], box: specCase.box, bounds: bounds)
        guard case .unfinished(let why) = proof.outcome else { Issue.record("certification ended \(proof.outcome)"); return }
        #expect(proof.nodes == 1 && why.contains("does not violate"), "\(why)")
        #expect(try verifier.verify(specCase) != .holds)
    }
}
