import NNGraph

/// ONNX `Relu`, `Sigmoid` and `Tanh`: the IR activation of the same name, elementwise, same shape.
/// A constant input is evaluated at load time.
struct ActivationConverter: OperatorConverter {
    enum Kind: Sendable { case relu, sigmoid, tanh }
    let kind: Kind

    func convert(_ node: NodeContext, _ graph: inout GraphBuilder) throws -> [Operand] {
        try node.expectInputs(1, 1)
        switch try node.input(0) {
        case .constant(let t):
            let f = activation(size: t.values.count)
            return [.constant(ConstantTensor(shape: t.shape, values: t.values.map(f.value)))]
        case .computed(let x, let shape):
            let op = activation(size: shape.reduce(1, *))
            return [graph.append(op, inputs: [x], shape: shape, name: node.name)]
        }
    }

    private func activation(size: Int) -> any ElementwiseActivation {
        switch kind {
        case .relu: return ReLU(size: size)
        case .sigmoid: return Sigmoid(size: size)
        case .tanh: return Tanh(size: size)
        }
    }
}
