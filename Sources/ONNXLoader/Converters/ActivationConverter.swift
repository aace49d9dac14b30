import NNGraph

/// An ONNX elementwise activation with one input whose IR operator is made by `make` from the node's
/// attributes and the element count (`Relu`, `Sigmoid`, `Tanh`, `LeakyRelu`, `Abs`, ...), same shape.
/// A constant input is evaluated at load time with the operator's own `value`.
struct ActivationConverter: OperatorConverter {
    let make: @Sendable (NodeContext, Int) throws -> any ElementwiseActivation

    init(_ make: @escaping @Sendable (NodeContext, Int) throws -> any ElementwiseActivation) {
        self.make = make
    }

    func convert(_ node: NodeContext, _ graph: inout GraphBuilder) throws -> [Operand] {
        try node.expectInputs(1, 1)
        switch try node.input(0) {
        case .constant(let t):
            let f = try make(node, t.values.count)
            return [.constant(ConstantTensor(shape: t.shape, values: t.values.map(f.value)))]
        case .computed(let x, let shape):
            let op = try make(node, shape.reduce(1, *))
            return [graph.append(op, inputs: [x], shape: shape, name: node.name)]
        }
    }
}
