import NNGraph

/// ONNX `ReduceSum` and `ReduceMean`: each output element is the sum (mean) of the input elements that
/// agree with it outside the reduced axes — an exact linear map, an ``Affine`` when small (so that a
/// following constant Add or Mul folds into it) or a ``SparseLinear``; evaluated at load time on constants.
///
/// The axes are the attribute `axes` (ReduceSum before opset 13, ReduceMean before 18) or the optional
/// constant input #2 (from those opsets; either form is accepted at any opset). Without axes every axis
/// is reduced, unless `noop_with_empty_axes` is 1, which makes the node the identity. `keepdims`
/// (default 1) keeps the reduced axes with length 1.
struct ReduceConverter: OperatorConverter {
    /// True for ReduceMean.
    let mean: Bool

    func convert(_ node: NodeContext, _ graph: inout GraphBuilder) throws -> [Operand] {
        try node.expectInputs(1, 2)
        let x = try node.input(0)
        let rank = x.shape.count
        var given: [Int]? = try node.ints("axes")
        if node.optionalInput(1) != nil {
            guard given == nil else { throw NodeIssue.invalid("has axes both as an attribute and as an input") }
            given = try node.constantInput(1, role: "the axes").integers()
        }
        let keepDims = try node.int("keepdims", default: 1) != 0
        if given?.isEmpty ?? true {
            if try node.int("noop_with_empty_axes", default: 0) != 0 { return [graph.alias(x, shape: x.shape)] }
            given = Array(0..<rank)
        }
        let axes = Set(try given!.map { a throws(NodeIssue) in try node.normalisedAxis(a, rank: rank, inclusiveUpper: false) })
        guard axes.count == given!.count else { throw NodeIssue.invalid("axes \(given!) repeat an axis") }

        let kept = (0..<rank).map { axes.contains($0) ? 1 : x.shape[$0] }
        let shape = keepDims ? kept : (0..<rank).filter { !axes.contains($0) }.map { x.shape[$0] }
        let count = kept.reduce(1, *), inputCount = x.shape.reduce(1, *)
        let n = inputCount / max(count, 1)
        let target = ShapeMath.broadcastSourceIndices(from: kept, to: x.shape)  // output element of each input
        var rows = [[(Int, Double)]](repeating: [], count: count)
        let weight = mean ? 1 / Double(n) : 1
        for i in 0..<inputCount { rows[target[i]].append((i, weight)) }
        let map = SparseLinear(inputSize: inputCount, rows: rows)
        return [graph.apply(map, to: x, shape: shape, name: node.name, preferDense: true)]
    }
}

/// ONNX `Neg`: `−x`, an elementwise affine map (folded into the producing Affine when possible).
struct NegConverter: OperatorConverter {
    func convert(_ node: NodeContext, _ graph: inout GraphBuilder) throws -> [Operand] {
        try node.expectInputs(1, 1)
        switch try node.input(0) {
        case .constant(let t):
            return [.constant(ConstantTensor(shape: t.shape, values: t.values.map { -$0 }, isInteger: t.isInteger))]
        case .computed(let v, let shape):
            let n = shape.reduce(1, *)
            return [graph.elementwiseAffine(v, scale: [Double](repeating: -1, count: n), shift: [Double](repeating: 0, count: n),
                                            shape: shape, name: node.name)]
        }
    }
}

/// ONNX `Cast`. A computed tensor cast to a floating-point type (float, double, float16, bfloat16) is
/// the same tensor (an alias; the verifier reasons in real arithmetic). A constant is converted: to
/// integer types by truncation toward zero, to bool as `x ≠ 0`, to float types by rounding to float32
/// (float16, bfloat16: float32 as well, a documented approximation). Other casts of computed tensors
/// (to integers or bool) are not linear and are refused.
struct CastConverter: OperatorConverter {
    static let floatTypes: Set<Int> = [1, 10, 11, 16]
    static let integerTypes: Set<Int> = [2, 3, 4, 5, 6, 7, 12, 13]

    func convert(_ node: NodeContext, _ graph: inout GraphBuilder) throws -> [Operand] {
        try node.expectInputs(1, 1)
        guard node.attribute("to") != nil else { throw NodeIssue.invalid("attribute 'to' is required") }
        let to = try node.int("to", default: 0)
        let x = try node.input(0)
        switch x {
        case .computed:
            guard Self.floatTypes.contains(to) else {
                throw NodeIssue.unsupported("casting a computed tensor to \(TensorDecoding.typeName(Int32(clamping: to))); "
                    + "only float, double, float16 and bfloat16 are supported")
            }
            return [graph.alias(x, shape: x.shape)]
        case .constant(let t):
            if Self.floatTypes.contains(to) {
                let values = to == 11 ? t.values : t.values.map { Double(Float($0)) }
                return [.constant(ConstantTensor(shape: t.shape, values: values))]
            }
            if Self.integerTypes.contains(to) {
                return [.constant(ConstantTensor(shape: t.shape, values: t.values.map { $0.rounded(.towardZero) }, isInteger: true))]
            }
            if to == 9 {
                return [.constant(ConstantTensor(shape: t.shape, values: t.values.map { $0 != 0 ? 1 : 0 }, isInteger: true))]
            }
            throw NodeIssue.unsupported("casting to \(TensorDecoding.typeName(Int32(clamping: to)))")
        }
    }
}
