import NNGraph

/// ONNX `Sum` and `Mean` of one or more tensors with numpy broadcasting (opset 8+; older opsets need equal
/// shapes, a special case). The constant operands are added up at load time into one shift; the computed
/// ones are broadcast to the output shape (a ``Selection`` where broadcasting copies elements) and combined
/// by a ``LinearCombination`` with weight 1 (Sum) or `1/count` (Mean); the shift (divided by the count for
/// Mean) follows as an elementwise affine map. A single computed operand becomes one elementwise affine
/// map; all-constant operands are evaluated at load time.
struct SumConverter: OperatorConverter {
    /// True for Mean.
    let mean: Bool

    func convert(_ node: NodeContext, _ graph: inout GraphBuilder) throws -> [Operand] {
        guard !node.inputs.isEmpty else { throw NodeIssue.invalid("has no inputs") }
        let operands = try node.inputs.indices.map { i throws(NodeIssue) in try node.input(i) }
        var shape = operands[0].shape
        for operand in operands.dropFirst() {
            guard let s = ShapeMath.broadcast(shape, operand.shape) else {
                throw NodeIssue.shapeMismatch("cannot broadcast " + operands.map { ShapeMath.format($0.shape) }.joined(separator: ", "))
            }
            shape = s
        }
        let count = try ShapeMath.elementCount(shape, what: "result")
        let weight = mean ? 1 / Double(operands.count) : 1
        var shift = [Double](repeating: 0, count: count)
        var computed = [(ValueID, [Int])]()
        var integer = true
        for operand in operands {
            switch operand {
            case .constant(let t):
                integer = integer && t.isInteger
                let index = ShapeMath.broadcastSourceIndices(from: t.shape, to: shape)
                for i in 0..<count { shift[i] += t.values[index[i]] }
            case .computed(let v, let s):
                computed.append((v, s))
            }
        }
        for i in 0..<count { shift[i] *= weight }
        guard !computed.isEmpty else {
            if integer && mean { shift = shift.map { $0.rounded(.towardZero) } }
            return [.constant(ConstantTensor(shape: shape, values: shift, isInteger: integer))]
        }
        let values = computed.map { graph.broadcast($0.0, from: $0.1, to: shape, name: node.name) }
        let scale = [Double](repeating: computed.count == 1 ? weight : 1, count: count)
        let base: ValueID
        if values.count == 1 {
            base = values[0]
        } else {
            let op = LinearCombination(weights: [Double](repeating: weight, count: values.count), size: count)
            guard case .computed(let v, _) = graph.append(op, inputs: values, shape: shape, name: node.name) else { return [] }
            base = v
        }
        return [graph.elementwiseAffine(base, scale: scale, shift: shift, shape: shape, name: node.name)]
    }
}
