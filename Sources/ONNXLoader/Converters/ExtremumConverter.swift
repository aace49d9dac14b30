import NNGraph

/// ONNX `Max` and `Min` of one or more tensors with numpy broadcasting, written exactly with ReLUs
/// and linear maps:
/// - constants are combined at load time;
/// - two computed tensors: `max(a, b) = a + relu(b − a)`, `min(a, b) = a − relu(a − b)`, pairwise;
/// - a computed tensor and a constant `c`: ``Clip`` with one bound when `c` is one value for every
///   element, else `max(x, c) = c + relu(x − c)`, `min(x, c) = c − relu(c − x)` elementwise.
struct ExtremumConverter: OperatorConverter {
    let isMaximum: Bool

    func convert(_ node: NodeContext, _ graph: inout GraphBuilder) throws -> [Operand] {
        guard !node.inputs.isEmpty else { throw NodeIssue.invalid("has no inputs") }
        let operands = try node.inputs.indices.map { try node.input($0) }
        var shape = operands[0].shape
        for o in operands.dropFirst() {
            guard let s = ShapeMath.broadcast(shape, o.shape) else {
                throw NodeIssue.shapeMismatch("cannot broadcast \(ShapeMath.format(shape)) and \(ShapeMath.format(o.shape))")
            }
            shape = s
        }
        let n = try ShapeMath.elementCount(shape, what: "result")
        let pick: (Double, Double) -> Double = isMaximum ? { max($0, $1) } : { min($0, $1) }
        // All constants folded into one (broadcast to the result's shape).
        var constant: [Double]?
        for case .constant(let t) in operands {
            let values = ShapeMath.broadcastSourceIndices(from: t.shape, to: shape).map { t.values[$0] }
            constant = constant.map { zip($0, values).map(pick) } ?? values
        }
        let computed: [ValueID] = operands.compactMap {
            guard case .computed(let v, let s) = $0 else { return nil }
            return graph.broadcast(v, from: s, to: shape, name: node.name)
        }
        guard var current = computed.first else {
            return [.constant(ConstantTensor(shape: shape, values: constant ?? []))]
        }
        let sign: Double = isMaximum ? 1 : -1
        for (k, other) in computed.dropFirst().enumerated() {
            // max: a + relu(b − a); min: a − relu(a − b) = a + (−1)·relu(−(b − a)).
            let gap = try value(graph.append(LinearCombination(weights: [sign, -sign], size: n), inputs: [other, current],
                                             shape: shape, name: "\(node.name)/gap\(k)"))
            let rise = try value(graph.append(ReLU(size: n), inputs: [gap], shape: shape, name: "\(node.name)/rise\(k)"))
            current = try value(graph.append(LinearCombination(weights: [1, sign], size: n), inputs: [current, rise],
                                             shape: shape, name: computed.count == 2 && constant == nil ? node.name : "\(node.name)/pair\(k)"))
        }
        guard let c = constant else { return [.computed(current, shape: shape)] }
        if let first = c.first, c.allSatisfy({ $0 == first }) {
            let op = isMaximum ? Clip(size: n, lower: first, upper: nil) : Clip(size: n, lower: nil, upper: first)
            return [graph.append(op, inputs: [current], shape: shape, name: node.name)]
        }
        // c + sign·relu(sign·(x − c)): the first map is exact (a sign change and a subtraction in the IR's exact
        // arithmetic), so is the ReLU, so is the last.
        let shifted = try value(graph.elementwiseAffine(current, scale: [Double](repeating: sign, count: n), shift: c.map { -sign * $0 },
                                                        shape: shape, name: node.name + "/shift"))
        let rise = try value(graph.append(ReLU(size: n), inputs: [shifted], shape: shape, name: node.name + "/rise"))
        return [graph.elementwiseAffine(rise, scale: [Double](repeating: sign, count: n), shift: c, shape: shape, name: node.name)]
    }

    private func value(_ operand: Operand) throws(NodeIssue) -> ValueID {
        guard case .computed(let v, _) = operand else { throw NodeIssue.invalid("internal: computed value expected") }
        return v
    }
}
