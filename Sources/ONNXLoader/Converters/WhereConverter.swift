import NNGraph

/// ONNX `Where(condition, a, b)`: `a` where the condition holds, else `b`, all three broadcast
/// together. The condition must be a constant (a computed one is refused: the result would not be a
/// continuous function of the input).
///
/// - All constant: evaluated at load time.
/// - One computed branch of the output's size, the other constant (masked fill): an elementwise affine
///   map `mask ⊙ x + (1 − mask) ⊙ c`, folded into the producer when possible.
/// - Otherwise: an exact ``Selection`` from the ``Concatenation`` of both branches (or from one branch
///   when the condition picks only from it).
struct WhereConverter: OperatorConverter {
    func convert(_ node: NodeContext, _ graph: inout GraphBuilder) throws -> [Operand] {
        try node.expectInputs(3, 3)
        let a = try node.input(1), b = try node.input(2)
        guard let condition = try node.input(0).constant else {
            throw NodeIssue.unsupported("a computed condition (input #1, '\(node.proto.input[0])'): "
                + "Where is only supported with a condition known at load time")
        }
        guard let shape = ShapeMath.broadcast(condition.shape, a.shape).flatMap({ ShapeMath.broadcast($0, b.shape) }) else {
            throw NodeIssue.shapeMismatch("cannot broadcast \(ShapeMath.format(condition.shape)), \(ShapeMath.format(a.shape)) "
                + "and \(ShapeMath.format(b.shape))")
        }
        let count = try ShapeMath.elementCount(shape, what: "Where output")
        let ic = ShapeMath.broadcastSourceIndices(from: condition.shape, to: shape)
        let mask = ic.map { condition.values[$0] != 0 }
        let ia = ShapeMath.broadcastSourceIndices(from: a.shape, to: shape)
        let ib = ShapeMath.broadcastSourceIndices(from: b.shape, to: shape)
        if mask.allSatisfy({ $0 }) { return [Rearrangement.gather(a, indices: ia, shape: shape, name: node.name, graph: &graph)] }
        if !mask.contains(true) { return [Rearrangement.gather(b, indices: ib, shape: shape, name: node.name, graph: &graph)] }
        switch (a, b) {
        case (.constant(let ta), .constant(let tb)):
            let values = (0..<count).map { mask[$0] ? ta.values[ia[$0]] : tb.values[ib[$0]] }
            return [.constant(ConstantTensor(shape: shape, values: values, isInteger: ta.isInteger && tb.isInteger))]
        case (.computed(let x, let xShape), .constant(let c)) where xShape.reduce(1, *) == count:
            return [graph.elementwiseAffine(x, scale: mask.map { $0 ? 1 : 0 },
                                            shift: (0..<count).map { mask[$0] ? 0 : c.values[ib[$0]] }, shape: shape, name: node.name)]
        case (.constant(let c), .computed(let x, let xShape)) where xShape.reduce(1, *) == count:
            return [graph.elementwiseAffine(x, scale: mask.map { $0 ? 0 : 1 },
                                            shift: (0..<count).map { mask[$0] ? c.values[ia[$0]] : 0 }, shape: shape, name: node.name)]
        default:
            // y_j = (a ++ b)[mask_j ? ia_j : |a| + ib_j].
            let sizeA = a.shape.reduce(1, *), sizeB = b.shape.reduce(1, *)
            var parts = [Concatenation.Part](), inputs = [ValueID]()
            for (operand, size) in [(a, sizeA), (b, sizeB)] {
                switch operand {
                case .constant(let t): parts.append(.constant(blockSize: size, values: t.values))
                case .computed(let v, _):
                    parts.append(.input(blockSize: size))
                    inputs.append(v)
                }
            }
            let both = graph.append(Concatenation(outer: 1, parts: parts), inputs: inputs, shape: [sizeA + sizeB],
                                    name: node.name + "/branches")
            let indices = (0..<count).map { mask[$0] ? ia[$0] : sizeA + ib[$0] }
            return [Rearrangement.gather(both, indices: indices, shape: shape, name: node.name, graph: &graph)]
        }
    }
}
