import NNGraph

/// An ONNX elementwise function that the loader used to fold on constants only (`Sqrt`, `Exp`, `Log`,
/// `Reciprocal`, `Sign`): a constant input is still folded by ``ConstantMathConverter`` (integer types
/// kept as ONNX does, non-finite results refused, as before); a computed input becomes the IR
/// activation made by `make`, as ``ActivationConverter`` does.
struct SmoothActivationConverter: OperatorConverter {
    let constantFunction: ConstantMathConverter.Function
    let make: @Sendable (NodeContext, Int) throws -> any ElementwiseActivation

    init(folding constantFunction: ConstantMathConverter.Function,
         _ make: @escaping @Sendable (NodeContext, Int) throws -> any ElementwiseActivation) {
        self.constantFunction = constantFunction
        self.make = make
    }

    func convert(_ node: NodeContext, _ graph: inout GraphBuilder) throws -> [Operand] {
        try node.expectInputs(1, 1)
        if case .constant = try node.input(0) {
            return try ConstantMathConverter(function: constantFunction).convert(node, &graph)
        }
        return try ActivationConverter(make).convert(node, &graph)
    }
}

/// ONNX `Pow(X, Y)`. Both constant: folded (``ConstantMathConverter``). `X` computed and `Y` a constant
/// holding one value `p` (a scalar, or a tensor of equal values that does not enlarge `X`'s shape):
/// `p = 1` is `X` itself, `p = 0` the constant 1 (ONNX: `0⁰ = 1`), `p = 0.5` is ``Sqrt``, other
/// supported exponents ``Pow`` (see ``Pow/unsupportedReason(_:)``). A computed exponent, or an
/// unsupported one, is refused with the reason.
struct PowConverter: OperatorConverter {
    func convert(_ node: NodeContext, _ graph: inout GraphBuilder) throws -> [Operand] {
        try node.expectInputs(2, 2)
        let base = try node.input(0), power = try node.input(1)
        if case .constant = base, case .constant = power {
            return try ConstantMathConverter(function: .pow).convert(node, &graph)
        }
        guard case .computed(let x, let shape) = base else {
            throw NodeIssue.unsupported("Pow with a computed exponent is not supported (only a constant exponent)")
        }
        guard let exponent = power.constant else {
            throw NodeIssue.unsupported("Pow with a computed exponent is not supported (only a constant exponent)")
        }
        guard let p = exponent.values.first, exponent.values.allSatisfy({ $0 == p }) else {
            throw NodeIssue.unsupported("Pow with an exponent tensor of different values is not supported (only one constant exponent)")
        }
        guard ShapeMath.broadcast(shape, exponent.shape) == shape else {
            throw NodeIssue.shapeMismatch("the exponent's shape \(ShapeMath.format(exponent.shape)) enlarges the base's \(ShapeMath.format(shape))")
        }
        if p == 1 { return [graph.alias(base, shape: shape)] }
        if p == 0 {
            return [.constant(ConstantTensor(shape: shape, values: [Double](repeating: 1, count: shape.reduce(1, *))))]
        }
        let size = shape.reduce(1, *)
        if p == 0.5 { return [graph.append(Sqrt(size: size), inputs: [x], shape: shape, name: node.name)] }
        if let reason = Pow.unsupportedReason(p) { throw NodeIssue.unsupported("Pow: \(reason)") }
        return [graph.append(Pow(size: size, exponent: p), inputs: [x], shape: shape, name: node.name)]
    }
}
