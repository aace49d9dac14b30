/// ONNX `Gather(axis)` with constant indices (any shape; negative ones count from the end of the axis):
/// output shape `data[..<axis] + indices.shape + data[(axis+1)...]`. Constant data is evaluated at load
/// time; computed data becomes an exact ``Selection`` (no node when nothing moves). Computed indices are
/// refused, as are indices outside the axis.
struct GatherConverter: OperatorConverter {
    func convert(_ node: NodeContext, _ graph: inout GraphBuilder) throws -> [Operand] {
        try node.expectInputs(2, 2)
        let data = try node.input(0)
        let indices = try node.constantInput(1, role: "the indices")
        let shape = data.shape
        guard !shape.isEmpty else { throw NodeIssue.invalid("cannot gather from a scalar") }
        let axis = try node.normalisedAxis(try node.int("axis", default: 0), rank: shape.count, inclusiveUpper: false)
        let length = shape[axis]
        var picks = try indices.integers()
        for (k, i) in picks.enumerated() {
            guard i >= -length && i < length else {
                throw NodeIssue.invalid("index \(i) (element \(k) of the indices '\(node.proto.input[1])') is out of range "
                    + "for axis \(axis) of length \(length) of the data \(ShapeMath.format(shape))")
            }
            if i < 0 { picks[k] = i + length }
        }
        var maps = shape.map { Array(0..<$0) }
        maps[axis] = picks
        let sources = try Rearrangement.axisMappedIndices(inputShape: shape, maps: maps)
        let outShape = Array(shape[..<axis]) + indices.shape + Array(shape[(axis + 1)...])
        return [Rearrangement.gather(data, indices: sources, shape: outShape, name: node.name, graph: &graph)]
    }
}
