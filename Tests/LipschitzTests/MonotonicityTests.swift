import LinearAlgebra
import NNGraph
import Testing
import TestSupport
import VNNLib
@testable import Lipschitz

/// Monotonicity: proofs agree with sampled partial derivatives, violations are real.
@Suite struct MonotonicityTests {
    static func region(_ rng: inout SeededGenerator, inputs: Int) throws -> LipschitzRegion {
        let box = RandomNetworks.box(inputs, maxWidth: 0.8, using: &rng)
        return try LipschitzRegion(lower: box.lower, upper: box.upper, norm: .linf)
    }

    @Test func positiveWeightsAreProvenIncreasing() throws {
        var rng = SeededGenerator(seed: 3)
        for activation in [TestActivation.relu, .sigmoid, .tanh] {
            var nodes = [Node]()
            for (layer, (n, m)) in [(3, 5), (5, 2)].enumerated() {
                let w = Matrix(rows: m, cols: n, data: (0..<(m * n)).map { _ in rng.uniform(0.1, 1) })
                nodes.append(Node(name: "fc\(layer)", op: Affine(weight: w, bias: [Double](repeating: -0.2, count: m)), inputs: [nodes.count], shape: [m]))
                if layer == 0 { nodes.append(Node(name: "act", op: activation.op(size: m), inputs: [nodes.count], shape: [m])) }
            }
            let net = try Network(inputName: "x", inputShape: [3], outputName: "y", nodes: nodes, output: nodes.count)
            let region = try Self.region(&rng, inputs: 3)
            let lipschitz = try LocalLipschitz(network: net)
            guard case .proven = try lipschitz.monotonicity(input: 1, output: 0, direction: .increasing, region: region) else {
                Issue.record("\(activation): not proven"); continue
            }
            guard case .violated(let first, let second, let outputs, _) = try lipschitz.monotonicity(input: 1, output: 0, direction: .decreasing, region: region) else {
                Issue.record("\(activation): decreasing not refuted"); continue
            }
            #expect(first[1] < second[1] && outputs.0 < outputs.1)
            #expect(zip(first, second).enumerated().allSatisfy { $0.offset == 1 || $0.element.0 == $0.element.1 })
        }
    }

    @Test(arguments: [TestActivation.relu, .sigmoid, .leakyRelu])
    func verdictsAgreeWithSampledPartials(activation: TestActivation) throws {
        var rng = SeededGenerator(seed: 11)
        var counts = [String: Int]()
        for trial in 0..<30 {
            let net = RandomNetworks.mlp([3, 6, 6, 2], activation: activation, using: &rng)
            let region = try Self.region(&rng, inputs: 3)
            let (input, output) = (trial % 3, trial % 2)
            var options = LipschitzOptions()
            options.branching.maxDomains = 200
            options.inputSplitMaxParts = 64
            let result = try LocalLipschitz(network: net).monotonicity(input: input, output: output, direction: .increasing,
                                                                       region: region, options: options)
            var c = [0.0, 0.0]
            c[output] = 1
            switch result {
            case .proven:
                counts["proven", default: 0] += 1
                let box = InputBox(lower: region.lower, upper: region.upper)
                let x = RandomNetworks.samples(of: box, count: 200, using: &rng)
                let grads = GradientSearch(network: net, region: region).gradients((0..<x.rows).map { x.row($0) }, c)
                for g in grads { #expect(g[input] >= -1e-12, "trial \(trial): proven but partial \(g[input])") }
            case .violated(let first, let second, _, _):
                counts["violated", default: 0] += 1
                let y = net.evaluate(Matrix(rowVectors: [first, second]))
                #expect(first[input] < second[input] && y[1, output] < y[0, output], "trial \(trial)")
                #expect(InputBox(lower: region.lower, upper: region.upper).contains(first) && InputBox(lower: region.lower, upper: region.upper).contains(second))
            case .unknown:
                counts["unknown", default: 0] += 1
            }
        }
        #expect((counts["proven"] ?? 0) > 0 && (counts["violated"] ?? 0) > 0, "\(counts)")
    }
}
