import LinearAlgebra

/// Matrix products shared by the Gemm and MatMul converters: numpy `matmul` shape rules, evaluation of
/// constant products, and the flat (row-major) linear maps of products with one constant factor.
enum LinearMaps {
    /// The shape of `matmul(a, b)` under numpy rules (1-D operands promoted and the added dimension
    /// removed again, leading batch dimensions broadcast).
    static func matmulShape(_ a: [Int], _ b: [Int]) throws(NodeIssue) -> [Int] {
        guard !a.isEmpty && !b.isEmpty else {
            throw NodeIssue.shapeMismatch("MatMul operands must have rank >= 1, got \(ShapeMath.format(a)) and \(ShapeMath.format(b))")
        }
        let a2 = a.count == 1 ? [1, a[0]] : a
        let b2 = b.count == 1 ? [b[0], 1] : b
        guard a2[a2.count - 1] == b2[b2.count - 2] else {
            throw NodeIssue.shapeMismatch("cannot multiply \(ShapeMath.format(a)) by \(ShapeMath.format(b)): "
                + "inner dimensions \(a2[a2.count - 1]) and \(b2[b2.count - 2]) differ")
        }
        guard let batch = ShapeMath.broadcast(Array(a2.dropLast(2)), Array(b2.dropLast(2))) else {
            throw NodeIssue.shapeMismatch("cannot broadcast the batch dimensions of \(ShapeMath.format(a)) and \(ShapeMath.format(b))")
        }
        var out = batch + [a2[a2.count - 2], b2[b2.count - 1]]
        if b.count == 1 { out.removeLast() }
        if a.count == 1 { out.remove(at: out.count - (b.count == 1 ? 1 : 2)) }
        return out
    }

    /// `matmul(a, b)` of two constants, numpy rules.
    static func foldMatMul(_ a: ConstantTensor, _ b: ConstantTensor) throws(NodeIssue) -> ConstantTensor {
        let shape = try matmulShape(a.shape, b.shape)
        _ = try ShapeMath.elementCount(shape, what: "MatMul result")
        let a2 = a.shape.count == 1 ? [1, a.shape[0]] : a.shape
        let b2 = b.shape.count == 1 ? [b.shape[0], 1] : b.shape
        let m = a2[a2.count - 2], k = a2[a2.count - 1], n = b2[b2.count - 1]
        let aBatch = Array(a2.dropLast(2)), bBatch = Array(b2.dropLast(2))
        let batch = ShapeMath.broadcast(aBatch, bBatch) ?? []
        let ia = ShapeMath.broadcastSourceIndices(from: aBatch, to: batch)
        let ib = ShapeMath.broadcastSourceIndices(from: bBatch, to: batch)
        var values: [Double] = []
        values.reserveCapacity(ia.count * m * n)
        for t in 0..<ia.count {
            let left = Matrix(rows: m, cols: k, data: Array(a.values[(ia[t] * m * k)..<((ia[t] + 1) * m * k)]))
            let right = Matrix(rows: k, cols: n, data: Array(b.values[(ib[t] * k * n)..<((ib[t] + 1) * k * n)]))
            values.append(contentsOf: (left * right).data)
        }
        return ConstantTensor(shape: shape, values: values, isInteger: a.isInteger && b.isInteger)
    }

    /// A constant MatMul operand as a matrix: leading dimensions of size 1 are dropped; a 1-D operand
    /// becomes a row (`asRow`) or a column. Batched constants (rank > 2 after dropping) are refused.
    static func matrix(of tensor: ConstantTensor, asRow: Bool) throws(NodeIssue) -> Matrix {
        var shape = tensor.shape
        while shape.count > 2 && shape[0] == 1 { shape.removeFirst() }
        switch shape.count {
        case 1:
            return asRow ? Matrix(rows: 1, cols: shape[0], data: tensor.values)
                : Matrix(rows: shape[0], cols: 1, data: tensor.values)
        case 2:
            return Matrix(rows: shape[0], cols: shape[1], data: tensor.values)
        default:
            throw NodeIssue.unsupported("a constant MatMul operand of shape \(ShapeMath.format(tensor.shape)) "
                + "(batched constant factors)")
        }
    }

    /// `count` copies of `block` on the diagonal (`block` itself when `count` is 1).
    static func blockDiagonal(_ block: Matrix, count: Int) throws(NodeIssue) -> Matrix {
        if count == 1 { return block }
        let rows = block.rows * count, cols = block.cols * count
        try ShapeMath.checkedMatrixSize(rows: rows, cols: cols, what: "block-diagonal weight matrix")
        var out = Matrix(rows: rows, cols: cols)
        for t in 0..<count {
            for r in 0..<block.rows {
                for c in 0..<block.cols {
                    out[t * block.rows + r, t * block.cols + c] = block[r, c]
                }
            }
        }
        return out
    }

    /// `A ⊗ I_n`: the map `X -> A X` on row-major `X` of shape `[k, n]` (`A` is `m x k`).
    static func kroneckerIdentity(_ a: Matrix, _ n: Int) throws(NodeIssue) -> Matrix {
        if n == 1 { return a }
        try ShapeMath.checkedMatrixSize(rows: a.rows * n, cols: a.cols * n, what: "MatMul weight matrix")
        var out = Matrix(rows: a.rows * n, cols: a.cols * n)
        for m in 0..<a.rows {
            for k in 0..<a.cols where a[m, k] != 0 {
                for j in 0..<n { out[m * n + j, k * n + j] = a[m, k] }
            }
        }
        return out
    }
}
