/// ONNX `Expand`: the input broadcast (numpy rules, both ways) with a constant target shape. Constant
/// data is evaluated at load time; computed data becomes an exact ``Selection`` copying each element
/// where broadcasting puts it (no node when nothing is replicated).
struct ExpandConverter: OperatorConverter {
    func convert(_ node: NodeContext, _ graph: inout GraphBuilder) throws -> [Operand] {
        try node.expectInputs(2, 2)
        let data = try node.input(0)
        let requested = try node.constantInput(1, role: "the target shape").integers()
        guard requested.allSatisfy({ $0 >= 0 }), let shape = ShapeMath.broadcast(data.shape, requested) else {
            throw NodeIssue.shapeMismatch("cannot expand \(ShapeMath.format(data.shape)) to \(ShapeMath.format(requested))")
        }
        _ = try ShapeMath.elementCount(shape, what: "Expand output")
        let sources = ShapeMath.broadcastSourceIndices(from: data.shape, to: shape)
        return [Rearrangement.gather(data, indices: sources, shape: shape, name: node.name, graph: &graph)]
    }
}

/// ONNX `Tile` with constant `repeats` (one non-negative count per axis): each axis repeated. Constant
/// data is evaluated at load time; computed data becomes an exact ``Selection``.
struct TileConverter: OperatorConverter {
    func convert(_ node: NodeContext, _ graph: inout GraphBuilder) throws -> [Operand] {
        try node.expectInputs(2, 2)
        let data = try node.input(0)
        let repeats = try node.constantInput(1, role: "the repeats").integers()
        let shape = data.shape
        guard repeats.count == shape.count, repeats.allSatisfy({ $0 >= 0 }) else {
            throw NodeIssue.invalid("repeats \(repeats) must give one non-negative count per axis of \(ShapeMath.format(shape))")
        }
        let outShape = zip(shape, repeats).map { $0 * $1 }
        _ = try ShapeMath.elementCount(outShape, what: "Tile output")
        let maps = zip(shape, outShape).map { d, n in (0..<n).map { $0 % d } }
        let sources = try Rearrangement.axisMappedIndices(inputShape: shape, maps: maps)
        return [Rearrangement.gather(data, indices: sources, shape: outShape, name: node.name, graph: &graph)]
    }
}
