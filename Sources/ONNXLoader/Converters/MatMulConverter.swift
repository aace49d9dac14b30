import LinearAlgebra
import NNGraph

/// ONNX `MatMul` (numpy `matmul`: 1-D operands promoted, leading batch dimensions broadcast both ways)
/// with at least one constant operand.
///
/// With one computed operand the product is an exact linear map of it: output element `(t, m, n)` is
/// `Σ_k A[t, m, k] · B[t, k, n]` where the constant factor supplies the weights and the computed one the
/// inputs, each read at its own (broadcast) batch index — so `x · B`, `A · x` (constant on the left) and
/// batched constants on either side are one ``Affine`` (when small, so that a following bias folds into
/// it) or ``SparseLinear``. Both constant: evaluated at load time. Both computed: refused (not linear).
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
        case (.computed, .computed):
            throw NodeIssue.unsupported("MatMul of two computed tensors is not linear; one operand must be a constant")
        }
    }
}
