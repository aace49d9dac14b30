import NNGraph

/// ONNX `CumSum(x, axis)` (`torch.cumsum`) with a constant axis: the running sum along one axis,
/// `exclusive` (leave out the element itself) and `reverse` (sum from the end) as attributes. A linear
/// map: evaluated on constants, a ``SparseLinear`` (or ``Affine`` when small) on computed tensors.
struct CumSumConverter: OperatorConverter {
    func convert(_ node: NodeContext, _ graph: inout GraphBuilder) throws -> [Operand] {
        try node.expectInputs(2, 2)
        let x = try node.input(0)
        let shape = x.shape
        guard !shape.isEmpty else { throw NodeIssue.invalid("input is a scalar; CumSum needs an axis") }
        let axisTensor = try node.constantInput(1, role: "the axis")
        guard axisTensor.values.count == 1 else {
            throw NodeIssue.invalid("the axis has \(axisTensor.values.count) elements; expected one")
        }
        let axis = try node.normalisedAxis(try axisTensor.integers()[0], rank: shape.count, inclusiveUpper: false)
        let exclusive = try node.int("exclusive", default: 0) != 0
        let reverse = try node.int("reverse", default: 0) != 0
        let count = try ShapeMath.elementCount(shape, what: "CumSum input")
        let length = shape[axis], step = Rearrangement.strides(shape)[axis]
        _ = try ShapeMath.elementCount([count, length], what: "CumSum map entries")
        var rows = [[(Int, Double)]]()
        rows.reserveCapacity(count)
        for j in 0..<count {
            let position = (j / step) % length, base = j - position * step
            let range = reverse ? (exclusive ? position + 1 : position)..<length : 0..<(exclusive ? position : position + 1)
            rows.append(range.map { (base + $0 * step, 1.0) })
        }
        return [graph.apply(SparseLinear(inputSize: count, rows: rows), to: x, shape: shape, name: node.name, preferDense: true)]
    }
}
