/// ONNX `ScatterND(data, indices, updates)` evaluated at load time on constants: a copy of `data` where
/// the slices addressed by the last axis of `indices` (negative indices count from the end) are
/// replaced by (`reduction` "none"), added to ("add"), multiplied by ("mul") or combined with ("max",
/// "min") the slices of `updates`. Computed operands are refused.
struct ScatterNDConverter: OperatorConverter {
    func convert(_ node: NodeContext, _ graph: inout GraphBuilder) throws -> [Operand] {
        _ = try node.foldableInputs(3, 3)
        let data = try node.folded(0), indices = try node.folded(1), updates = try node.folded(2)
        let reduction = try node.string("reduction", default: "none")
        guard ["none", "add", "mul", "max", "min"].contains(reduction) else {
            throw NodeIssue.invalid("attribute 'reduction' is '\(reduction)'; expected none, add, mul, max or min")
        }
        guard let k = indices.shape.last, k <= data.shape.count else {
            throw NodeIssue.shapeMismatch("indices \(ShapeMath.format(indices.shape)) do not address \(ShapeMath.format(data.shape))")
        }
        let sliceShape = Array(data.shape[k...])
        let expected = Array(indices.shape.dropLast()) + sliceShape
        guard updates.shape == expected else {
            throw NodeIssue.shapeMismatch("updates \(ShapeMath.format(updates.shape)) should have shape \(ShapeMath.format(expected))")
        }
        let sliceSize = sliceShape.reduce(1, *)
        let strides = Rearrangement.strides(data.shape)
        let tuples = try indices.integers()
        var values = data.values
        for t in 0..<indices.shape.dropLast().reduce(1, *) {
            var offset = 0
            for axis in 0..<k {
                let i = tuples[t * k + axis], length = data.shape[axis]
                guard i >= -length && i < length else {
                    throw NodeIssue.invalid("index \(i) is out of range for axis \(axis) of length \(length) of the data")
                }
                offset += (i < 0 ? i + length : i) * strides[axis]
            }
            for e in 0..<sliceSize {
                let u = updates.values[t * sliceSize + e]
                switch reduction {
                case "add": values[offset + e] += u
                case "mul": values[offset + e] *= u
                case "max": values[offset + e] = max(values[offset + e], u)
                case "min": values[offset + e] = min(values[offset + e], u)
                default: values[offset + e] = u
                }
            }
        }
        try ConstantFolding.checkFinite(values)
        return [.constant(ConstantTensor(shape: data.shape, values: values, isInteger: data.isInteger))]
    }
}
