import Foundation
import ONNXLoader
import ONNXProto
import SwiftProtobuf
import Testing

/// Models built to break the loader's resource limits (found by the fuzzing campaign, see
/// fuzz/README.md): each is refused with one ``ONNXError`` naming the file, quickly and without
/// allocating beyond the documented limits.
@Suite("Hostile ONNX models")
struct HostileModelTests {
    /// A float tensor value-info `name` with the given dims.
    static func valueInfo(_ name: String, _ dims: [Int64]) -> Onnx_ValueInfoProto {
        var shape = Onnx_TensorShapeProto()
        shape.dim = dims.map { d in
            var dim = Onnx_TensorShapeProto.Dimension()
            dim.dimValue = d
            return dim
        }
        var tensor = Onnx_TypeProto.Tensor()
        tensor.elemType = 1
        tensor.shape = shape
        var info = Onnx_ValueInfoProto()
        info.name = name
        info.type.value = .tensorType(tensor)
        return info
    }

    static func node(_ op: String, _ inputs: [String], _ output: String, ints: [String: [Int64]] = [:]) -> Onnx_NodeProto {
        var node = Onnx_NodeProto()
        node.opType = op
        node.name = output + "_node"
        node.input = inputs
        node.output = [output]
        node.attribute = ints.sorted { $0.key < $1.key }.map { name, values in
            var attribute = Onnx_AttributeProto()
            attribute.name = name
            attribute.type = .ints
            attribute.ints = values
            return attribute
        }
        return node
    }

    /// A model with input `x` of `inputDims`, the nodes, float initializers (name, dims, values) and output `y`.
    static func model(inputDims: [Int64], nodes: [Onnx_NodeProto], initializers: [(String, [Int64], [Float])] = [],
                      outputDims: [Int64]) throws -> Data {
        var graph = Onnx_GraphProto()
        graph.name = "hostile"
        graph.input = [valueInfo("x", inputDims)]
        graph.output = [valueInfo("y", outputDims)]
        graph.node = nodes
        graph.initializer = initializers.map { name, dims, values in
            var tensor = Onnx_TensorProto()
            tensor.name = name
            tensor.dataType = 1
            tensor.dims = dims
            tensor.floatData = values
            return tensor
        }
        var model = Onnx_ModelProto()
        model.irVersion = 8
        var opset = Onnx_OperatorSetIdProto()
        opset.version = 13
        model.opsetImport = [opset]
        model.graph = graph
        return try model.serializedBytes()
    }

    @Test func infoSumsHugeDeclaredParameterCountsWithoutOverflow() throws {
        // Fuzz input: two initializers declaring Int64.max and 2 elements made `info` trap on overflow.
        let data = try Self.model(
            inputDims: [1, 2], nodes: [Self.node("Add", ["x", "b"], "t"), Self.node("Add", ["t", "c"], "y")],
            initializers: [("b", [Int64.max], [1]), ("c", [2], [1, 2])], outputDims: [1, 2])
        let info = try ONNXLoader.info(data: data, fileName: "huge_dims.onnx")
        #expect(info.parameterCount == Int.max)
        #expect(info.description.contains("parameters: \(Int.max)"))
        #expect(throws: ONNXError.self) { try ONNXLoader.load(data: data, fileName: "huge_dims.onnx") }
    }

    @Test func inputOverTheValueLimitIsRefusedBeforeConversion() throws {
        // Fuzz input: a 1-D MaxPool fixture whose channel dimension became 1 048 576 took 10 s and 1.9 GB.
        let data = try Self.model(
            inputDims: [1, 1_048_576, 9], nodes: [Self.node("MaxPool", ["x"], "y", ints: ["kernel_shape": [2]])],
            outputDims: [1, 1_048_576, 8])
        do {
            _ = try ONNXLoader.load(data: data, fileName: "wide_pool.onnx")
            Issue.record("expected the input to be refused")
        } catch let error as ONNXError {
            guard case .tooLarge(_, nil, let what, let elements, let limit) = error else {
                Issue.record("expected tooLarge for the input, got \(error)")
                return
            }
            #expect(what.contains("network input 'x'"))
            #expect(elements == "9437184")
            #expect(limit == ONNXLoader.maxValueElements)
            #expect(error.description.hasPrefix("wide_pool.onnx: "))
        }
    }

    @Test func manyLargeNodesExceedTheNetworkBudget() throws {
        // 40 ReLUs of 3 million values each: every node is under maxValueElements, the sum is not.
        let count = 3_000_000
        var nodes: [Onnx_NodeProto] = []
        for k in 0..<40 { nodes.append(Self.node("Relu", [k == 0 ? "x" : "r\(k - 1)"], k == 39 ? "y" : "r\(k)")) }
        let data = try Self.model(inputDims: [1, Int64(count)], nodes: nodes, outputDims: [1, Int64(count)])
        do {
            _ = try ONNXLoader.load(data: data, fileName: "deep.onnx")
            Issue.record("expected the network to be refused")
        } catch let error as ONNXError {
            guard case .tooLarge(_, let node?, _, _, let limit) = error else {
                Issue.record("expected tooLarge at a node, got \(error)")
                return
            }
            #expect(limit == ONNXLoader.maxNetworkElements)
            // Input plus k outputs exceed 100 million at the 33rd node (r32).
            #expect(node.name == "r32_node")
        }
    }

    @Test func modelsAtTheLimitsStillLoad() throws {
        // A value of exactly maxValueElements is accepted.
        let data = try Self.model(
            inputDims: [1, Int64(ONNXLoader.maxValueElements)], nodes: [Self.node("Relu", ["x"], "y")],
            outputDims: [1, Int64(ONNXLoader.maxValueElements)])
        let network = try ONNXLoader.load(data: data, fileName: "at_limit.onnx")
        #expect(network.inputSize == ONNXLoader.maxValueElements)
    }
}
