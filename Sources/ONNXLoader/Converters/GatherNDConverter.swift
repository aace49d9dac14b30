import NNGraph

/// ONNX `GatherND(batch_dims)` with constant indices (the dynamo exporter's advanced indexing, e.g.
/// `h[:, [3, 0, 0]]`, adaptive pooling and interpolation): with `b = batch_dims` and indices of shape
/// `[...q, k]`, each index tuple picks a slice `data[batch, i_1, ..., i_k, ...]`; the output has shape
/// `indices.shape[..<last] + data.shape[(b + k)...]`. Negative indices count from the end of their axis.
/// A pure rearrangement: evaluated on constants, an exact ``Selection`` on computed data. Computed
/// indices are refused.
struct GatherNDConverter: OperatorConverter {
    func convert(_ node: NodeContext, _ graph: inout GraphBuilder) throws -> [Operand] {
        try node.expectInputs(2, 2)
        let data = try node.input(0)
        let indices = try node.constantInput(1, role: "the indices")
        let shape = data.shape, indexShape = indices.shape
        let b = try node.int("batch_dims", default: 0)
        guard let k = indexShape.last, indexShape.count >= 1, b >= 0, b < min(shape.count, indexShape.count),
              k >= 1, b + k <= shape.count, Array(indexShape[..<b]) == Array(shape[..<b]) else {
            throw NodeIssue.shapeMismatch("indices \(ShapeMath.format(indexShape)) with batch_dims \(b) do not fit the data "
                + "\(ShapeMath.format(shape))")
        }
        let picks = try indices.integers()
        let sliceShape = Array(shape[(b + k)...])
        let sliceSize = sliceShape.reduce(1, *)
        let outShape = Array(indexShape[..<(indexShape.count - 1)]) + sliceShape
        _ = try ShapeMath.elementCount(outShape, what: "GatherND output")
        let strides = Rearrangement.strides(shape)
        let tuples = picks.count / k
        // Index tuples per batch element: the batch element is the tuple's position over that many.
        let batchCount = Array(shape[..<b]).reduce(1, *)
        let tuplesPerBatch = tuples / max(batchCount, 1)
        var sources = [Int]()
        sources.reserveCapacity(tuples * sliceSize)
        for t in 0..<tuples {
            var base = 0
            var batch = t / max(tuplesPerBatch, 1)
            for axis in stride(from: b - 1, through: 0, by: -1) {
                base += (batch % shape[axis]) * strides[axis]
                batch /= shape[axis]
            }
            for j in 0..<k {
                let axis = b + j
                var i = picks[t * k + j]
                guard i >= -shape[axis] && i < shape[axis] else {
                    throw NodeIssue.invalid("index \(i) (tuple \(t) of the indices '\(node.proto.input[1])') is out of range "
                        + "for axis \(axis) of length \(shape[axis]) of the data \(ShapeMath.format(shape))")
                }
                if i < 0 { i += shape[axis] }
                base += i * strides[axis]
            }
            for s in 0..<sliceSize { sources.append(base + s) }
        }
        return [Rearrangement.gather(data, indices: sources, shape: outShape, name: node.name, graph: &graph)]
    }
}
