import LinearAlgebra
import NNGraph

/// ONNX `MatMul` (numpy `matmul`: 1-D operands promoted, leading batch dimensions broadcast both ways)
/// with at least one constant operand.
///
/// With one computed operand the product is an exact linear map of it: output element `(t, m, n)` is
/// `Σ_k A[t, m, k] · B[t, k, n]` where the constant factor supplies the weights and the computed one the
/// inputs, each read at its own (broadcast) batch index — so `x · B`, `A · x` (constant on the left) and
/// batched constants on either side are one ``Affine`` (when small, so that a following bias folds into
/// it) or ``SparseLinear``. Both constant: evaluated at load time. Both computed (attention's `Q·Kᵀ`):
/// exactly `Σ_k` of elementwise products — a ``Selection`` of each operand's factor for every (output, k)
/// pair, one bilinear ``Product``, and a ``SparseLinear`` summing over `k`.
struct MatMulConverter: OperatorConverter {
    func convert(_ node: NodeContext, _ graph: inout GraphBuilder) throws -> [Operand] {
        try node.expectInputs(2, 2)
        let a = try node.input(0), b = try node.input(1)
        let shape = try LinearMaps.matmulShape(a.shape, b.shape)
        switch (a, b) {
        case (.constant(let ca), .constant(let cb)):
            return [.constant(try LinearMaps.foldMatMul(ca, cb))]
        case (.computed, .constant(let c)), (.constant(let c), .computed):
            let constantLeft = a.constant != nil
            let map = try LinearMaps.productMap(left: a.shape, right: b.shape, constant: c.values, constantOnLeft: constantLeft)
            return [graph.apply(map, to: constantLeft ? b : a, shape: shape, name: node.name, preferDense: true)]
        case (.computed(let x, _), .computed(let y, _)):
            return [try productOfComputed(x, a.shape, y, b.shape, shape: shape, node: node, graph: &graph)]
        }
    }

    private func productOfComputed(_ x: ValueID, _ aShape: [Int], _ y: ValueID, _ bShape: [Int], shape: [Int],
                                   node: NodeContext, graph: inout GraphBuilder) throws -> Operand {
        let a2 = aShape.count == 1 ? [1, aShape[0]] : aShape
        let b2 = bShape.count == 1 ? [bShape[0], 1] : bShape
        let m = a2[a2.count - 2], k = a2[a2.count - 1], n = b2[b2.count - 1]
        let aBatch = Array(a2.dropLast(2)), bBatch = Array(b2.dropLast(2))
        let batch = ShapeMath.broadcast(aBatch, bBatch) ?? []
        let ia = ShapeMath.broadcastSourceIndices(from: aBatch, to: batch)
        let ib = ShapeMath.broadcastSourceIndices(from: bBatch, to: batch)
        let terms = try ShapeMath.elementCount([ia.count, m, n, k], what: "the products of MatMul")
        var left = [Int](), right = [Int]()
        left.reserveCapacity(terms)
        right.reserveCapacity(terms)
        for t in 0..<ia.count {
            for i in 0..<m {
                for j in 0..<n {
                    for kk in 0..<k {
                        left.append(ia[t] * m * k + i * k + kk)
                        right.append(ib[t] * k * n + kk * n + j)
                    }
                }
            }
        }
        let sizeA = aShape.reduce(1, *), sizeB = bShape.reduce(1, *)
        // A selection may replace its input in place; with `x` read twice it must not.
        if x == y { graph.addUses(x, 1) }
        defer { if x == y { graph.consume(x) } }
        guard case .computed(let px, _) = graph.select(x, inputSize: sizeA, indices: left, shape: [terms], name: node.name + "/left"),
              case .computed(let py, _) = graph.select(y, inputSize: sizeB, indices: right, shape: [terms], name: node.name + "/right"),
              case .computed(let products, _) = graph.append(Product(size: terms), inputs: [px, py], shape: [terms],
                                                               name: node.name + "/products") else {
            throw NodeIssue.invalid("internal: computed value expected")
        }
        let rows = (0..<(terms / max(k, 1))).map { o in (0..<k).map { (o * k + $0, 1.0) } }
        return graph.apply(SparseLinear(inputSize: terms, rows: rows), to: .computed(products, shape: [terms]), shape: shape,
                           name: node.name)
    }
}
