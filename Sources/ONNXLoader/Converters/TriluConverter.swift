import NNGraph

/// ONNX `Trilu` (opset 14; `torch.triu`/`torch.tril`): keeps the upper (`upper` = 1, the default) or
/// lower triangle of the last two axes from diagonal `k` (optional constant input, default 0) and zeroes
/// the rest. A linear map: evaluated on constants, an exact ``SparseLinear`` / ``Affine`` on computed
/// tensors. A computed `k` is refused.
struct TriluConverter: OperatorConverter {
    func convert(_ node: NodeContext, _ graph: inout GraphBuilder) throws -> [Operand] {
        try node.expectInputs(1, 2)
        let x = try node.input(0)
        let shape = x.shape
        guard shape.count >= 2 else {
            throw NodeIssue.shapeMismatch("input has shape \(ShapeMath.format(shape)); Trilu needs at least 2 axes")
        }
        var k = 0
        if node.optionalInput(1) != nil {
            let t = try node.constantInput(1, role: "the diagonal k")
            guard t.values.count == 1 else { throw NodeIssue.invalid("k has \(t.values.count) elements; expected one") }
            k = try t.integers()[0]
        }
        let upper = try node.int("upper", default: 1) != 0
        let count = try ShapeMath.elementCount(shape, what: "Trilu input")
        let rowsPerMatrix = shape[shape.count - 2], cols = shape[shape.count - 1]
        let rows: [[(Int, Double)]] = (0..<count).map { j in
            let c = j % cols, r = (j / cols) % rowsPerMatrix
            let keep = upper ? c - r >= k : c - r <= k
            return keep ? [(j, 1.0)] : []
        }
        return [graph.apply(SparseLinear(inputSize: count, rows: rows), to: x, shape: shape, name: node.name, preferDense: true)]
    }
}
