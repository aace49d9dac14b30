import LinearAlgebra
import NNGraph
import ONNXLoader
import Testing
import TestSupport

/// The image fixtures (Conv, BatchNormalization, pooling, Concat, Transpose) become the expected IR:
/// attributes land in the right geometry fields, BatchNormalization is folded where it can be, pooling is
/// lowered as documented. (That they compute what onnxruntime computes is ``FixtureModelTests``.)
@Suite("ONNX image fixtures become the expected IR")
struct ImageFixtureTests {
    private func load(_ file: String) throws -> Network {
        try ONNXLoader.load(contentsOf: Fixtures.path(file))
    }

    private func geometries(_ network: Network) -> [ConvolutionGeometry] {
        network.nodes.compactMap { ($0.op as? Convolution)?.geometry }
    }

    @Test func convolutionAttributes() throws {
        let basic = try load("conv_basic.onnx")
        #expect(basic.nodes.map(\.op.kind) == ["Convolution", "Relu", "Convolution", "Affine"])
        #expect(basic.nodes.map(\.shape) == [[1, 3, 6, 6], [1, 3, 6, 6], [1, 8], [1, 3]])
        #expect(basic.parameterCount == (27 + 3) + (54 + 2) + (24 + 3), "the bias-free Conv counts zero biases")

        let variants = geometries(try load("conv_variants.onnx"))
        try #require(variants.count == 3)
        let a = variants[0]
        #expect([a.padTop, a.padLeft, a.padBottom, a.padRight] == [0, 1, 2, 1])
        #expect([a.strideHeight, a.strideWidth, a.dilationHeight, a.dilationWidth] == [2, 1, 2, 1])
        #expect([a.outputHeight, a.outputWidth] == [3, 7])
        #expect(variants.map(\.groups) == [1, 2, 6])

        let auto = geometries(try load("conv_auto_pad.onnx"))
        #expect(auto.map { [$0.padTop, $0.padLeft, $0.padBottom, $0.padRight] } == [[1, 1, 1, 1], [1, 1, 0, 0], [0, 0, 0, 0]])
        #expect(auto.map { [$0.outputHeight, $0.outputWidth] } == [[3, 3], [3, 3], [2, 2]])

        let oneD = try load("conv_1d.onnx")
        let g = try #require(geometries(oneD).first)
        #expect([g.inputHeight, g.inputWidth, g.kernelHeight, g.padLeft, g.padRight, g.strideWidth] == [1, 9, 1, 1, 2, 2])
        #expect(oneD.nodes.first?.shape == [1, 3, 5])
    }

    @Test func batchNormalizationIsFoldedWherePossible() throws {
        // After Conv and after Gemm: folded. After Relu: an ElementwiseAffine of its own.
        #expect(try load("batchnorm.onnx").nodes.map(\.op.kind) == ["Convolution", "Relu", "ElementwiseAffine", "Affine"])
        let network = try load("image_symbolic_batch.onnx")
        #expect(network.inputShape == [1, 1, 8, 8])
        #expect(network.nodes.first?.op.kind == "Convolution")
        #expect(!network.nodes.contains { $0.op.kind == "ElementwiseAffine" })
    }

    @Test func maxPoolIsLoweredIntoSelectionsDifferencesAndReLUs() throws {
        let network = try load("maxpool.onnx")
        let kinds = Set(network.nodes.map(\.op.kind))
        #expect(kinds == ["Selection", "LinearCombination", "Relu", "Concatenation"], "\(kinds)")
        // Every ReLU input is a difference of maxima over disjoint element sets: never identically zero.
        var rng = SeededGenerator(seed: 3)
        let x = Matrix(rows: 4, cols: network.inputSize, data: (0..<(4 * network.inputSize)).map { _ in rng.uniform(-2, 2) })
        let values = network.evaluateAll(x)
        for node in network.nodes where node.op is ReLU {
            #expect(values[node.inputs[0]].data.allSatisfy { $0 != 0 }, "\(node.name)")
        }
        // 2x2 windows without padding need two levels of pairs and no reordering.
        let plain = try load("image_symbolic_batch.onnx").nodes.filter { $0.name.hasPrefix("pool_1") }
        #expect(plain.map(\.op.kind) == Array(repeating: ["Selection", "Selection", "LinearCombination", "Relu", "LinearCombination"],
                                              count: 2).flatMap { $0 })
        #expect(plain.last?.shape == [1, 2, 3, 3])
    }

    @Test func averagePoolIsADepthwiseConvolution() throws {
        let network = try load("averagepool.onnx")
        #expect(network.nodes.map(\.op.kind) == ["Convolution", "ElementwiseAffine", "Convolution", "Convolution", "Concatenation"])
        let convolutions = network.nodes.compactMap { $0.op as? Convolution }
        #expect(convolutions.map(\.geometry.groups) == [2, 2, 2])
        // count_include_pad = 0 with padding: weights 1, then a division per position; otherwise 1/9 and 1/4.
        let firstWeights: [Double] = convolutions.map { $0.weight[0] }
        let expected: [Double] = [1, 1.0 / 9, 0.25]
        #expect(firstWeights == expected)
        let divide = try #require(network.nodes[1].op as? ElementwiseAffine)
        let topRow: [Double] = [1.0 / 6, 1.0 / 6, 1.0 / 4]
        #expect(Array(divide.scale.prefix(3)) == topRow, "top row: windows of 6, 6 and 4 elements")
    }

    @Test func globalPoolsCoverTheWholePlane() throws {
        let network = try load("global_pools.onnx")
        let average = try #require(network.nodes[1].op as? Convolution)
        #expect([average.geometry.kernelHeight, average.geometry.kernelWidth, average.geometry.outputPlane] == [5, 4, 1])
        #expect(average.weight.allSatisfy { $0 == 1.0 / 20 })
        // GlobalMaxPool over 20 elements: five levels of pairs.
        #expect(network.nodes.filter { $0.name.hasPrefix("global_max") && $0.op is ReLU }.count == 5)
    }

    @Test func concatAndTranspose() throws {
        let network = try load("concat_transpose.onnx")
        // The Transpose that moves only an axis of size 1 and the one of a constant add no node.
        #expect(network.nodes.map(\.op.kind) == ["Convolution", "Relu", "Concatenation", "Concatenation", "Permutation", "Affine"])
        let withConstant = try #require(network.nodes[2].op as? Concatenation)
        #expect(withConstant.arity == 2 && network.nodes[2].inputs == [2, 0])
        #expect(withConstant.offset.filter { $0 != 0 }.count == 12, "the constant [1, 1, 4, 3] is built in")
        #expect(network.nodes[3].inputs == [3, 3])
        #expect(network.nodes[4].shape == [1, 144], "the shape after the no-op Transpose and the Reshape")
    }

    @Test func residualAddsAreLinearCombinations() throws {
        let network = try load("residual_conv.onnx")
        #expect(network.nodes.compactMap { ($0.op as? LinearCombination)?.weights } == [[1, 1], [1, 1]])
        #expect(network.nodes[3].inputs == [3, 0], "the first skip connection reads the network input")
    }

    @Test func constantImagesAreFolded() throws {
        #expect(try load("image_constant_folding.onnx").nodes.map(\.op.kind) == ["ElementwiseAffine", "Relu"])
    }
}
