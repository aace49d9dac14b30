import NNGraph
import ONNXLoader
import Testing

/// `ONNXLoader.info` summarises a model without converting it (also for unsupported models).
@Suite("ONNX model info")
struct ModelInfoTests {
    @Test func oldExporterModel() throws {
        let info = try ONNXLoader.info(contentsOf: Fixtures.path("old_exporter_inputs.onnx"))
        #expect(info.producer == "nnverify-fixtures 1")
        #expect(info.irVersion == 3)
        #expect(info.opset == 8)
        #expect(info.nodeCount == 7)
        #expect(info.operators.map(\.opType) == ["Sub", "Flatten", "MatMul", "Add", "Relu"])
        #expect(info.operators.map(\.count) == [1, 1, 2, 2, 1])
        #expect(info.unsupportedOperators.isEmpty)
        // The initializers listed among the graph inputs are not inputs.
        #expect(info.inputs.map(\.name) == ["input"])
        #expect(info.inputs.first?.dimensions == [.fixed(1), .fixed(1), .fixed(1), .fixed(5)])
        #expect(info.outputs.map(\.name) == ["y"])
        #expect(info.parameterCount == 5 + 30 + 6 + 30 + 5)
        let text = info.description
        for line in ["producer:   nnverify-fixtures 1", "format:     ONNX IR version 3, opset 8",
                     "input:      input [1 x 1 x 1 x 5] FLOAT", "output:     y [1 x 5] FLOAT",
                     "nodes:      7: Sub 1, Flatten 1, MatMul 2, Add 2, Relu 1", "parameters: 76", "supported:  yes"] {
            #expect(text.contains(line), "'\(line)' missing from:\n\(text)")
        }
    }

    @Test func symbolicDimensionsAreShownByName() throws {
        let info = try ONNXLoader.info(contentsOf: Fixtures.path("symbolic_batch.onnx"))
        #expect(info.inputs.first?.dimensions == [.symbolic("BatchSize"), .fixed(2), .fixed(3)])
        #expect(info.description.contains("input:      x [BatchSize x 2 x 3] FLOAT"))
    }

    @Test func constantNodesCountAsParameters() throws {
        let info = try ONNXLoader.info(contentsOf: Fixtures.path("eran_like.onnx"))
        #expect(info.parameterCount == 1 + 1 + 8 * 16 + 8 + 3 * 8 + 3)
    }

    @Test func unsupportedModelsStillGetInfo() throws {
        let info = try ONNXLoader.info(contentsOf: Fixtures.path("bad_unsupported_ops.onnx"))
        #expect(info.unsupportedOperators.map(\.opType) == ["LRN", "LpPool"])
        #expect(info.description.contains("supported:  no (unsupported: LRN 1, LpPool 1)"))
    }

    @Test func infoOfABrokenFileIsAnError() {
        #expect(throws: ONNXError.self) { try ONNXLoader.info(contentsOf: Fixtures.path("bad_truncated.onnx")) }
        #expect(throws: ONNXError.self) { try ONNXLoader.info(contentsOf: Fixtures.path("nope.onnx")) }
    }

    /// A converted model lists its IR operators with how each is relaxed; a model whose graph does not
    /// convert names the node instead.
    @Test func relaxationClassesAndConversionProblems() throws {
        let info = try ONNXLoader.info(contentsOf: Fixtures.path("mul_computed.onnx"))
        #expect(info.relaxations == [OperatorRelaxation(kind: "Relu", count: 1, relaxation: .piecewiseLinear),
                                     OperatorRelaxation(kind: "Mul", count: 1, relaxation: .bilinear)])
        #expect(info.description.contains("Mul 1: bilinear (McCormick planes, alpha-CROWN)"))
        let bad = try ONNXLoader.info(contentsOf: Fixtures.path("bad_pow_computed.onnx"))
        #expect(bad.relaxations.isEmpty)
        #expect(bad.description.contains("supported:  no (") && bad.description.contains("node 'pow_two' (Pow)"))
    }
}
