/// ONNX `Reshape` with a constant target shape (input 2, or the `shape` attribute before opset 5).
/// A target entry `0` copies the input's dimension at that position (unless `allowzero` is 1), and one
/// entry may be `-1`, inferred from the element count. Data order is unchanged, so no IR node is added.
struct ReshapeConverter: OperatorConverter {
    func convert(_ node: NodeContext, _ graph: inout GraphBuilder) throws -> [Operand] {
        try node.expectInputs(1, 2)
        let x = try node.input(0)
        let requested: [Int]
        if node.optionalInput(1) != nil {
            requested = try node.constantInput(1, role: "the target shape").integers()
        } else if let attribute = try node.ints("shape") {
            requested = attribute
        } else {
            throw NodeIssue.invalid("has no target shape (neither a second input nor a 'shape' attribute)")
        }
        let allowZero = try node.int("allowzero", default: 0) != 0
        let shape = try Self.resolve(requested, input: x.shape, allowZero: allowZero)
        return [graph.alias(x, shape: shape)]
    }

    /// The output shape for a requested shape with ONNX's `0` and `-1` rules.
    static func resolve(_ requested: [Int], input: [Int], allowZero: Bool) throws(NodeIssue) -> [Int] {
        let count = input.reduce(1, *)
        var shape = requested
        var inferred: Int?
        for (i, d) in requested.enumerated() {
            if d == 0 && !allowZero {
                guard i < input.count else {
                    throw NodeIssue.shapeMismatch("target shape \(ShapeMath.format(requested)) copies dimension \(i) "
                        + "of the input, which has shape \(ShapeMath.format(input))")
                }
                shape[i] = input[i]
            } else if d == -1 {
                guard inferred == nil else {
                    throw NodeIssue.invalid("target shape \(ShapeMath.format(requested)) has more than one -1")
                }
                inferred = i
            } else if d < 0 {
                throw NodeIssue.invalid("target shape \(ShapeMath.format(requested)) has the invalid dimension \(d)")
            }
        }
        if let i = inferred {
            shape[i] = 1
            let known = try ShapeMath.elementCount(shape, what: "target shape")
            guard known > 0, count % known == 0 else {
                throw NodeIssue.shapeMismatch("cannot reshape \(ShapeMath.format(input)) (\(count) elements) "
                    + "to \(ShapeMath.format(requested))")
            }
            shape[i] = count / known
        }
        guard try ShapeMath.elementCount(shape, what: "target shape") == count else {
            throw NodeIssue.shapeMismatch("cannot reshape \(ShapeMath.format(input)) (\(count) elements) "
                + "to \(ShapeMath.format(requested))")
        }
        return shape
    }
}
