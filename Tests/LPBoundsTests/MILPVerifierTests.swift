import Bounds
import Foundation
import LinearAlgebra
import LPBounds
import NNGraph
import Testing
import TestSupport
import VNNLib

@Suite("Complete MILP verification")
struct MILPVerifierTests {
    @Test("MILP optimum equals enumeration of activation patterns on tiny networks", arguments: [0, 1, 2])
    func bruteForce(group: Int) throws {
        var lps = 0
        for seed in UInt64(group * 100)..<UInt64(group * 100 + 100) {
            var rng = SeededGenerator(seed: seed)
            let outputs = seed % 2 == 0 ? 1 : 2
            let network = RandomNetworks.mlp([2, 4, 4, outputs], weightScale: 1.5, using: &rng)
            let box = RandomNetworks.box(2, maxWidth: 1.5, using: &rng)
            let rows = (0..<outputs).map { _ in randomRow(outputs, using: &rng) }
            let verifier = try MILPVerifier(network: network)
            let bounds = try verifier.bigMBounds(box, deadline: nil)
            let milp = try verifier.minimum(of: rows, box: box, bounds: bounds)
            let exact = try bruteForceMinimum(network, box: box, rows: rows)
            lps += exact.lps
            #expect(milp.status == .optimal)
            let value = try #require(milp.value)
            #expect(abs(value - exact.value) <= 1e-6 * (1 + abs(exact.value)), "seed \(seed): MILP \(value), enumeration \(exact.value)")
            // The MILP's point attains its value (up to tolerance) on the real network.
            let x = try #require(milp.input)
            let y = try network.evaluate(x)
            #expect(abs(rows.map { $0.residual(y) }.max()! - value) <= 1e-5 * milp.scale, "seed \(seed)")
        }
        #expect(lps >= 100)
    }

    @Test("MILP agrees with TestSupport's ExactMILP on networks with every linear operator")
    func exactMILP() throws {
        for seed in UInt64(400)..<440 {
            var rng = SeededGenerator(seed: seed)
            let network = RandomNetworks.mlp([3, 5, 5, 2], extras: true, weightScale: 1.5, using: &rng)
            let box = RandomNetworks.box(3, maxWidth: 1.5, using: &rng)
            let rows = [randomRow(2, using: &rng), randomRow(2, using: &rng)]
            let verifier = try MILPVerifier(network: network)
            let milp = try verifier.minimum(of: rows, box: box, bounds: try verifier.bigMBounds(box, deadline: nil))
            let reference = try ExactMILP.minimumMargin(network, oneDisjunct(rows, box: box))
            let value = try #require(milp.value)
            #expect(abs(value - reference) <= 1e-6 * (1 + abs(reference)), "seed \(seed): \(value) vs \(reference)")
        }
    }

    @Test("LP-refined big-M bounds give the same optimum with fewer binaries")
    func refinedBigM() throws {
        var fewer = 0
        for seed in UInt64(500)..<520 {
            var rng = SeededGenerator(seed: seed)
            let network = RandomNetworks.mlp([2, 6, 6, 6, 1], weightScale: 1.5, using: &rng)
            let box = RandomNetworks.box(2, maxWidth: 1.5, using: &rng)
            let rows = [randomRow(1, using: &rng)]
            let plain = try MILPVerifier(network: network)
            let refined = try MILPVerifier(network: network, options: .init(refinement: BoundRefinementOptions()))
            let a = try plain.minimum(of: rows, box: box, bounds: try plain.bigMBounds(box, deadline: nil))
            let b = try refined.minimum(of: rows, box: box, bounds: try refined.bigMBounds(box, deadline: nil))
            #expect(abs(try #require(a.value) - (try #require(b.value))) <= 1e-6 * a.scale, "seed \(seed)")
            #expect(b.binaries <= a.binaries)
            if b.binaries < a.binaries { fewer += 1 }
        }
        #expect(fewer > 0)
    }

    @Test("Verdicts agree with dense sampling")
    func verdicts() throws {
        var counts = (violated: 0, holds: 0)
        for seed in UInt64(600)..<660 {
            var rng = SeededGenerator(seed: seed)
            let network = RandomNetworks.mlp([2, 5, 5, 2], extras: seed % 2 == 1, weightScale: 1.5, using: &rng)
            let box = RandomNetworks.box(2, maxWidth: 1.5, using: &rng)
            let sampled = Sampled(network, box: box, count: 2000, using: &rng)
            // "y0 - y1 >= threshold" is the unsafe set, with the threshold near the sampled maximum.
            let margins = (0..<sampled.count).map { sampled.output($0, network)[0] - sampled.output($0, network)[1] }
            let threshold = margins.max()! + rng.uniform(-0.2, 0.2)
            var disjuncts = [[LinearConstraint(coefficients: [-1, 1], constant: threshold)]]
            if seed % 3 != 0 {  // a second, unlikely disjunct: y0 >= 10 and y1 >= 10
                disjuncts.append([LinearConstraint(coefficients: [-1, 0], constant: 10), LinearConstraint(coefficients: [0, -1], constant: 10)])
            }
            let specCase = SpecCase(box: box, disjuncts: disjuncts)
            let sampledViolation = (0..<sampled.count).contains { specCase.isViolated(by: sampled.output($0, network)) }
            let verdict = try MILPVerifier.verify(network: network, specCase: specCase)
            switch verdict {
            case .violated(let x):
                counts.violated += 1
                #expect(box.contains(x))
                #expect(specCase.isViolated(by: try network.evaluate(x)))
            case .holds:
                counts.holds += 1
                #expect(!sampledViolation, "seed \(seed): MILP says holds, sampling found a violation")
            case .unknown(let reason):
                #expect(!sampledViolation, "seed \(seed): unknown (\(reason)) although sampling found a violation")
            }
        }
        #expect(counts.violated > 5 && counts.holds > 5)
    }

    @Test("Sigmoid and tanh networks are rejected with a clear error", arguments: [TestActivation.sigmoid, .tanh])
    func notPiecewiseLinear(activation: TestActivation) throws {
        var rng = SeededGenerator(seed: 1)
        let network = RandomNetworks.mlp([2, 3, 1], activation: activation, using: &rng)
        #expect(throws: LPBoundsError.notPiecewiseLinear(node: "act1", kind: activation == .sigmoid ? "Sigmoid" : "Tanh")) {
            try MILPVerifier(network: network)
        }
    }

    @Test("A passed deadline gives unknown, never a verdict")
    func deadline() throws {
        var rng = SeededGenerator(seed: 2)
        let network = RandomNetworks.mlp([2, 6, 6, 1], weightScale: 1.5, using: &rng)
        let box = RandomNetworks.box(2, using: &rng)
        let specCase = oneDisjunct([LinearConstraint(coefficients: [-1], constant: 100)], box: box)
        let verdict = try MILPVerifier.verify(network: network, specCase: specCase, deadline: .distantPast)
        guard case .unknown = verdict else { Issue.record("expected unknown, got \(verdict)"); return }
    }

    @Test("Hand-checked network: max of relu(x0 + x1) - relu(x0 - x1) on [0,1]^2 is 2")
    func twoReLU() throws {
        let network = SmallNetworks.twoReLU()
        let box = InputBox(lower: [0, 0], upper: [1, 1])
        let holds = try MILPVerifier.verify(network: network, specCase: oneDisjunct([LinearConstraint(coefficients: [-1], constant: 2.01)], box: box))
        #expect(holds == .holds)
        let violated = try MILPVerifier.verify(network: network, specCase: oneDisjunct([LinearConstraint(coefficients: [-1], constant: 1.99)], box: box))
        guard case .violated(let x) = violated else { Issue.record("expected violated, got \(violated)"); return }
        #expect(try network.evaluate(x)[0] >= 1.99)
    }
}
