/// ONNX `Flatten(axis)`: shape `[d0 ... d(axis-1), d(axis) ... d(n-1)]` becomes
/// `[d0 * ... * d(axis-1), d(axis) * ... * d(n-1)]` (axis defaults to 1, may be negative). Data order is
/// unchanged, so no IR node is added.
struct FlattenConverter: OperatorConverter {
    func convert(_ node: NodeContext, _ graph: inout GraphBuilder) throws -> [Operand] {
        try node.expectInputs(1, 1)
        let x = try node.input(0)
        let shape = x.shape
        let axis = try node.normalisedAxis(try node.int("axis", default: 1), rank: shape.count, inclusiveUpper: true)
        let outer = shape[..<axis].reduce(1, *)
        let inner = shape[axis...].reduce(1, *)
        return [graph.alias(x, shape: [outer, inner])]
    }
}
