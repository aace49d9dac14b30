import Foundation
import LinearAlgebra
import NNGraph
import Testing
import TestSupport
@testable import Lipschitz

/// Upper ≥ exact ≥ lower on small seeded ReLU networks, with the exact constant from pattern enumeration.
@Suite struct LocalLipschitzExactnessTests {
    static func region(_ rng: inout SeededGenerator, inputs: Int, norm: InputNorm) throws -> LipschitzRegion {
        let origin = (0..<inputs).map { _ in rng.uniform(-1, 1) }
        return try LipschitzRegion(around: origin, norm: norm, eps: rng.uniform(0.05, 0.6),
                                   validLower: [Double](repeating: -2, count: inputs),
                                   validUpper: [Double](repeating: 2, count: inputs))
    }

    @Test(arguments: InputNorm.allCases)
    func upperCoversExactAndLowerStaysBelow(norm: InputNorm) throws {
        var rng = SeededGenerator(seed: 17)
        var closeAfterBranching = 0, total = 0
        var boundSeconds = 0.0
        for trial in 0..<100 {
            let inputs = Int.random(in: 1...3, using: &rng)
            let sizes = trial % 2 == 0 ? [inputs, 5, 2] : [inputs, 4, 3, 2]
            let net = RandomNetworks.mlp(sizes, using: &rng)
            let region = try Self.region(&rng, inputs: inputs, norm: norm)
            let c = (0..<2).map { _ in rng.uniform(-1, 1) }
            let lipschitz = try LocalLipschitz(network: net)
            var options = LipschitzOptions()
            options.searchStarts = 8
            options.searchSteps = 10
            options.inputSplitMaxParts = 128
            let started = Date()
            let b = try lipschitz.bounds(objectives: [c], region: region, options: options).bounds[0]
            boundSeconds += Date().timeIntervalSince(started)
            // The ball's bounding box is the region's superset used by the exact enumeration for linf;
            // for l2/l1 the exact value over the box is at least the value over the ball.
            let exact = try ExactLipschitz.compute(net, lower: region.lower, upper: region.upper, objective: c, dual: norm.dual)
            #expect(b.upper >= exact.interior * (1 - 1e-9), "trial \(trial): upper \(b.upper) < exact \(exact.interior)")
            #expect(b.upper <= b.initialUpper, "trial \(trial): branching loosened the bound")
            #expect(b.upper <= b.global * (1 + 1e-9), "trial \(trial): local \(b.upper) above global \(b.global)")
            if norm == .linf {
                #expect(b.lower <= exact.closed * (1 + 1e-9), "trial \(trial): lower \(b.lower) > exact \(exact.closed)")
                total += 1
                if b.upper <= exact.interior * 1.01 { closeAfterBranching += 1 }
            }
        }
        if norm == .linf {
            report("linf: upper within 1% of exact after branching on \(closeAfterBranching) of \(total); "
                  + String(format: "%.2f s bounding the 100 networks (enumeration not counted)", boundSeconds))
        }
    }
}

/// Gradient norms at sampled points never exceed the certified upper bound, for every activation.
@Suite struct LocalLipschitzSamplingTests {
    @Test(arguments: TestActivation.allCases)
    func sampledGradientsStayBelowUpper(activation: TestActivation) throws {
        var rng = SeededGenerator(seed: 99)
        for trial in 0..<20 {
            let inputs = Int.random(in: 2...5, using: &rng)
            let sizes = [inputs, Int.random(in: 3...8, using: &rng), Int.random(in: 3...8, using: &rng), 3]
            let net = RandomNetworks.mlp(sizes, activation: activation, extras: trial % 2 == 0, using: &rng)
            let norm = InputNorm.allCases[trial % 3]
            let origin = (0..<inputs).map { _ in rng.uniform(-1, 1) }
            let region = try LipschitzRegion(around: origin, norm: norm, eps: rng.uniform(0.05, 0.8),
                                             validLower: [Double](repeating: -3, count: inputs),
                                             validUpper: [Double](repeating: 3, count: inputs))
            let c = (0..<3).map { _ in rng.uniform(-1, 1) }
            var options = LipschitzOptions()
            options.branching.maxDomains = 64
            options.inputSplitMaxParts = 32
            let b = try LocalLipschitz(network: net).bounds(objectives: [c], region: region, options: options).bounds[0]
            let box = region
            var points = [[Double]]()
            for _ in 0..<300 {
                var x = (0..<inputs).map { rng.uniform(box.lower[$0], box.upper[$0]) }
                region.project(&x)
                points.append(x)
            }
            let search = GradientSearch(network: net, region: region)
            for g in search.gradients(points, c) {
                #expect(norm.dual(g) <= b.upper * (1 + 1e-9), "trial \(trial): gradient norm \(norm.dual(g)) > upper \(b.upper)")
            }
            #expect(b.lower <= b.upper * (1 + 1e-9), "trial \(trial): lower \(b.lower) > upper \(b.upper)")
        }
    }
}

/// Bad input: clear errors, never a crash.
@Suite struct LocalLipschitzInputTests {
    @Test func negativeEpsIsRefused() {
        #expect(throws: LipschitzError.invalidRegion("eps must be a finite number >= 0, got -0.1")) {
            try LipschitzRegion(around: [0, 0], norm: .linf, eps: -0.1, validLower: [-1, -1], validUpper: [1, 1])
        }
    }

    @Test func mismatchedSizesAreRefused() throws {
        var rng = SeededGenerator(seed: 1)
        let net = RandomNetworks.mlp([3, 4, 2], using: &rng)
        let region = try LipschitzRegion(around: [0, 0], norm: .linf, eps: 0.1, validLower: [-1, -1], validUpper: [1, 1])
        let lipschitz = try LocalLipschitz(network: net)
        #expect(throws: LipschitzError.invalidRegion("the region has 2 values, the network takes 3")) {
            try lipschitz.bounds(objectives: [[1, 0]], region: region)
        }
        let good = try LipschitzRegion(around: [0, 0, 0], norm: .linf, eps: 0.1, validLower: [-1, -1, -1], validUpper: [1, 1, 1])
        #expect(throws: LipschitzError.self) { try lipschitz.bounds(objectives: [[1, 0, 0]], region: good) }
    }

    @Test func unsupportedOperatorIsNamed() throws {
        var nodes = [Node]()
        nodes.append(Node(name: "fc", op: Affine(weight: Matrix(rows: 2, cols: 2, data: [1, 0, 0, 1]), bias: [0, 0]), inputs: [0], shape: [2]))
        nodes.append(Node(name: "the_exp", op: Exp(size: 2), inputs: [1], shape: [2]))
        let net = try Network(inputName: "x", inputShape: [2], outputName: "y", nodes: nodes, output: 2)
        #expect(throws: LipschitzError.unsupportedOperators(["'the_exp' (Exp)"])) { try LocalLipschitz(network: net) }
        let message = "\(LipschitzError.unsupportedOperators(["'the_exp' (Exp)"]))"
        #expect(message.hasPrefix("Jacobian bounds do not support node 'the_exp' (Exp): only linear operators"))
    }
}
