import Foundation
import LinearAlgebra
import LPBounds
import NNGraph
import Testing
import TestSupport
import VNNLib

/// Linear input constraints of a spec case (VNN-LIB 2.0 couplings such as `x0 + x1 <= c`) as rows of
/// the LP and the MILP: verdicts equal the exact MILP over box ∩ constraints, and LP bounds stay
/// below its optimum.
@Suite("Input constraints as LP/MILP rows")
struct CouplingRowsTests {
    /// `a·x + d <= 0` with random `a`, and `d` placing the hyperplane at fraction `t` of `a·x`'s range
    /// over `box` (t < 0: no input of the box satisfies it; t > 1: every input does).
    static func coupling(_ box: InputBox, t: Double, using rng: inout SeededGenerator) -> LinearConstraint {
        let a = box.lower.indices.map { _ in rng.uniform(-1, 1) }
        var low = 0.0, high = 0.0
        for (i, c) in a.enumerated() {
            low += c >= 0 ? c * box.lower[i] : c * box.upper[i]
            high += c >= 0 ? c * box.upper[i] : c * box.lower[i]
        }
        return LinearConstraint(coefficients: a, constant: -(low + t * (high - low)))
    }

    @Test("MILP verdicts equal the exact MILP on random networks with random couplings")
    func randomCouplings() throws {
        var violated = 0, held = 0, emptyRegions = 0
        for seed in UInt64(900)..<940 {
            var rng = SeededGenerator(seed: seed)
            let network = RandomNetworks.mlp([3, 6, 6, 2], weightScale: 1.5, using: &rng)
            let box = RandomNetworks.box(3, maxWidth: 1.5, using: &rng)
            var couplings = (0..<(1 + Int(seed % 2))).map { _ in Self.coupling(box, t: rng.uniform(-0.15, 0.7), using: &rng) }
            // Every third case strict (`< 0`): bounds read the closure, witnesses must hold strictly.
            if seed % 3 == 0 { couplings[0].isStrict = true }
            let specCase = SpecCase(box: box, disjuncts: [[randomRow(2, using: &rng)]], inputConstraints: couplings)
            let exact = try ExactMILP.minimumMargin(network, specCase)
            if exact == .infinity { emptyRegions += 1 }
            guard abs(exact) > 1e-6 else { continue }
            let verifier = try MILPVerifier(network: network)
            switch try verifier.decide(specCase).verdict {
            case .violated(let x):
                #expect(exact <= 0, "seed \(seed): violated, but the exact minimum margin is \(exact)")
                #expect(specCase.contains(x), "seed \(seed): the counterexample leaves the region")
                #expect(specCase.isViolated(by: try network.evaluate(x)), "seed \(seed)")
                violated += 1
            case .holds:
                #expect(exact > 0, "seed \(seed): holds, but the exact minimum margin is \(exact)")
                held += 1
            case .unknown(let why):
                Issue.record("seed \(seed): unknown (\(why)), exact margin \(exact)")
            }
            // The LP bound over the same region is a lower bound of the exact optimum (proven, so
            // sound), and at least the box-only bound.
            let lp = try ObjectiveLP(network: network)
            let bounds = try verifier.bigMBounds(box, deadline: nil)
            let rows = specCase.disjuncts[0]
            let coupled = try lp.minimumOfMaximum(rows, box: box, bounds: bounds, inputConstraints: couplings)
            let boxOnly = try lp.minimumOfMaximum(rows, box: box, bounds: bounds)
            #expect(coupled.lowerBound <= exact, "seed \(seed): LP bound \(coupled.lowerBound) above \(exact)")
            #expect(coupled.lowerBound >= boxOnly.lowerBound - 1e-7 * (1 + abs(boxOnly.lowerBound)), "seed \(seed)")
        }
        #expect(violated >= 5 && held >= 5 && emptyRegions >= 1, "violated \(violated), held \(held), empty \(emptyRegions)")
    }

    /// `y = relu(x0) + relu(x1)` on `[0, 1]²`, unsafe where `y >= 1.5`: the box reaches `y = 2`
    /// (sat), but under `x0 + x1 <= 1` the maximum is 1 (unsat).
    @Test("A coupling turns a box-only violation into a proof")
    func couplingDecides() throws {
        let network = reluNetwork([(weight: [[1, 0], [0, 1]], bias: [0, 0]), (weight: [[1, 1]], bias: [0])])
        let box = InputBox(lower: [0, 0], upper: [1, 1])
        let unsafe = [[LinearConstraint(coefficients: [-1], constant: 1.5)]]
        let sum = LinearConstraint(coefficients: [1, 1], constant: -1)
        let verifier = try MILPVerifier(network: network)
        let free = SpecCase(box: box, disjuncts: unsafe)
        let coupled = SpecCase(box: box, disjuncts: unsafe, inputConstraints: [sum])
        guard case .violated = try verifier.decide(free).verdict else { Issue.record("box only: expected violated"); return }
        #expect(try verifier.decide(coupled).verdict == .holds)
        #expect(try ExactMILP.minimumMargin(network, coupled) > 0)
        // The LP over box ∩ {x0 + x1 <= 1} proves it at the root; over the box alone it cannot.
        let lp = try ObjectiveLP(network: network)
        #expect(try lp.minimumOfMaximum(unsafe[0], box: box, inputConstraints: [sum]).lowerBound > 0)
        #expect(try lp.minimumOfMaximum(unsafe[0], box: box).lowerBound <= 0)
        // Constraints that exclude the whole box: the MILP certifies the empty region.
        let empty = SpecCase(box: box, disjuncts: unsafe, inputConstraints: [LinearConstraint(coefficients: [1, 1], constant: 3)])
        #expect(try verifier.decide(empty).verdict == .holds)
        // A constraint with no variables left (e.g. after substituting ties) that no input satisfies.
        let none = SpecCase(box: box, disjuncts: unsafe, inputConstraints: [LinearConstraint(coefficients: [0, 0], constant: 1)])
        #expect(try verifier.decide(none).verdict == .holds)
        #expect(try lp.minimumOfMaximum(unsafe[0], box: box, inputConstraints: none.inputConstraints).status == .infeasible)
        // A constraint with the wrong number of coefficients is a typed error, not a crash.
        #expect(throws: LPBoundsError.self) {
            try verifier.decide(SpecCase(box: box, disjuncts: unsafe, inputConstraints: [LinearConstraint(coefficients: [1], constant: 0)]))
        }
    }
}
