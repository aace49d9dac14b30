extension ONNXLoader {
    /// The ONNX value names that feed a node of one of `opTypes` (first input), in graph order without
    /// repeats: e.g. the pre-activations of every `Relu`, which `nnverify split` names as VNN-LIB 2.0
    /// hidden nodes.
    /// - Throws: ``ONNXError`` when the file is missing or not an ONNX model.
    public static func activationInputs(contentsOf path: String, opTypes: Set<String>) throws -> [String] {
        let model = try ModelDecoding.decodeModel(try ModelDecoding.readFile(path), file: path)
        var seen = Set<String>(), names = [String]()
        for node in model.graph.node where opTypes.contains(node.opType) {
            guard let name = node.input.first, !name.isEmpty, seen.insert(name).inserted else { continue }
            names.append(name)
        }
        return names
    }
}
