import LinearAlgebra
import NNGraph

/// Matrix products of the MatMul converter: numpy `matmul` shape rules, evaluation of constant products,
/// and the flat (row-major) linear maps of products with one constant factor.
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
}

extension LinearMaps {
    /// The product `matmul(left, right)` (numpy rules) as a linear map of its computed factor, the other
    /// being the constant `constant` (row-major). Output element `(t, m, n)` reads `k = 0 ..< K` of the
    /// computed factor at its broadcast batch index, weighted by the constant factor's entries.
    static func productMap(left: [Int], right: [Int], constant: [Double], constantOnLeft: Bool,
                           scale: Double = 1) throws(NodeIssue) -> SparseLinear {
        let outShape = try matmulShape(left, right)
        let count = try ShapeMath.elementCount(outShape, what: "MatMul result")
        let a2 = left.count == 1 ? [1, left[0]] : left
        let b2 = right.count == 1 ? [right[0], 1] : right
        let m = a2[a2.count - 2], k = a2[a2.count - 1], n = b2[b2.count - 1]
        let aBatch = Array(a2.dropLast(2)), bBatch = Array(b2.dropLast(2))
        let batch = ShapeMath.broadcast(aBatch, bBatch) ?? []
        let ia = ShapeMath.broadcastSourceIndices(from: aBatch, to: batch)
        let ib = ShapeMath.broadcastSourceIndices(from: bBatch, to: batch)
        _ = try ShapeMath.elementCount([count, k], what: "MatMul weight table")
        var rowStart = [0], columns = [Int](), weights = [Double]()
        rowStart.reserveCapacity(count + 1)
        for t in 0..<ia.count {
            let aBase = ia[t] * m * k, bBase = ib[t] * k * n
            for i in 0..<m {
                for j in 0..<n {
                    for p in 0..<k {
                        let ai = aBase + i * k + p, bi = bBase + p * n + j
                        let w = scale * (constantOnLeft ? constant[ai] : constant[bi])
                        guard w != 0 else { continue }
                        columns.append(constantOnLeft ? bi : ai)
                        weights.append(w)
                    }
                    rowStart.append(columns.count)
                }
            }
        }
        let inputSize = (constantOnLeft ? right : left).reduce(1, *)
        return SparseLinear(inputSize: inputSize, rowStart: rowStart, columns: columns, weights: weights)
    }
}
