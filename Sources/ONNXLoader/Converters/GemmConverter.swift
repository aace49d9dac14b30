import LinearAlgebra

/// ONNX `Gemm`: `Y = alpha · op(A) · op(B) + beta · C` with `op` transposing when `transA`/`transB` is 1,
/// `A` of shape `[M, K]`, and the optional `C` broadcast to `[M, N]`.
///
/// With `A` computed (`transA` = 0), `B` and `C` constant, this is one Affine: each row of `A` maps to
/// `alpha · op(B)ᵀ a + beta · c` (repeated on the diagonal when M > 1). All-constant Gemms are evaluated at
/// load time. A computed `B` or `C`, or `transA` = 1 on a computed `A`, is refused.
struct GemmConverter: OperatorConverter {
    func convert(_ node: NodeContext, _ graph: inout GraphBuilder) throws -> [Operand] {
        try node.expectInputs(2, 3)
        let a = try node.input(0), b = try node.input(1)
        let alpha = try node.float("alpha", default: 1), beta = try node.float("beta", default: 1)
        let transA = try node.int("transA", default: 0) != 0, transB = try node.int("transB", default: 0) != 0
        guard a.shape.count == 2, b.shape.count == 2 else {
            throw NodeIssue.shapeMismatch("Gemm needs 2-D A and B, got \(ShapeMath.format(a.shape)) and \(ShapeMath.format(b.shape))")
        }
        let (m, k) = transA ? (a.shape[1], a.shape[0]) : (a.shape[0], a.shape[1])
        let (kb, n) = transB ? (b.shape[1], b.shape[0]) : (b.shape[0], b.shape[1])
        guard k == kb else {
            throw NodeIssue.shapeMismatch("A \(ShapeMath.format(a.shape))\(transA ? " (transposed)" : "") and "
                + "B \(ShapeMath.format(b.shape))\(transB ? " (transposed)" : ""): inner dimensions \(k) and \(kb) differ")
        }
        guard case .constant(let cb) = b else {
            throw NodeIssue.unsupported("B (input #2, '\(node.proto.input[1])') must be a constant")
        }
        let bias = try biasValues(node, m: m, n: n, beta: beta)
        let bMatrix = Matrix(rows: b.shape[0], cols: b.shape[1], data: cb.values)
        switch a {
        case .constant(let ca):
            let aMatrix = Matrix(rows: a.shape[0], cols: a.shape[1], data: ca.values)
            let product = aMatrix.multiplied(by: bMatrix, transposeSelf: transA, transposeOther: transB)
            let values = (0..<(m * n)).map { alpha * product.data[$0] + bias[$0] }
            return [.constant(ConstantTensor(shape: [m, n], values: values))]
        case .computed(let x, _):
            guard !transA else { throw NodeIssue.unsupported("transA = 1 on a computed input A") }
            // Row i of the weight holds column i of op(B): op(B)ᵀ is B when transB, else Bᵀ.
            var block = transB ? bMatrix : bMatrix.transposed
            if alpha != 1 { block = block.map { alpha * $0 } }
            let weight = try LinearMaps.blockDiagonal(block, count: m)
            return [graph.affine(x, weight: weight, bias: bias, shape: [m, n], name: node.name)]
        }
    }

    /// `beta · C` broadcast to `[m, n]`, flattened; zeros without C.
    private func biasValues(_ node: NodeContext, m: Int, n: Int, beta: Double) throws(NodeIssue) -> [Double] {
        guard node.optionalInput(2) != nil else { return [Double](repeating: 0, count: m * n) }
        let c = try node.constantInput(2, role: "the bias C")
        guard ShapeMath.broadcast(c.shape, [m, n]) == [m, n] else {
            throw NodeIssue.shapeMismatch("bias C of shape \(ShapeMath.format(c.shape)) does not broadcast to [\(m), \(n)]")
        }
        let index = ShapeMath.broadcastSourceIndices(from: c.shape, to: [m, n])
        return index.map { beta * c.values[$0] }
    }
}
