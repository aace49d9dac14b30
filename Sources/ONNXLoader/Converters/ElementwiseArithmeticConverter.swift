import LinearAlgebra
import NNGraph

/// ONNX `Add`, `Sub`, `Mul`, `Div` with numpy broadcasting.
///
/// - Both operands constant: evaluated at load time (integer `Div` truncates, as ONNX does).
/// - One operand constant `c`, the other computed `x`: an elementwise affine map `scale ⊙ x + shift`
///   (`x + c`, `c + x`, `x - c`, `c - x`, `x * c`, `c * x`, `x / c`), folded into the producing Affine or
///   ElementwiseAffine node when possible. When broadcasting enlarges `x`, the map becomes an Affine
///   whose rows pick the broadcast element (large ones: a Selection copying the broadcast elements, then
///   the elementwise map). `c / x` is refused (not linear), as is division by zero.
/// - Both computed: `x + y` and `x - y` become a LinearCombination, `x * y` a ``Product`` (bilinear,
///   relaxed by McCormick planes) and `x / y` the product with ``Reciprocal`` of `y`, after a Selection
///   broadcasting an operand whose element count is smaller than the result's.
struct ElementwiseArithmeticConverter: OperatorConverter {
    enum Operation: String, Sendable { case add = "Add", sub = "Sub", mul = "Mul", div = "Div" }
    let operation: Operation

    func convert(_ node: NodeContext, _ graph: inout GraphBuilder) throws -> [Operand] {
        try node.expectInputs(2, 2)
        // Before opset 7, `broadcast = 1` without `axis` aligned shapes on the right, as numpy does;
        // an explicit `axis` aligned them elsewhere, which is not supported.
        if node.attribute("axis") != nil {
            throw NodeIssue.unsupported("the legacy 'axis' broadcasting attribute (opset < 7)")
        }
        let a = try node.input(0), b = try node.input(1)
        guard let shape = ShapeMath.broadcast(a.shape, b.shape) else {
            throw NodeIssue.shapeMismatch("cannot broadcast \(ShapeMath.format(a.shape)) and \(ShapeMath.format(b.shape))")
        }
        let count = try ShapeMath.elementCount(shape, what: "result")
        switch (a, b) {
        case (.constant(let ca), .constant(let cb)):
            return [.constant(try fold(ca, cb, shape: shape))]
        case (.computed(let x, let xShape), .constant(let c)):
            return [try linearMap(x, xShape: xShape, c, constantFirst: false, shape: shape, node: node, graph: &graph)]
        case (.constant(let c), .computed(let x, let xShape)):
            return [try linearMap(x, xShape: xShape, c, constantFirst: true, shape: shape, node: node, graph: &graph)]
        case (.computed(let x, let xShape), .computed(let y, let yShape)):
            // Broadcasting copies elements of the smaller operand(s) first (a Selection each).
            let bx = graph.broadcast(x, from: xShape, to: shape, name: node.name)
            var by = graph.broadcast(y, from: yShape, to: shape, name: node.name)
            if operation == .div {
                // x / y = x · (1/y): the reciprocal's bounds are infinite where y's interval reaches 0.
                guard case .computed(let r, _) = graph.append(Reciprocal(size: count), inputs: [by], shape: shape,
                                                              name: node.name + "/reciprocal") else {
                    throw NodeIssue.invalid("internal: computed value expected")
                }
                by = r
            }
            if operation == .mul || operation == .div {
                return [graph.product(bx, by, count: count, shape: shape, name: node.name)]
            }
            let op = LinearCombination(weights: [1, operation == .add ? 1 : -1], size: count)
            return [graph.append(op, inputs: [bx, by], shape: shape, name: node.name)]
        }
    }

    private func fold(_ a: ConstantTensor, _ b: ConstantTensor, shape: [Int]) throws(NodeIssue) -> ConstantTensor {
        let ia = ShapeMath.broadcastSourceIndices(from: a.shape, to: shape)
        let ib = ShapeMath.broadcastSourceIndices(from: b.shape, to: shape)
        let integer = a.isInteger && b.isInteger
        var values = [Double](repeating: 0, count: ia.count)
        for i in 0..<ia.count {
            let x = a.values[ia[i]], y = b.values[ib[i]]
            switch operation {
            case .add: values[i] = x + y
            case .sub: values[i] = x - y
            case .mul: values[i] = x * y
            case .div:
                guard y != 0 else { throw NodeIssue.invalid("division by zero while folding constants (element \(i))") }
                values[i] = integer ? (x / y).rounded(.towardZero) : x / y
            }
            guard values[i].isFinite else {
                throw NodeIssue.invalid("folding constants gives the non-finite value \(values[i]) at element \(i)")
            }
        }
        return ConstantTensor(shape: shape, values: values, isInteger: integer)
    }

    /// `x op c` or `c op x` as an elementwise affine map (or an Affine when broadcasting enlarges `x`).
    private func linearMap(_ x: ValueID, xShape: [Int], _ c: ConstantTensor, constantFirst: Bool, shape: [Int],
                           node: NodeContext, graph: inout GraphBuilder) throws(NodeIssue) -> Operand {
        let ic = ShapeMath.broadcastSourceIndices(from: c.shape, to: shape)
        let count = ic.count
        var scale = [Double](repeating: 1, count: count)
        var shift = [Double](repeating: 0, count: count)
        for i in 0..<count {
            let v = c.values[ic[i]]
            switch operation {
            case .add: shift[i] = v
            case .sub:
                if constantFirst { scale[i] = -1; shift[i] = v } else { shift[i] = -v }
            case .mul: scale[i] = v
            case .div:
                guard !constantFirst else {
                    throw NodeIssue.unsupported("division of a constant by a computed tensor (c / x) is not linear")
                }
                guard v != 0 else {
                    throw NodeIssue.invalid("division by zero: the constant divisor '\(node.proto.input[1])' is 0 at element \(ic[i])")
                }
                scale[i] = 1 / v
            }
            guard scale[i].isFinite && shift[i].isFinite else {
                throw NodeIssue.invalid("the constant operand gives the non-finite coefficient \(scale[i]) at element \(i)")
            }
        }
        let xCount = xShape.reduce(1, *)
        if xCount == count {
            // Broadcasting did not replicate x: same flat order.
            return graph.elementwiseAffine(x, scale: scale, shift: shift, shape: shape, name: node.name)
        }
        if count * xCount > SparseMaps.denseLimit {
            // Too large for a dense matrix: copy the broadcast elements, then the elementwise map.
            let bx = graph.broadcast(x, from: xShape, to: shape, name: node.name)
            return graph.elementwiseAffine(bx, scale: scale, shift: shift, shape: shape, name: node.name)
        }
        let ix = ShapeMath.broadcastSourceIndices(from: xShape, to: shape)
        var weight = Matrix(rows: count, cols: xCount)
        for i in 0..<count { weight[i, ix[i]] = scale[i] }
        return graph.affine(x, weight: weight, bias: shift, shape: shape, name: node.name)
    }
}
