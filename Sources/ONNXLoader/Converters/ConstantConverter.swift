/// ONNX `Constant`: its `value` tensor, or (opset 12+) `value_float`, `value_floats`, `value_int`,
/// `value_ints`. Sparse and string values are refused.
struct ConstantConverter: OperatorConverter {
    func convert(_ node: NodeContext, _ graph: inout GraphBuilder) throws -> [Operand] {
        try node.expectInputs(0, 0)
        if let tensor = try node.tensor("value") { return [.constant(tensor)] }
        if node.attribute("value_float") != nil {
            return [.constant(ConstantTensor(shape: [], values: [try node.float("value_float", default: 0)]))]
        }
        if let a = node.attribute("value_floats") {
            let values = a.floats.map { Double($0) }
            guard values.allSatisfy(\.isFinite) else { throw NodeIssue.invalid("value_floats holds a NaN or infinite value") }
            return [.constant(ConstantTensor(shape: [values.count], values: values))]
        }
        if node.attribute("value_int") != nil {
            return [.constant(ConstantTensor(shape: [], values: [Double(try node.int("value_int", default: 0))], isInteger: true))]
        }
        if let ints = try node.ints("value_ints") {
            return [.constant(ConstantTensor(shape: [ints.count], values: ints.map(Double.init), isInteger: true))]
        }
        let names = node.proto.attribute.map(\.name)
        if names.contains(where: { $0.hasPrefix("sparse") || $0.hasPrefix("value_string") }) {
            throw NodeIssue.unsupported("attribute \(names.joined(separator: ", ")): only numeric dense constants are supported")
        }
        throw NodeIssue.invalid("has no value attribute")
    }
}
