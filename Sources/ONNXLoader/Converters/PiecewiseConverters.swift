import NNGraph

/// ONNX `Clip`: bounds as attributes `min`/`max` before opset 11, as optional scalar inputs from opset 11.
/// A bound at or beyond float32's largest magnitude (the attributes' defaults) counts as absent; with
/// neither bound the node is the identity. Bounds given by computed tensors are refused.
struct ClipConverter: OperatorConverter {
    func convert(_ node: NodeContext, _ graph: inout GraphBuilder) throws -> [Operand] {
        var lower: Double?, upper: Double?
        if node.opset < 11 {
            try node.expectInputs(1, 1)
            lower = try node.float("min", default: -.infinity)
            upper = try node.float("max", default: .infinity)
        } else {
            try node.expectInputs(1, 3)
            lower = try scalar(node, 1, role: "the lower bound 'min'")
            upper = try scalar(node, 2, role: "the upper bound 'max'")
        }
        let largest = Double(Float.greatestFiniteMagnitude)
        if let l = lower, l <= -largest { lower = nil }
        if let u = upper, u >= largest { upper = nil }
        let x = try node.input(0)
        guard lower != nil || upper != nil else { return [graph.alias(x, shape: x.shape)] }
        switch x {
        case .constant(let t):
            let clip = Clip(size: t.values.count, lower: lower, upper: upper)
            return [.constant(ConstantTensor(shape: t.shape, values: t.values.map(clip.value)))]
        case .computed(let v, let shape):
            return [graph.append(Clip(size: shape.reduce(1, *), lower: lower, upper: upper), inputs: [v], shape: shape, name: node.name)]
        }
    }

    private func scalar(_ node: NodeContext, _ index: Int, role: String) throws(NodeIssue) -> Double? {
        guard let operand = node.optionalInput(index) else { return nil }
        guard let t = operand.constant else { throw NodeIssue.unsupported("\(role) (input #\(index + 1)) must be a constant") }
        guard t.values.count == 1 else { throw NodeIssue.invalid("\(role) must be a scalar, got shape \(ShapeMath.format(t.shape))") }
        guard !t.values[0].isNaN else { throw NodeIssue.invalid("\(role) is NaN") }
        return t.values[0]
    }
}

/// ONNX `HardSigmoid`, `max(0, min(1, α·x + β))` (α = 0.2, β = 0.5 by default): the exact affine map
/// `α·x + β` (whose rounding bound propagation accounts for) followed by ``Clip`` to [0, 1], whose
/// breakpoints are then exact.
struct HardSigmoidConverter: OperatorConverter {
    func convert(_ node: NodeContext, _ graph: inout GraphBuilder) throws -> [Operand] {
        try node.expectInputs(1, 1)
        let alpha = try node.float("alpha", default: 0.2), beta = try node.float("beta", default: 0.5)
        switch try node.input(0) {
        case .constant(let t):
            return [.constant(ConstantTensor(shape: t.shape, values: t.values.map { max(0, min(1, alpha * $0 + beta)) }))]
        case .computed(let x, let shape):
            let n = shape.reduce(1, *)
            guard case .computed(let z, _) = graph.elementwiseAffine(x, scale: [Double](repeating: alpha, count: n),
                                                                      shift: [Double](repeating: beta, count: n),
                                                                      shape: shape, name: node.name + "/affine") else {
                throw NodeIssue.invalid("internal: affine map of a computed value folded to a constant")
            }
            return [graph.append(Clip(size: n, lower: 0, upper: 1), inputs: [z], shape: shape, name: node.name)]
        }
    }
}

/// ONNX `PRelu`, `x` for `x >= 0` and `slope·x` below, with a constant slope tensor broadcast to `x`
/// (unidirectionally). One slope for every element is ``LeakyReLU``; per-channel slopes become the
/// identity `prelu(x) = slope ⊙ x + (1 − slope) ⊙ relu(x)` (a ReLU and linear maps, whose relaxation is
/// the hull's), which is exact when every `1 − slope` is (true for float32 slopes above 2⁻²⁹ in
/// magnitude); otherwise `relu(x) − slope ⊙ relu(−x)`, exact for any slope.
struct PReluConverter: OperatorConverter {
    func convert(_ node: NodeContext, _ graph: inout GraphBuilder) throws -> [Operand] {
        try node.expectInputs(2, 2)
        let x = try node.input(0)
        let slopeTensor = try node.constantInput(1, role: "the slope")
        guard let shape = ShapeMath.broadcast(x.shape, slopeTensor.shape), shape == x.shape else {
            throw NodeIssue.shapeMismatch("slope \(ShapeMath.format(slopeTensor.shape)) does not broadcast to the input "
                + ShapeMath.format(x.shape))
        }
        let slope = ShapeMath.broadcastSourceIndices(from: slopeTensor.shape, to: shape).map { slopeTensor.values[$0] }
        guard slope.allSatisfy(\.isFinite) else { throw NodeIssue.invalid("the slope has a non-finite value") }
        switch x {
        case .constant(let t):
            return [.constant(ConstantTensor(shape: t.shape, values: zip(t.values, slope).map { $0 >= 0 ? $0 : $1 * $0 }))]
        case .computed(let v, _):
            let n = slope.count
            if let first = slope.first, slope.allSatisfy({ $0 == first }) {
                return [graph.append(LeakyReLU(size: n, alpha: first), inputs: [v], shape: shape, name: node.name)]
            }
            let complement = slope.map { 1 - $0 }
            guard zip(slope, complement).allSatisfy({ $0 + $1 == 1 && 1 - $1 == $0 }) else {
                return [try twoSided(v, slope: slope, shape: shape, node: node, graph: &graph)]
            }
            // `v` is read twice: an extra pending use keeps the affine map from being folded into its producer.
            graph.addUses(v, 1)
            guard case .computed(let scaled, _) = graph.elementwiseAffine(v, scale: slope, shift: [Double](repeating: 0, count: n),
                                                                          shape: shape, name: node.name + "/negative") else {
                throw NodeIssue.invalid("internal: affine map of a computed value folded to a constant")
            }
            graph.consume(v)
            guard case .computed(let r, _) = graph.append(ReLU(size: n), inputs: [v], shape: shape, name: node.name + "/relu"),
                  case .computed(let rest, _) = graph.elementwiseAffine(r, scale: complement,
                                                                        shift: [Double](repeating: 0, count: n),
                                                                        shape: shape, name: node.name + "/positive") else {
                throw NodeIssue.invalid("internal: computed value expected")
            }
            return [graph.append(LinearCombination(weights: [1, 1], size: n), inputs: [scaled, rest], shape: shape, name: node.name)]
        }
    }

    /// `relu(x) − slope ⊙ relu(−x)`.
    private func twoSided(_ v: ValueID, slope: [Double], shape: [Int], node: NodeContext, graph: inout GraphBuilder) throws -> Operand {
        let n = slope.count, zero = [Double](repeating: 0, count: n)
        graph.addUses(v, 1)
        guard case .computed(let negated, _) = graph.elementwiseAffine(v, scale: [Double](repeating: -1, count: n), shift: zero,
                                                                       shape: shape, name: node.name + "/negated") else {
            throw NodeIssue.invalid("internal: computed value expected")
        }
        graph.consume(v)
        guard case .computed(let positive, _) = graph.append(ReLU(size: n), inputs: [v], shape: shape, name: node.name + "/relu"),
              case .computed(let below, _) = graph.append(ReLU(size: n), inputs: [negated], shape: shape, name: node.name + "/below"),
              case .computed(let scaled, _) = graph.elementwiseAffine(below, scale: slope.map { -$0 }, shift: zero, shape: shape,
                                                                      name: node.name + "/negative") else {
            throw NodeIssue.invalid("internal: computed value expected")
        }
        return graph.append(LinearCombination(weights: [1, 1], size: n), inputs: [positive, scaled], shape: shape, name: node.name)
    }
}
