import NNGraph

/// ONNX `Neg`: `−x`, an elementwise affine map (folded into the producing Affine when possible).
struct NegConverter: OperatorConverter {
    func convert(_ node: NodeContext, _ graph: inout GraphBuilder) throws -> [Operand] {
        try node.expectInputs(1, 1)
        switch try node.input(0) {
        case .constant(let t):
            return [.constant(ConstantTensor(shape: t.shape, values: t.values.map { -$0 }, isInteger: t.isInteger))]
        case .computed(let v, let shape):
            let n = shape.reduce(1, *)
            return [graph.elementwiseAffine(v, scale: [Double](repeating: -1, count: n), shift: [Double](repeating: 0, count: n),
                                            shape: shape, name: node.name)]
        }
    }
}
