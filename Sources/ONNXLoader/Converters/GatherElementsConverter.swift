import NNGraph

/// ONNX `GatherElements(axis)` with constant indices (PyTorch's `torch.gather`): the output has the
/// indices' shape and `y[i_0, ..., i_axis, ...] = x[i_0, ..., indices[i], ...]` (negative indices count
/// from the end of the axis; on the other axes the indices' extent may be smaller than the data's). A
/// pure rearrangement: evaluated on constants, an exact ``Selection`` on computed data. Computed indices
/// are refused.
struct GatherElementsConverter: OperatorConverter {
    func convert(_ node: NodeContext, _ graph: inout GraphBuilder) throws -> [Operand] {
        try node.expectInputs(2, 2)
        let data = try node.input(0)
        let indices = try node.constantInput(1, role: "the indices")
        let shape = data.shape
        guard !shape.isEmpty, indices.shape.count == shape.count else {
            throw NodeIssue.shapeMismatch("the indices \(ShapeMath.format(indices.shape)) and the data "
                + "\(ShapeMath.format(shape)) must have the same rank (at least 1)")
        }
        let axis = try node.normalisedAxis(try node.int("axis", default: 0), rank: shape.count, inclusiveUpper: false)
        for a in shape.indices where a != axis && indices.shape[a] > shape[a] {
            throw NodeIssue.shapeMismatch("the indices \(ShapeMath.format(indices.shape)) exceed the data "
                + "\(ShapeMath.format(shape)) along axis \(a)")
        }
        let picks = try indices.integers()
        let length = shape[axis]
        let dataStrides = Rearrangement.strides(shape), indexStrides = Rearrangement.strides(indices.shape)
        var sources = [Int]()
        sources.reserveCapacity(picks.count)
        for (k, pick) in picks.enumerated() {
            guard pick >= -length && pick < length else {
                throw NodeIssue.invalid("index \(pick) (element \(k) of the indices '\(node.proto.input[1])') is out of range "
                    + "for axis \(axis) of length \(length) of the data \(ShapeMath.format(shape))")
            }
            var source = 0
            for a in shape.indices {
                let coordinate = a == axis ? (pick < 0 ? pick + length : pick) : (k / indexStrides[a]) % indices.shape[a]
                source += coordinate * dataStrides[a]
            }
            sources.append(source)
        }
        return [Rearrangement.gather(data, indices: sources, shape: indices.shape, name: node.name, graph: &graph)]
    }
}
