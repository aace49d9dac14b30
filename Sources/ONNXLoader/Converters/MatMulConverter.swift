/// ONNX `MatMul` (numpy `matmul`) with at least one constant operand.
///
/// - `x · B` (B constant, 1-D or 2-D after dropping leading 1s): each length-K row of `x` is mapped to
///   `row · B`; as a flat map that is `Bᵀ` repeated on the diagonal once per row.
/// - `A · x` (A constant): each `[K, N]` matrix of `x` becomes `A x`, the flat map `A ⊗ I_N`, repeated
///   per leading batch index.
/// - both constant: evaluated at load time. Both computed: refused (not linear).
struct MatMulConverter: OperatorConverter {
    func convert(_ node: NodeContext, _ graph: inout GraphBuilder) throws -> [Operand] {
        try node.expectInputs(2, 2)
        let a = try node.input(0), b = try node.input(1)
        let shape = try LinearMaps.matmulShape(a.shape, b.shape)
        switch (a, b) {
        case (.constant(let ca), .constant(let cb)):
            return [.constant(try LinearMaps.foldMatMul(ca, cb))]
        case (.computed(let x, let xShape), .constant(let cb)):
            let matrix = try LinearMaps.matrix(of: cb, asRow: false)   // K x N
            let rows = xShape.reduce(1, *) / matrix.rows
            let weight = try LinearMaps.blockDiagonal(matrix.transposed, count: rows)
            return [graph.affine(x, weight: weight, bias: zeros(weight.rows), shape: shape, name: node.name)]
        case (.constant(let ca), .computed(let x, let xShape)):
            let matrix = try LinearMaps.matrix(of: ca, asRow: true)    // M x K
            let n = xShape.count == 1 ? 1 : xShape[xShape.count - 1]
            let block = try LinearMaps.kroneckerIdentity(matrix, n)
            let batches = xShape.reduce(1, *) / (matrix.cols * n)
            let weight = try LinearMaps.blockDiagonal(block, count: batches)
            return [graph.affine(x, weight: weight, bias: zeros(weight.rows), shape: shape, name: node.name)]
        case (.computed, .computed):
            throw NodeIssue.unsupported("MatMul of two computed tensors is not linear; one operand must be a constant")
        }
    }

    private func zeros(_ n: Int) -> [Double] { [Double](repeating: 0, count: n) }
}
