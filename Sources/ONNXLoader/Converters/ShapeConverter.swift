/// ONNX `Shape` (opset 15: `start` and `end` select a range of axes, negative ones counting from the
/// end, both clamped to the rank) of a constant or computed tensor: a 1-D INT64 constant. Computed
/// tensors have static shapes here (a symbolic batch dimension counts as 1), so Shape always folds.
struct ShapeConverter: OperatorConverter {
    func convert(_ node: NodeContext, _ graph: inout GraphBuilder) throws -> [Operand] {
        try node.expectInputs(1, 1)
        let shape = try node.input(0).shape
        let rank = shape.count
        func clamped(_ v: Int) -> Int { min(max(v < 0 ? v + rank : v, 0), rank) }
        let start = clamped(try node.int("start", default: 0))
        let end = clamped(try node.int("end", default: rank))
        return [.constant(.int64(start < end ? Array(shape[start..<end]) : []))]
    }
}

/// ONNX `Size` of a constant or computed tensor: its element count, a scalar INT64 constant.
struct SizeConverter: OperatorConverter {
    func convert(_ node: NodeContext, _ graph: inout GraphBuilder) throws -> [Operand] {
        try node.expectInputs(1, 1)
        return [.constant(.int64([try node.input(0).shape.reduce(1, *)], shape: []))]
    }
}
