import LinearAlgebra
import NNGraph
import Testing
import TestSupport
@testable import Lipschitz

/// IBP tightness against the closed form on deep linear networks and basic properties on ReLU ones.
@Suite struct TightnessTests {
    /// A chain of Affine layers with activations between them (replaced by the identity globally).
    static func deepNetwork(_ sizes: [Int], activation: TestActivation?, using rng: inout SeededGenerator) -> (Network, [Matrix]) {
        var nodes = [Node]()
        var weights = [Matrix]()
        for layer in 1..<sizes.count {
            let w = Matrix(rows: sizes[layer], cols: sizes[layer - 1],
                           data: (0..<(sizes[layer] * sizes[layer - 1])).map { _ in rng.uniform(-1, 1) })
            weights.append(w)
            nodes.append(Node(name: "fc\(layer)", op: Affine(weight: w, bias: [Double](repeating: 0.1, count: sizes[layer])),
                              inputs: [nodes.count], shape: [sizes[layer]]))
            if let activation, layer < sizes.count - 1 {
                nodes.append(Node(name: "act\(layer)", op: activation.op(size: sizes[layer]), inputs: [nodes.count], shape: [sizes[layer]]))
            }
        }
        return (try! Network(inputName: "x", inputShape: [sizes[0]], outputName: "y", nodes: nodes, output: nodes.count), weights)
    }

    @Test func deepLinearNetworksMatchTheClosedForm() throws {
        var rng = SeededGenerator(seed: 5)
        for trial in 0..<20 {
            let depth = 2 + trial % 4
            let sizes = (0...depth).map { _ in Int.random(in: 2...7, using: &rng) }
            for activation in [nil, TestActivation.relu] {
                let (net, weights) = Self.deepNetwork(sizes, activation: activation, using: &rng)
                var product = weights[0], absProduct = weights[0].map(abs)
                for w in weights.dropFirst() {
                    product = w.multiplied(by: product)
                    absProduct = w.map(abs).multiplied(by: absProduct)
                }
                let tau = try JacobianNetwork(net).globalTightness()
                for i in 0..<sizes.last! {
                    let expected = product.row(i).reduce(0) { $0 + abs($1) } / absProduct.row(i).reduce(0, +)
                    #expect(abs(tau[i] - expected) <= 1e-12 * max(1, expected), "trial \(trial) output \(i): \(tau[i]) vs \(expected)")
                    #expect(tau[i] > 0 && tau[i] <= 1 + 1e-12)
                }
            }
        }
    }

    @Test func localTightnessDropsInactiveNeurons() throws {
        var rng = SeededGenerator(seed: 8)
        let (net, weights) = Self.deepNetwork([3, 6, 6, 2], activation: .relu, using: &rng)
        let x = [0.2, -0.4, 0.7]
        // The closed form with the clean input's activation pattern as diagonal 0/1 matrices.
        let values = net.evaluateAll(Matrix(rows: 1, cols: 3, data: x))
        let d1 = values[1].data.map { $0 > 0 ? 1.0 : 0 }, d2 = values[3].data.map { $0 > 0 ? 1.0 : 0 }
        func diag(_ d: [Double]) -> Matrix {
            var m = Matrix(rows: d.count, cols: d.count)
            for i in d.indices { m[i, i] = d[i] }
            return m
        }
        let product = weights[2].multiplied(by: diag(d2)).multiplied(by: weights[1]).multiplied(by: diag(d1)).multiplied(by: weights[0])
        let absProduct = weights[2].map(abs).multiplied(by: diag(d2)).multiplied(by: weights[1].map(abs))
            .multiplied(by: diag(d1)).multiplied(by: weights[0].map(abs))
        let tau = try JacobianNetwork(net).localTightness(at: x)
        for i in 0..<2 {
            let den = absProduct.row(i).reduce(0, +)
            let expected = den > 0 ? product.row(i).reduce(0) { $0 + abs($1) } / den : 1
            #expect(abs(tau[i] - expected) <= 1e-12, "output \(i): \(tau[i]) vs \(expected)")
        }
    }

    /// At initialisation (uniform weights with variance 2/fan-in), tightness falls with depth, as Mao et
    /// al. show for deep linear networks; the table is printed for RESULTS.md.
    @Test func tightnessFallsWithDepthAtInitialisation() throws {
        var rng = SeededGenerator(seed: 21)
        var means = [Double]()
        for depth in 1...6 {
            var total = 0.0
            for _ in 0..<5 {
                let sizes = [32] + [Int](repeating: 32, count: depth) + [10]
                var nodes = [Node]()
                for layer in 1..<sizes.count {
                    let a = (6.0 / Double(sizes[layer - 1])).squareRoot()
                    let w = Matrix(rows: sizes[layer], cols: sizes[layer - 1],
                                   data: (0..<(sizes[layer] * sizes[layer - 1])).map { _ in rng.uniform(-a, a) })
                    nodes.append(Node(name: "fc\(layer)", op: Affine(weight: w, bias: nil), inputs: [nodes.count], shape: [sizes[layer]]))
                    if layer < sizes.count - 1 { nodes.append(Node(name: "relu\(layer)", op: ReLU(size: sizes[layer]), inputs: [nodes.count], shape: [sizes[layer]])) }
                }
                let net = try Network(inputName: "x", inputShape: [32], outputName: "y", nodes: nodes, output: nodes.count)
                let tau = try JacobianNetwork(net).globalTightness()
                total += tau.reduce(0, +) / Double(tau.count) / 5
            }
            means.append(total)
        }
        report("tightness at initialisation, width 32, hidden layers 1...6: " + means.map { String(format: "%.4f", $0) }.joined(separator: " "))
        for (a, b) in zip(means, means.dropFirst()) { #expect(b < a, "tightness should fall with depth: \(means)") }
    }

    /// The same on random ReLU CNNs (3x3 convolutions, 4 channels, padding 1, on 1x8x8, then a dense layer
    /// to 10 outputs; Kaiming-uniform weights), as the paper tabulates for CNNs. The full table with wider
    /// and deeper CNNs comes from benchmarks/tightness-cnn.sh.
    @Test func cnnTightnessFallsWithDepthAtInitialisation() throws {
        var rng = SeededGenerator(seed: 34)
        var means = [Double]()
        for depth in 1...4 {
            var total = 0.0
            for _ in 0..<3 {
                var nodes = [Node]()
                var channels = 1
                for layer in 0..<depth {
                    let geometry = try ConvolutionGeometry(inputChannels: channels, inputHeight: 8, inputWidth: 8, outputChannels: 4,
                                                           kernelHeight: 3, kernelWidth: 3, padTop: 1, padLeft: 1, padBottom: 1, padRight: 1)
                    let a = (6.0 / Double(channels * 9)).squareRoot()
                    let conv = Convolution(geometry: geometry, weight: (0..<(4 * channels * 9)).map { _ in rng.uniform(-a, a) })
                    nodes.append(Node(name: "conv\(layer)", op: conv, inputs: [nodes.count], shape: [4, 8, 8]))
                    nodes.append(Node(name: "relu\(layer)", op: ReLU(size: 256), inputs: [nodes.count], shape: [4, 8, 8]))
                    channels = 4
                }
                let a = (6.0 / 256).squareRoot()
                let dense = Affine(weight: Matrix(rows: 10, cols: 256, data: (0..<2560).map { _ in rng.uniform(-a, a) }), bias: nil)
                nodes.append(Node(name: "dense", op: dense, inputs: [nodes.count], shape: [10]))
                let net = try Network(inputName: "x", inputShape: [1, 8, 8], outputName: "y", nodes: nodes, output: nodes.count)
                let tau = try JacobianNetwork(net).globalTightness()
                total += tau.reduce(0, +) / Double(tau.count) / 3
            }
            means.append(total)
        }
        report("CNN tightness at initialisation, conv layers 1...4: " + means.map { String(format: "%.4f", $0) }.joined(separator: " "))
        for (a, b) in zip(means, means.dropFirst()) { #expect(b < a, "CNN tightness should fall with depth: \(means)") }
    }
}
