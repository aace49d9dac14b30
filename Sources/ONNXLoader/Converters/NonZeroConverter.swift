import NNGraph

/// ONNX `NonZero` on a constant (PyTorch's boolean-mask indexing `h[:, mask]` with a constant mask
/// exports `NonZero(mask) → Transpose → GatherND` or `→ Gather`): the coordinates of the non-zero
/// elements, shape `[rank, count]` in row-major order, INT64. Computed inputs are refused: the result's
/// shape would depend on the values.
struct NonZeroConverter: OperatorConverter {
    func convert(_ node: NodeContext, _ graph: inout GraphBuilder) throws -> [Operand] {
        _ = try node.foldableInputs(1, 1, reason: "NonZero is only evaluated at load time, on constants")
        let x = try node.folded(0)
        let rank = x.shape.count
        let strides = Rearrangement.strides(x.shape)
        let positions = x.values.indices.filter { x.values[$0] != 0 }
        if rank == 0 {  // a scalar counts as a tensor of shape [1] (as onnxruntime does): [1, count]
            return [.constant(.int64(positions.map { _ in 0 }, shape: [1, positions.count]))]
        }
        var coordinates = [Int]()
        coordinates.reserveCapacity(rank * positions.count)
        for axis in 0..<rank {
            for p in positions { coordinates.append((p / strides[axis]) % x.shape[axis]) }
        }
        return [.constant(.int64(coordinates, shape: [rank, positions.count]))]
    }
}
