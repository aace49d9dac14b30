import Foundation
import LinearAlgebra
import NNGraph
import Splitting
import Testing
import TestSupport
import Verifier
import VNNLib

/// `split` + merge against the exact MILP: the parts of random small instances, each verified on
/// its own, merge to the verdict the exact answer demands; and the parts' boxes cover the original.
@Suite struct SplitAgreementTests {
    @Test func mergedPartVerdictsMatchTheExactMILP() throws {
        var rng = SeededGenerator(seed: 1919)
        var sat = 0, unsat = 0
        var options = VerifierOptions()
        options.timeout = 20
        for trial in 0..<24 {
            let inputs = Int.random(in: 1...3, using: &rng)
            let net = RandomNetworks.mlp([inputs, 6, 6, 2], using: &rng)
            let box = RandomNetworks.box(inputs, maxWidth: 1, using: &rng)
            let samples = net.evaluate(RandomNetworks.samples(of: box, count: 50, using: &rng))
            let diffs = (0..<samples.rows).map { samples[$0, 0] - samples[$0, 1] }
            let t = diffs.min()! + rng.uniform(-0.3, 0.05)
            let specCase = SpecCase(box: box, disjuncts: [[LinearConstraint(coefficients: [1, -1], constant: -t)]])
            let exact = try ExactMILP.minimumMargin(net, specCase)
            if abs(exact) < 1e-5 { continue }  // too close to call for a floating-point reference
            let spec = Specification(inputCount: inputs, outputCount: 2, cases: [specCase])
            let count = [2, 3, 4, 7][trial % 4]
            let parts = try BoxSplit.parts(of: spec, network: net, count: count)
            #expect(parts.count == count)
            try expectCover(parts.map { $0.cases[0].box }, of: box, rng: &rng)
            let outcomes = parts.enumerated().map { k, part in
                let result = Verifier(options: options).verify(network: net, specification: part)
                return (name: "part \(k)", outcome: SplitMerge.outcome(verdict: result.verdict, counterexample: result.witness?.input,
                                                                      network: net, specification: spec))
            }
            let merged = SplitMerge(parts: outcomes)
            if exact < 0 {
                #expect(merged.verdict == .sat, "trial \(trial): exact margin \(exact) but merged \(merged.verdict)")
                if let w = merged.witness { #expect(validateCounterexample(w.input, network: net, specification: spec) != nil) }
                sat += 1
            } else {
                #expect(merged.verdict == .unsat, "trial \(trial): exact margin \(exact) but merged \(merged.verdict)")
                unsat += 1
            }
        }
        #expect(sat >= 4 && unsat >= 4, "both verdicts exercised: \(sat) sat, \(unsat) unsat")
    }

    /// Every piece lies in the box, the pieces' volumes add up to the box's, and sampled points
    /// (including the box's corners) lie in some piece: together, the union is the box.
    func expectCover(_ pieces: [InputBox], of box: InputBox, rng: inout SeededGenerator) throws {
        for piece in pieces {
            #expect(piece.lower.indices.allSatisfy { box.lower[$0] <= piece.lower[$0] && piece.upper[$0] <= box.upper[$0] })
        }
        func volume(_ b: InputBox) -> Double { zip(b.lower, b.upper).reduce(1) { $0 * ($1.1 - $1.0) } }
        let total = pieces.map(volume).reduce(0, +)
        #expect(abs(total - volume(box)) <= 1e-12 * max(1, volume(box)))
        let points = RandomNetworks.samples(of: box, count: 200, using: &rng)
        for r in 0..<points.rows {
            let x = points.row(r)
            #expect(pieces.contains { $0.contains(x) })
        }
        #expect(pieces.contains { $0.contains(box.lower) } && pieces.contains { $0.contains(box.upper) })
    }

    @Test func everyCaseOfADisjunctiveSpecIsSplitAndPointBoxesAreRefused() throws {
        var rng = SeededGenerator(seed: 7)
        let net = RandomNetworks.mlp([2, 4, 2], using: &rng)
        let out = [[LinearConstraint(coefficients: [1, -1], constant: 0)]]
        let first = InputBox(lower: [0, 0], upper: [1, 1]), second = InputBox(lower: [2, -1], upper: [3, 0])
        let spec = Specification(inputCount: 2, outputCount: 2, cases: [SpecCase(box: first, disjuncts: out),
                                                                         SpecCase(box: second, disjuncts: out)])
        let parts = try BoxSplit.parts(of: spec, network: net, count: 5)
        #expect(parts.allSatisfy { $0.cases.count == 2 && $0.cases.allSatisfy { $0.disjuncts == out } })
        try expectCover(parts.map { $0.cases[0].box }, of: first, rng: &rng)
        try expectCover(parts.map { $0.cases[1].box }, of: second, rng: &rng)
        let point = Specification(inputCount: 2, outputCount: 2, cases: [SpecCase(box: InputBox(lower: [1, 1], upper: [1, 1]), disjuncts: out)])
        #expect(throws: SplitError.nothingToSplit(case: 0)) { _ = try BoxSplit.parts(of: point, network: net, count: 2) }
    }

    @Test func mergeRulesFollowTheParts() {
        let w = Witness(input: [0], output: [1])
        #expect(SplitMerge(parts: [("a", .unsat), ("b", .unsat)]).verdict == .unsat)
        #expect(SplitMerge(parts: [("a", .undecided(.timeout)), ("b", .sat(w))]).witness == w)
        #expect(SplitMerge(parts: [("a", .unsat), ("b", .undecided(.timeout))]).verdict == .timeout)
        #expect(SplitMerge(parts: [("a", .unsat), ("b", .missing)]).verdict == .unknown)
        #expect(SplitMerge(parts: [("a", .unsat), ("b", .invalidCounterexample("x"))]).verdict == .unknown)
    }
}
