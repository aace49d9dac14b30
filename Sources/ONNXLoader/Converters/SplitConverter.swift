/// ONNX `Split(axis)` into the node's outputs, sizes from the `split` attribute (before opset 13) or
/// input (from 13), `num_outputs` (opset 18) or equal parts (see ``OpsetForms/splitSizes(_:length:)``).
/// Constant data is evaluated at load time; each part of computed data becomes an exact ``Selection``
/// (of the data as it is: the parts are never composed into the data's producer, which they share).
struct SplitConverter: OperatorConverter {
    func convert(_ node: NodeContext, _ graph: inout GraphBuilder) throws -> [Operand] {
        try node.expectInputs(1, 2)
        let data = try node.input(0)
        let shape = data.shape
        guard !shape.isEmpty else { throw NodeIssue.invalid("cannot split a scalar") }
        let axis = try node.normalisedAxis(try node.int("axis", default: 0), rank: shape.count, inclusiveUpper: false)
        let sizes = try OpsetForms.splitSizes(node, length: shape[axis])
        var outputs = [Operand]()
        var offset = 0
        for size in sizes {
            var maps = shape.map { Array(0..<$0) }
            maps[axis] = Array(offset..<(offset + size))
            offset += size
            let sources = try Rearrangement.axisMappedIndices(inputShape: shape, maps: maps)
            outputs.append(Rearrangement.gather(data, indices: sources, shape: maps.map(\.count), name: node.name,
                                                compose: sizes.count == 1, graph: &graph))
        }
        return outputs
    }
}
