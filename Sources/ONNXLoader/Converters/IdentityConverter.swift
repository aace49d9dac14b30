/// ONNX `Identity`: the input under its output name, no IR node.
struct IdentityConverter: OperatorConverter {
    func convert(_ node: NodeContext, _ graph: inout GraphBuilder) throws -> [Operand] {
        try node.expectInputs(1, 1)
        let x = try node.input(0)
        return [graph.alias(x, shape: x.shape)]
    }
}

/// ONNX `Dropout` at inference: the identity on its data input. The optional `mask` output is not
/// provided (the loader reports an error if the graph uses it), and a constant `training_mode` of true
/// (opset 12+) is refused because the model would then be random.
struct DropoutConverter: OperatorConverter {
    func convert(_ node: NodeContext, _ graph: inout GraphBuilder) throws -> [Operand] {
        try node.expectInputs(1, 3)
        if let training = node.optionalInput(2) {
            guard let mode = training.constant else {
                throw NodeIssue.unsupported("training_mode must be a constant")
            }
            if mode.values.contains(where: { $0 != 0 }) {
                throw NodeIssue.unsupported("training_mode is true (random dropout); only inference is supported")
            }
        }
        let x = try node.input(0)
        return [graph.alias(x, shape: x.shape)]
    }
}
