/// ONNX `Squeeze`: removes the listed axes (all of size 1), or every axis of size 1 when none are
/// given. `axes` is an attribute before opset 13 and a constant input from 13. No IR node: data order
/// is unchanged.
struct SqueezeConverter: OperatorConverter {
    func convert(_ node: NodeContext, _ graph: inout GraphBuilder) throws -> [Operand] {
        try node.expectInputs(1, 2)
        let x = try node.input(0)
        let shape = x.shape
        guard let axes = try OpsetForms.axes(node) else { return [graph.alias(x, shape: shape.filter { $0 != 1 })] }
        let removed = try axes.map { a throws(NodeIssue) in try node.normalisedAxis(a, rank: shape.count, inclusiveUpper: false) }
        guard Set(removed).count == removed.count else { throw NodeIssue.invalid("axes \(axes) repeat an axis") }
        for a in removed where shape[a] != 1 {
            throw NodeIssue.shapeMismatch("cannot squeeze axis \(a) of \(ShapeMath.format(shape)): its length is \(shape[a]), not 1")
        }
        let kept = shape.indices.filter { !removed.contains($0) }.map { shape[$0] }
        return [graph.alias(x, shape: kept)]
    }
}

/// ONNX `Unsqueeze`: inserts axes of length 1 at the listed positions of the output (negative ones
/// counting from the end of the output). `axes` is an attribute before opset 13 and a constant input
/// from 13. No IR node: data order is unchanged.
struct UnsqueezeConverter: OperatorConverter {
    func convert(_ node: NodeContext, _ graph: inout GraphBuilder) throws -> [Operand] {
        try node.expectInputs(1, 2)
        let x = try node.input(0)
        guard let axes = try OpsetForms.axes(node) else { throw NodeIssue.invalid("has no axes") }
        let rank = x.shape.count + axes.count
        let inserted = try axes.map { a throws(NodeIssue) in try node.normalisedAxis(a, rank: rank, inclusiveUpper: false) }
        guard Set(inserted).count == inserted.count else { throw NodeIssue.invalid("axes \(axes) repeat an axis") }
        var remaining = x.shape[...]
        let shape = (0..<rank).map { inserted.contains($0) ? 1 : remaining.removeFirst() }
        return [graph.alias(x, shape: shape)]
    }
}
