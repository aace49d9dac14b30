import LinearAlgebra
import NNGraph

/// ONNX `Transpose(perm)` (default: the axes reversed): a ``Permutation`` of the flat elements; no node
/// when the flat order does not change (only axes of size 1 move); evaluated at load time on constants.
struct TransposeConverter: OperatorConverter {
    func convert(_ node: NodeContext, _ graph: inout GraphBuilder) throws -> [Operand] {
        try node.expectInputs(1, 1)
        let x = try node.input(0)
        let rank = x.shape.count
        let perm = try node.ints("perm") ?? Array((0..<rank).reversed())
        guard perm.sorted() == Array(0..<rank) else {
            throw NodeIssue.invalid("attribute 'perm' \(perm) is not a permutation of the \(rank) axes of \(ShapeMath.format(x.shape))")
        }
        let shape = perm.map { x.shape[$0] }
        let permutation = Permutation.transposing(shape: x.shape, permutation: perm)
        if permutation.indices == Array(permutation.indices.indices) { return [graph.alias(x, shape: shape)] }
        switch x {
        case .constant(let t):
            return [.constant(ConstantTensor(shape: shape, values: permutation.indices.map { t.values[$0] }, isInteger: t.isInteger))]
        case .computed(let v, _):
            return [graph.append(permutation, inputs: [v], shape: shape, name: node.name)]
        }
    }
}
