import Foundation
import NNGraph
import ONNXLoader
import Testing

/// Every good fixture loads and computes what onnxruntime computes; the simplifications (fusion,
/// constant folding, shape-only nodes) leave the expected IR.
@Suite("ONNX fixtures evaluate like onnxruntime")
struct FixtureModelTests {
    @Test("fixture matches onnxruntime", arguments: try FixtureReferences.load())
    func matchesOnnxruntime(_ model: FixtureReferences.Model) throws {
        let network = try ONNXLoader.load(contentsOf: Fixtures.path(model.file))
        #expect(network.inputName == model.inputName)
        #expect(network.inputShape == model.inputShape)
        #expect(network.outputSize == model.outputShape.reduce(1, *))
        #expect(network.nodes[network.output - 1].shape == model.outputShape, "output node shape")
        for (k, c) in model.cases.enumerated() {
            expectClose(try network.evaluate(c.input), c.output, "\(model.file) case \(k)")
        }
    }

    @Test func thereAreFixturesForEveryFeature() throws {
        let files = Set(try FixtureReferences.load().map(\.file))
        for name in ["gemm_relu_raw", "mlp_float_data", "double_typed_data", "float16_weights", "old_exporter_inputs",
                     "symbolic_batch", "constant_folding", "matmul_fusion", "batched_matmul", "eran_like",
                     "dist_shift_like", "broadcast_arithmetic", "identity_dropout", "unsorted_nodes",
                     "conv_basic", "conv_variants", "conv_auto_pad", "conv_1d", "batchnorm", "maxpool", "maxpool_1d",
                     "averagepool", "concat_transpose", "residual_conv", "image_symbolic_batch", "global_pools", "image_constant_folding"] {
            #expect(files.contains(name + ".onnx"), "missing fixture \(name)")
        }
    }

    private func kinds(_ file: String) throws -> [String] {
        try ONNXLoader.load(contentsOf: Fixtures.path(file)).nodes.map(\.op.kind)
    }

    @Test func oldExporterFusesMatMulAndAdd() throws {
        let network = try ONNXLoader.load(contentsOf: Fixtures.path("old_exporter_inputs.onnx"))
        #expect(network.inputName == "input")
        #expect(network.inputShape == [1, 1, 1, 5])
        #expect(network.nodes.map(\.op.kind) == ["ElementwiseAffine", "Affine", "Relu", "Affine"])
        // Flatten added no node; the Sub node carries the flattened shape.
        #expect(network.nodes[0].shape == [1, 5])
        #expect(network.nodes.map(\.shape) == [[1, 5], [1, 6], [1, 6], [1, 5]])
    }

    @Test func eranStyleSubAndDivBecomeOneElementwiseAffine() throws {
        #expect(try kinds("eran_like.onnx") == ["ElementwiseAffine", "Affine", "Sigmoid", "Affine", "Relu"])
    }

    @Test func constantsAreFoldedAway() throws {
        // 21 ONNX nodes; everything but MatMul(x)+Add, Tanh and the final Add is evaluated at load time.
        #expect(try kinds("constant_folding.onnx") == ["Affine", "Tanh", "ElementwiseAffine"])
    }

    @Test func affineAbsorbsFollowingConstantArithmetic() throws {
        let network = try ONNXLoader.load(contentsOf: Fixtures.path("matmul_fusion.onnx"))
        #expect(network.nodes.map(\.op.kind) == ["Affine", "Relu", "Affine"])
        #expect(network.nodes.map(\.shape) == [[4, 2], [1, 8], [1, 5]])
    }

    @Test func shapeOnlyNodesAddNoIRNodes() throws {
        #expect(try kinds("identity_dropout.onnx") == ["Affine", "Relu"])
        #expect(try kinds("dist_shift_like.onnx") == ["Affine", "Relu", "Affine", "Sigmoid", "Affine", "Relu", "Affine"])
        let network = try ONNXLoader.load(contentsOf: Fixtures.path("dist_shift_like.onnx"))
        #expect(network.nodes[3].shape == [1, 16], "Sigmoid's node takes the shape after both Reshapes")
    }

    @Test func residualAddAndSubBecomeLinearCombinations() throws {
        let network = try ONNXLoader.load(contentsOf: Fixtures.path("broadcast_arithmetic.onnx"))
        let combinations = network.nodes.compactMap { $0.op as? LinearCombination }
        #expect(combinations.map(\.weights) == [[1, 1], [1, -1]])
        // Add of a [2,1] constant enlarges the [1,3] tensor to [2,3]: an Affine, not an elementwise map.
        #expect(network.nodes.contains { $0.op.kind == "Affine" && $0.shape == [2, 3] })
    }

    @Test func symbolicBatchCountsAsOne() throws {
        let network = try ONNXLoader.load(contentsOf: Fixtures.path("symbolic_batch.onnx"))
        #expect(network.inputShape == [1, 2, 3])
        #expect(network.nodes.last?.shape == [1, 4])
    }

    @Test func loadFromDataUsesTheGivenName() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("gemm_relu_raw.onnx")))
        let network = try ONNXLoader.load(data: data, fileName: "in-memory.onnx")
        #expect(network.outputSize == 4)
        #expect(throws: ONNXError.self) { try ONNXLoader.load(data: data.prefix(100), fileName: "in-memory.onnx") }
        do {
            _ = try ONNXLoader.load(data: data.prefix(100), fileName: "in-memory.onnx")
        } catch {
            #expect("\(error)".hasPrefix("in-memory.onnx: "))
        }
    }
}
