import BranchAndBound
import Foundation
import LinearAlgebra
import NNGraph
import Splitting
import Testing
import TestSupport
import VNNLib

/// Hidden-ReLU splits: the parts' sign patterns are a case split, so their regions together are the
/// original box — checked against the exact MILP (the least margin over the parts, each restricted by
/// its hidden-node signs, equals the unsplit least margin, so merged verdicts equal the unsplit one)
/// and on samples (every point satisfies some part's pattern).
@Suite struct HiddenSplitTests {
    @Test func partsTogetherAreExactlyTheOriginal() throws {
        var rng = SeededGenerator(seed: 1918)
        var sat = 0, unsat = 0, deep = 0
        for trial in 0..<16 {
            let inputs = Int.random(in: 2...4, using: &rng)
            let net = RandomNetworks.mlp([inputs, 8, 8, 2], using: &rng)
            let box = RandomNetworks.box(inputs, maxWidth: 1, using: &rng)
            let samples = RandomNetworks.samples(of: box, count: 200, using: &rng)
            let outputs = net.evaluate(samples)
            let diffs = (0..<outputs.rows).map { outputs[$0, 0] - outputs[$0, 1] }
            let t = diffs.min()! + rng.uniform(-0.3, 0.05)
            let specCase = SpecCase(box: box, disjuncts: [[LinearConstraint(coefficients: [1, -1], constant: -t)]])
            let spec = Specification(inputCount: inputs, outputCount: 2, cases: [specCase])
            let allowed = Set(net.nodes.filter { $0.op is any PiecewiseLinearActivation }.map { $0.inputs[0] })
            let count = [2, 3, 4, 7][trial % 4]
            let patterns: [[NeuronSign]]
            do {
                patterns = try HiddenSplit.patterns(of: spec, network: net, count: count, allowed: allowed, secondsPerChoice: 5)
            } catch {
                // Every neuron stable on the box: nothing to split (the CLI falls back to input splits).
                if error.isHiddenSplitImpossible { continue }
                throw error
            }
            #expect(patterns.count == count, "trial \(trial)")
            #expect(Set(patterns.map { Set($0) }).count == patterns.count, "distinct parts")
            for p in patterns {
                #expect(Set(p.map { [$0.value, $0.neuron] }).count == p.count, "a neuron is split once per part")
                #expect(p.allSatisfy { allowed.contains($0.value) })
            }
            deep = max(deep, patterns.map(\.count).max() ?? 0)
            // Every sampled input lies in some part.
            let values = net.evaluateAll(samples)
            for r in 0..<samples.rows {
                let inSome = patterns.contains { p in
                    p.allSatisfy { s in
                        let z = values[s.value][r, s.neuron]
                        return s.active ? z >= 0 : z <= 0
                    }
                }
                #expect(inSome, "trial \(trial): sample \(r) lies in no part")
            }
            // The exact least margin over the parts equals the unsplit one.
            let whole = try ExactMILP.minimumMargin(net, specCase)
            let parts = try patterns.map { p in
                try ExactMILP.minimumMargin(net, specCase, signs: p.map { ($0.value, $0.neuron, $0.active) })
            }
            let least = parts.min()!
            #expect(abs(least - whole) <= 1e-6 * (1 + abs(whole)), "trial \(trial): parts' least margin \(least), unsplit \(whole)")
            for m in parts where m.isFinite { #expect(m >= whole - 1e-6 * (1 + abs(whole)), "a part is a subset of the original") }
            if abs(whole) > 1e-5 { if whole < 0 { sat += 1 } else { unsat += 1 } }
        }
        #expect(sat >= 2 && unsat >= 2, "both verdicts exercised: \(sat) sat, \(unsat) unsat")
        #expect(deep >= 2, "some part carries more than one hidden-node constraint")
    }

    @Test func patternsKeepUnsplittablePartsAndRefuseWhenNothingSplits() throws {
        // A chooser that has one neuron to offer: the root splits on it, then both sides are final.
        let one = try HiddenSplit.patterns(count: 2) { signs in signs.isEmpty ? (1, 0) : nil }
        #expect(one == [[NeuronSign(value: 1, neuron: 0, active: true)], [NeuronSign(value: 1, neuron: 0, active: false)]])
        #expect(throws: SplitError.noHiddenSplit(reason: "every neuron is stable or split after 2 part(s), fewer than 3")) {
            _ = try HiddenSplit.patterns(count: 3) { signs in signs.isEmpty ? (1, 0) : nil }
        }
        // Breadth first: the oldest pattern is split next, so depths differ by at most one.
        var next = 0
        let four = try HiddenSplit.patterns(count: 5) { _ in next += 1; return (1, next) }
        #expect(four.map(\.count).sorted() == [2, 2, 2, 3, 3])
        #expect(try HiddenSplit.patterns(count: 1) { _ in (1, 0) } == [[]])
    }
}

/// The 2.0 part text: tensors addressed row-major in their ONNX shapes, decimals with a point.
@Suite struct HiddenQueryWriterTests {
    @Test func writesBoxSignsAndOutputConstraints() {
        let specCase = SpecCase(box: InputBox(lower: [0, -0.5], upper: [1, 0.25]),
                                disjuncts: [[LinearConstraint(coefficients: [1, -1], constant: 0)],
                                            [LinearConstraint(coefficients: [0, -2], constant: 3)]])
        let text = HiddenQueryWriter.text(specCase, signs: [NeuronSign(value: 2, neuron: 5, active: true),
                                                            NeuronSign(value: 4, neuron: 0, active: false)],
                                          names: [2: .init(onnxName: "fc1", shape: [1, 2, 3]), 4: .init(onnxName: "fc2", shape: [])],
                                          inputShape: [1, 2], outputShape: [2], comment: ["c"])
        #expect(text == """
            ; c

            (vnnlib-version <2.0>)
            (declare-network N
                (declare-input X float32 [1,2])
                (declare-hidden H2 float32 [1,2,3] "fc1")
                (declare-hidden H4 float32 [] "fc2")
                (declare-output Y float32 [2]))

            (assert (<= X[0,0] 1.0))
            (assert (>= X[0,0] 0.0))
            (assert (<= X[0,1] 0.25))
            (assert (>= X[0,1] -0.5))

            (assert (>= H2[0,1,2] 0.0))
            (assert (<= H4 0.0))

            (assert (or
                (<= (+ (* 1.0 Y[0]) (* -1.0 Y[1])) 0.0)
                (<= (* -2.0 Y[1]) -3.0)
            ))

            """)
    }
}
