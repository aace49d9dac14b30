/// ONNX `ConstantOfShape`: a tensor of the constant input's shape (1-D integers; empty means a scalar)
/// filled with the one-element `value` attribute (default: float 0).
struct ConstantOfShapeConverter: OperatorConverter {
    func convert(_ node: NodeContext, _ graph: inout GraphBuilder) throws -> [Operand] {
        _ = try node.foldableInputs(1, 1)
        let shape = try node.folded(0).integers()
        let value = try node.tensor("value") ?? ConstantTensor(shape: [1], values: [0])
        let fill = try value.scalar("attribute 'value'")
        let count = try ShapeMath.elementCount(shape, what: "ConstantOfShape output")
        return [.constant(ConstantTensor(shape: shape, values: [Double](repeating: fill, count: count), isInteger: value.isInteger))]
    }
}

/// ONNX `Range(start, limit, delta)` of scalar constants: `start + i * delta` for `i` in
/// `0 ..< max(ceil((limit - start) / delta), 0)`; integer when all three are.
struct RangeConverter: OperatorConverter {
    func convert(_ node: NodeContext, _ graph: inout GraphBuilder) throws -> [Operand] {
        let inputs = try node.foldableInputs(3, 3)
        let start = try node.folded(0).scalar("start"), limit = try node.folded(1).scalar("limit")
        let delta = try node.folded(2).scalar("delta")
        guard delta != 0 else { throw NodeIssue.invalid("delta is 0") }
        let steps = ((limit - start) / delta).rounded(.up)
        let count = steps > 0 ? Int(min(steps, Double(Int.max / 2))) : 0
        _ = try ShapeMath.elementCount([count], what: "Range output")
        let values = (0..<count).map { start + Double($0) * delta }
        return [.constant(ConstantTensor(shape: [count], values: values, isInteger: inputs.allSatisfy { $0?.isInteger ?? false }))]
    }
}
