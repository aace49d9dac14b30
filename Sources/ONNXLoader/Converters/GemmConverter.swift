import LinearAlgebra
import NNGraph

/// ONNX `Gemm`: `Y = alpha · op(A) · op(B) + beta · C` with `op` transposing when `transA`/`transB` is 1,
/// `op(A)` of shape `[M, K]`, `op(B)` of shape `[K, N]`, and the optional constant `C` broadcast to `[M, N]`.
///
/// One of `A` and `B` may be computed (with or without its transposition): `Y` is then an exact linear map
/// of it, `Y[i, j] = Σ_p alpha · op(A)[i, p] · op(B)[p, j] + beta · C[i, j]`, whose weights come from the
/// constant factor — one ``Affine`` (a ``SparseLinear`` when large and sparse, e.g. many rows). All-constant
/// Gemms are evaluated at load time. Both factors computed, or a computed `C`, are refused.
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
        let bias = try biasValues(node, m: m, n: n, beta: beta)
        // Flat index of op(A)[i, p] in A and of op(B)[p, j] in B.
        func aIndex(_ i: Int, _ p: Int) -> Int { transA ? p * m + i : i * k + p }
        func bIndex(_ p: Int, _ j: Int) -> Int { transB ? j * k + p : p * n + j }
        switch (a, b) {
        case (.constant(let ca), .constant(let cb)):
            let aMatrix = Matrix(rows: a.shape[0], cols: a.shape[1], data: ca.values)
            let bMatrix = Matrix(rows: b.shape[0], cols: b.shape[1], data: cb.values)
            let product = aMatrix.multiplied(by: bMatrix, transposeSelf: transA, transposeOther: transB)
            let values = (0..<(m * n)).map { alpha * product.data[$0] + bias[$0] }
            return [.constant(ConstantTensor(shape: [m, n], values: values))]
        case (.computed, .computed):
            throw NodeIssue.unsupported("Gemm of two computed factors A and B is not linear; one must be a constant")
        case (.computed, .constant(let c)), (.constant(let c), .computed):
            let computedA = a.constant == nil
            _ = try ShapeMath.elementCount([m * n, k], what: "Gemm weight table")
            var rowStart = [0], columns = [Int](), weights = [Double]()
            rowStart.reserveCapacity(m * n + 1)
            for i in 0..<m {
                for j in 0..<n {
                    for p in 0..<k {
                        let w = alpha * (computedA ? c.values[bIndex(p, j)] : c.values[aIndex(i, p)])
                        guard w != 0 else { continue }
                        columns.append(computedA ? aIndex(i, p) : bIndex(p, j))
                        weights.append(w)
                    }
                    rowStart.append(columns.count)
                }
            }
            let x = computedA ? a : b
            let map = SparseLinear(inputSize: x.shape.reduce(1, *), rowStart: rowStart, columns: columns, weights: weights, offset: bias)
            return [graph.apply(map, to: x, shape: [m, n], name: node.name, preferDense: true)]
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
