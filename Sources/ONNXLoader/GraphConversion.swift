import NNGraph
import ONNXProto

/// Converts a decoded ONNX model into a ``Network``: finds the network input and output, checks that
/// every operator is supported (all unsupported ones reported in one error), orders the nodes, then
/// runs each node's converter, folding constants and fusing as it goes (see ``GraphBuilder``).
enum GraphConversion {
    static func network(from model: Onnx_ModelProto, file: String) throws -> Network {
        try network(from: model, file: file, exposing: []).network
    }

    /// As ``network(from:file:)``, and the IR value of each ONNX value named in `exposed`. Those values
    /// are pinned like a graph output: no later node is folded into them in place and they stay in the
    /// network even when the output does not depend on them, so each keeps exactly the meaning it has
    /// in the ONNX graph (e.g. a MatMul output named as a hidden node does not absorb the Add after it).
    static func network(from model: Onnx_ModelProto, file: String,
                        exposing exposed: [String]) throws -> (network: Network, values: [String: ValueLookup]) {
        let graph = model.graph
        let opset = ModelDecoding.defaultOpset(model)

        let initializers = try decodeInitializers(graph, file: file)
        let input = try networkInput(graph, initializerNames: Set(initializers.keys), file: file)
        let inputShape = try shape(of: input, file: file)
        guard graph.output.count == 1 else {
            throw ONNXError.invalidOutputs(file: file, reason: graph.output.isEmpty ? "the graph has no output"
                : "the graph has \(graph.output.count) outputs (\(graph.output.map { "'\($0.name)'" }.joined(separator: ", "))); "
                    + "nnverify supports exactly one")
        }
        let outputName = graph.output[0].name

        try checkOperatorsSupported(graph, file: file)
        let predefined = Set(initializers.keys).union([input.name])
        let order = try GraphOrder.sorted(graph.node, predefined: predefined, file: file, reference: reference)

        // Number of node inputs reading each ONNX name.
        var uses: [String: Int] = [:]
        for node in graph.node { for name in node.input where !name.isEmpty { uses[name, default: 0] += 1 } }

        var values: [String: Operand] = initializers.mapValues { .constant($0) }
        var builder = GraphBuilder(inputShape: inputShape)
        values[input.name] = .computed(0, shape: inputShape)
        builder.addUses(0, uses[input.name] ?? 0)
        if outputName == input.name { builder.pin(0) }
        let exposedNames = Set(exposed)

        var computedElements = inputShape.reduce(1, *)
        for index in order {
            let node = graph.node[index]
            let ref = reference(node)
            var operands: [Operand?] = []
            for name in node.input {
                if name.isEmpty { operands.append(nil); continue }
                guard let operand = values[name] else { throw ONNXError.unknownValue(file: file, node: ref, value: name) }
                operands.append(operand)
            }
            for case .computed(let v, _)? in operands { builder.consume(v) }

            let key = OperatorRegistry.key(domain: node.domain, opType: node.opType)
            guard let converter = OperatorRegistry.converter(for: key) else {
                throw ONNXError.unsupportedOperators(file: file, operators: [UnsupportedOperator(node: ref)])
            }
            let context = NodeContext(proto: node, reference: ref, file: file, opset: opset, inputs: operands)
            let outputs: [Operand]
            do {
                outputs = try converter.convert(context, &builder)
            } catch let issue as NodeIssue {
                throw issue.error(file: file, node: ref)
            }
            for (i, name) in node.output.enumerated() where !name.isEmpty {
                guard i < outputs.count else {
                    if (uses[name] ?? 0) > 0 || name == outputName {
                        throw ONNXError.unsupportedNode(file: file, node: ref,
                                                        reason: "output #\(i + 1) ('\(name)') is used, but only the first output is supported")
                    }
                    continue
                }
                values[name] = outputs[i]
                if case .computed(let v, let shape) = outputs[i] {
                    guard shape.allSatisfy({ $0 > 0 }) else {
                        throw ONNXError.shapeMismatch(file: file, node: ref,
                                                      detail: "output '\(name)' would be empty (shape \(ShapeMath.format(shape)))")
                    }
                    try checkComputedSize(shape, name: name, total: &computedElements, file: file, node: ref)
                    builder.addUses(v, uses[name] ?? 0)
                    if name == outputName || exposedNames.contains(name) { builder.pin(v) }
                }
            }
        }

        guard let result = values[outputName] else {
            throw ONNXError.unknownValue(file: file, node: nil, value: outputName)
        }
        guard case .computed(let outputValue, let outputShape) = result else {
            throw ONNXError.invalidGraph(file: file, reason: "graph output '\(outputName)' is a constant: "
                + "it does not depend on the input '\(input.name)'")
        }
        try checkDeclaredShape(graph.output[0], computed: outputShape, file: file)
        var kept: [ValueID] = []
        for name in exposed { if case .computed(let v, _)? = values[name] { kept.append(v) } }
        let (nodes, output, renumbered) = builder.finish(output: outputValue, shape: outputShape, keeping: kept)
        var lookups: [String: ValueLookup] = [:]
        for name in exposed {
            switch values[name] {
            case .computed(let v, let shape)?: lookups[name] = .computed(renumbered[v], shape: shape)
            case .constant(let t)?: lookups[name] = .constant(shape: t.shape)
            case nil: lookups[name] = .missing
            }
        }
        do {
            let network = try Network(inputName: input.name, inputShape: inputShape, outputName: outputName,
                                      nodes: nodes, output: output)
            return (network, lookups)
        } catch {
            throw ONNXError.invalidGraph(file: file, reason: "\(error)")
        }
    }

    /// Refuses a computed value over ``ONNXLoader/maxValueElements`` elements, or one that takes the
    /// network's total over ``ONNXLoader/maxNetworkElements``; adds its size to `total`.
    private static func checkComputedSize(_ shape: [Int], name: String, total: inout Int, file: String,
                                          node: NodeReference) throws(ONNXError) {
        var count = 1
        for d in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: d)
            count = overflow ? Int.max : product
        }
        guard count <= ONNXLoader.maxValueElements else {
            throw .tooLarge(file: file, node: node, what: "output '\(name)' \(ShapeMath.format(shape))",
                            elements: "\(count)", limit: ONNXLoader.maxValueElements)
        }
        total += count
        guard total <= ONNXLoader.maxNetworkElements else {
            throw .tooLarge(file: file, node: node, what: "the network's computed values (all node outputs up to '\(name)')",
                            elements: "\(total)", limit: ONNXLoader.maxNetworkElements)
        }
    }

    /// How errors name a node.
    static func reference(_ node: Onnx_NodeProto) -> NodeReference {
        NodeReference(name: node.name,
                      opType: node.opType.isEmpty ? "<empty op_type>" : OperatorRegistry.key(domain: node.domain, opType: node.opType),
                      firstOutput: node.output.first ?? "")
    }

    /// The one graph input that is not an initializer (old exporters list initializers as inputs).
    static func networkInput(_ graph: Onnx_GraphProto, initializerNames: Set<String>, file: String) throws(ONNXError) -> Onnx_ValueInfoProto {
        let candidates = graph.input.filter { !initializerNames.contains($0.name) }
        guard let first = candidates.first else { throw .noInput(file: file) }
        guard candidates.count == 1 else { throw .ambiguousInput(file: file, candidates: candidates.map(\.name)) }
        return first
    }

    /// All nodes whose operator has no converter, reported together.
    static func unsupportedOperators(_ graph: Onnx_GraphProto) -> [UnsupportedOperator] {
        graph.node.filter { OperatorRegistry.converter(for: OperatorRegistry.key(domain: $0.domain, opType: $0.opType)) == nil }
            .map { UnsupportedOperator(node: reference($0)) }
    }

    private static func checkOperatorsSupported(_ graph: Onnx_GraphProto, file: String) throws(ONNXError) {
        let unsupported = unsupportedOperators(graph)
        if !unsupported.isEmpty { throw .unsupportedOperators(file: file, operators: unsupported) }
    }

    private static func decodeInitializers(_ graph: Onnx_GraphProto, file: String) throws(ONNXError) -> [String: ConstantTensor] {
        if let sparse = graph.sparseInitializer.first {
            throw .unsupportedDataType(file: file, tensor: sparse.values.name, dataType: "sparse tensor")
        }
        var result: [String: ConstantTensor] = [:]
        for tensor in graph.initializer {
            guard result[tensor.name] == nil else { throw .duplicateValue(file: file, value: tensor.name, node: nil) }
            result[tensor.name] = try TensorDecoding.decode(tensor, label: tensor.name, file: file)
        }
        return result
    }

    /// The network input's shape; a symbolic, zero or missing leading (batch) dimension counts as 1.
    static func shape(of input: Onnx_ValueInfoProto, file: String) throws(ONNXError) -> [Int] {
        guard case .tensorType(let type)? = input.type.value else {
            throw .invalidInput(file: file, input: input.name, reason: "it is not declared as a tensor")
        }
        if type.hasElemType && ![1, 10, 11, 16].contains(type.elemType) {
            throw .invalidInput(file: file, input: input.name,
                                reason: "element type \(TensorDecoding.typeName(type.elemType)); a floating-point tensor is needed")
        }
        guard type.hasShape else { throw .invalidInput(file: file, input: input.name, reason: "it has no declared shape") }
        var shape: [Int] = []
        for (i, dim) in type.shape.dim.enumerated() {
            switch dim.value {
            case .dimValue(let v) where v > 0:
                shape.append(Int(clamping: v))
            case .dimValue(let v) where v < 0:
                throw .invalidInput(file: file, input: input.name, reason: "dimension \(i) is negative (\(v))")
            default:
                guard i == 0 else {
                    throw .invalidInput(file: file, input: input.name, reason: "dimension \(i) is "
                        + (dim.dimParam.isEmpty ? "unknown" : "symbolic ('\(dim.dimParam)')")
                        + "; only the leading (batch) dimension may be, and it counts as 1")
                }
                shape.append(1)
            }
        }
        let count: Int
        do {
            count = try ShapeMath.elementCount(shape, what: "network input '\(input.name)'")
        } catch {
            throw error.error(file: file, node: nil)
        }
        guard count <= ONNXLoader.maxValueElements else {
            throw .tooLarge(file: file, node: nil, what: "network input '\(input.name)' \(ShapeMath.format(shape))",
                            elements: "\(count)", limit: ONNXLoader.maxValueElements)
        }
        return shape
    }

    /// The declared output shape, where given, must agree with the computed one (symbolic or 0 dims match anything).
    private static func checkDeclaredShape(_ output: Onnx_ValueInfoProto, computed: [Int], file: String) throws(ONNXError) {
        guard case .tensorType(let type)? = output.type.value, type.hasShape else { return }
        let declared = type.shape.dim
        let matches = declared.count == computed.count && zip(declared, computed).allSatisfy { dim, size in
            if case .dimValue(let v)? = dim.value, v > 0 { return Int(clamping: v) == size }
            return true
        }
        guard matches else {
            let text = declared.map { d -> String in
                if case .dimValue(let v)? = d.value, v > 0 { return "\(v)" }
                return d.dimParam.isEmpty ? "?" : d.dimParam
            }
            throw .shapeMismatch(file: file, node: nil, detail: "graph output '\(output.name)' is declared as "
                + "[\(text.joined(separator: ", "))] but the graph computes \(ShapeMath.format(computed))")
        }
    }
}
