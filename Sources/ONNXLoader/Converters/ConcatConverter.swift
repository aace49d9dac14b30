import NNGraph

/// ONNX `Concat(axis)` of one or more tensors whose shapes agree except along `axis` (negative axes count
/// from the end). Computed and constant inputs may be mixed: one ``Concatenation`` node whose inputs are
/// the computed tensors, the non-empty constants built in. All-constant inputs (integer shape tensors
/// included: the result is integer when every input is) are concatenated at load time; a single
/// computed input is passed through without a node.
struct ConcatConverter: OperatorConverter {
    func convert(_ node: NodeContext, _ graph: inout GraphBuilder) throws -> [Operand] {
        guard !node.inputs.isEmpty else { throw NodeIssue.invalid("has no inputs") }
        let operands = try node.inputs.indices.map { i throws(NodeIssue) in try node.input(i) }
        let rank = operands[0].shape.count
        guard rank >= 1 else { throw NodeIssue.shapeMismatch("cannot concatenate scalars") }
        guard node.attribute("axis") != nil || node.opset < 4 else { throw NodeIssue.invalid("attribute 'axis' is required") }
        let axis = try node.normalisedAxis(try node.int("axis", default: 1), rank: rank, inclusiveUpper: false)
        var shape = operands[0].shape
        shape[axis] = 0
        for operand in operands {
            let s = operand.shape
            guard s.count == rank, (0..<rank).allSatisfy({ $0 == axis || s[$0] == operands[0].shape[$0] }) else {
                throw NodeIssue.shapeMismatch("cannot concatenate \(operands.map { ShapeMath.format($0.shape) }.joined(separator: ", ")) "
                    + "along axis \(axis): the other dimensions differ")
            }
            shape[axis] += s[axis]
        }
        _ = try ShapeMath.elementCount(shape, what: "Concat output")
        let outer = shape[..<axis].reduce(1, *), inner = shape[(axis + 1)...].reduce(1, *)
        let constants = operands.compactMap(\.constant)
        if constants.count == operands.count {
            // Evaluated here (the IR operator needs outer >= 1; shape tensors may be empty).
            var values = [Double]()
            values.reserveCapacity(outer * shape[axis] * inner)
            for o in 0..<outer {
                for t in constants {
                    let size = t.shape[axis] * inner
                    values.append(contentsOf: t.values[(o * size)..<((o + 1) * size)])
                }
            }
            return [.constant(ConstantTensor(shape: shape, values: values, isInteger: constants.allSatisfy(\.isInteger)))]
        }
        var parts = [Concatenation.Part](), inputs = [ValueID]()
        for operand in operands {
            let size = operand.shape[axis] * inner
            switch operand {
            case .constant(let t): if size > 0 { parts.append(.constant(blockSize: size, values: t.values)) }
            case .computed(let v, _):
                parts.append(.input(blockSize: size))
                inputs.append(v)
            }
        }
        if operands.count == 1 { return [graph.alias(operands[0], shape: shape)] }
        return [graph.append(Concatenation(outer: outer, parts: parts), inputs: inputs, shape: shape, name: node.name)]
    }
}
