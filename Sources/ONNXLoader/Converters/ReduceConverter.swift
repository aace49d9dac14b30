import NNGraph

/// ONNX `ReduceSum`, `ReduceMean`, `ReduceProd`, `ReduceMax`, `ReduceMin` evaluated at load time on a
/// constant. `axes` is an attribute, or an input from opset 13 (ReduceSum) or 18 (the others); see
/// ``OpsetForms/axes(_:inputIndex:)``. No axes (or an empty list) reduces every axis, unless
/// `noop_with_empty_axes` is 1 (then the input is returned); `keepdims` (default 1) keeps reduced axes
/// with length 1. Integer means truncate, as onnxruntime does. On a computed tensor ReduceSum and
/// ReduceMean are exact linear maps (each output element the sum or mean of the input elements that
/// agree with it outside the reduced axes): an ``Affine`` when small, so a following constant Add or Mul
/// folds into it, else a ``SparseLinear``. The others are refused on computed tensors.
struct ReduceConverter: OperatorConverter {
    enum Kind: String, Sendable { case sum = "ReduceSum", mean = "ReduceMean", prod = "ReduceProd", max = "ReduceMax", min = "ReduceMin" }
    let kind: Kind

    func convert(_ node: NodeContext, _ graph: inout GraphBuilder) throws -> [Operand] {
        if (kind == .sum || kind == .mean), case .computed(_, let shape)? = node.optionalInput(0) {
            try node.expectInputs(1, 2)
            let x = try node.input(0)
            guard let (axes, keepDims) = try Self.reduction(node, rank: shape.count) else { return [graph.alias(x, shape: shape)] }
            return [linearReduction(x, shape: shape, axes: axes, keepDims: keepDims, node: node, graph: &graph)]
        }
        _ = try node.foldableInputs(1, 2, reason: "\(kind.rawValue) is only evaluated at load time, on constants "
                                        + "(not supported on computed tensors)")
        let x = try node.folded(0)
        guard let (axes, keepDims) = try Self.reduction(node, rank: x.shape.count) else { return [.constant(x)] }
        return [.constant(try Self.reduce(x, kind, axes: axes, keepDims: keepDims))]
    }

    /// The sum (mean) over `axes` of a computed tensor as a sparse linear map.
    private func linearReduction(_ x: Operand, shape: [Int], axes: Set<Int>, keepDims: Bool, node: NodeContext,
                                 graph: inout GraphBuilder) -> Operand {
        let rank = shape.count
        let kept = (0..<rank).map { axes.contains($0) ? 1 : shape[$0] }
        let outShape = keepDims ? kept : (0..<rank).filter { !axes.contains($0) }.map { shape[$0] }
        let count = kept.reduce(1, *), inputCount = shape.reduce(1, *)
        let n = inputCount / max(count, 1)
        let target = ShapeMath.broadcastSourceIndices(from: kept, to: shape)  // output element of each input
        var rows = [[(Int, Double)]](repeating: [], count: count)
        let weight = kind == .mean ? 1 / Double(n) : 1
        for i in 0..<inputCount { rows[target[i]].append((i, weight)) }
        return graph.apply(SparseLinear(inputSize: inputCount, rows: rows), to: x, shape: outShape, name: node.name, preferDense: true)
    }

    /// The axes to reduce (normalised) and `keepdims` of a Reduce* node on a tensor of rank `rank`, or
    /// nil when the node is the identity (no axes and `noop_with_empty_axes` = 1).
    static func reduction(_ node: NodeContext, rank: Int) throws(NodeIssue) -> (axes: Set<Int>, keepDims: Bool)? {
        let keepDims = try node.int("keepdims", default: 1) != 0
        let given = try OpsetForms.axes(node) ?? []
        let noop = try node.int("noop_with_empty_axes", default: 0) != 0
        if given.isEmpty && noop { return nil }
        let normalised = try given.map { a throws(NodeIssue) in try node.normalisedAxis(a, rank: rank, inclusiveUpper: false) }
        guard Set(normalised).count == normalised.count else { throw NodeIssue.invalid("axes \(given) repeat an axis") }
        return (Set(given.isEmpty ? Array(0..<rank) : normalised), keepDims)
    }

    /// `x` reduced over `axes` (reduced axes kept with length 1 when `keepDims`).
    static func reduce(_ x: ConstantTensor, _ kind: Kind, axes: Set<Int>, keepDims: Bool) throws(NodeIssue) -> ConstantTensor {
        let rank = x.shape.count
        let outShape = x.shape.indices.compactMap { axes.contains($0) ? (keepDims ? 1 : nil) : x.shape[$0] }
        let kept = x.shape.indices.map { axes.contains($0) ? 1 : x.shape[$0] }
        let outStrides = Rearrangement.strides(kept)
        let inStrides = Rearrangement.strides(x.shape)
        let outCount = kept.reduce(1, *)
        let groupSize = axes.reduce(1) { $0 * x.shape[$1] }
        if groupSize == 0 && (kind == .max || kind == .min || kind == .mean) {
            throw NodeIssue.invalid("\(kind.rawValue) over an empty set of elements (shape \(ShapeMath.format(x.shape)))")
        }
        let initial: Double = switch kind {
        case .sum, .mean: 0
        case .prod: 1
        case .max: -.infinity
        case .min: .infinity
        }
        var values = [Double](repeating: initial, count: outCount)
        for (flat, v) in x.values.enumerated() {
            var target = 0
            for axis in 0..<rank where !axes.contains(axis) { target += (flat / inStrides[axis] % x.shape[axis]) * outStrides[axis] }
            switch kind {
            case .sum, .mean: values[target] += v
            case .prod: values[target] *= v
            case .max: values[target] = Swift.max(values[target], v)
            case .min: values[target] = Swift.min(values[target], v)
            }
        }
        if kind == .mean {
            values = values.map { x.isInteger ? ($0 / Double(groupSize)).rounded(.towardZero) : $0 / Double(groupSize) }
        }
        try ConstantFolding.checkFinite(values)
        return ConstantTensor(shape: outShape, values: values, isInteger: x.isInteger)
    }
}
