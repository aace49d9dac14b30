import Foundation
import NNGraph

/// Groups of a tensor along trailing or single axes, as flat index lists (shared by Softmax and
/// LayerNormalization): every group holds the elements that differ only in the reduced axes.
enum AxisGroups {
    /// Elements grouped by their index outside `axes` (each group in row-major order).
    static func groups(shape: [Int], axes: Set<Int>) -> [[Int]] {
        let kept = (0..<shape.count).map { axes.contains($0) ? 1 : shape[$0] }
        let target = ShapeMath.broadcastSourceIndices(from: kept, to: shape)
        var groups = [[Int]](repeating: [], count: kept.reduce(1, *))
        for (i, g) in target.enumerated() { groups[g].append(i) }
        return groups
    }

    static func value(_ operand: Operand) throws(NodeIssue) -> ValueID {
        guard case .computed(let v, _) = operand else { throw NodeIssue.invalid("internal: computed value expected") }
        return v
    }
}

/// ONNX `Softmax` on a computed tensor (axis: default 1 and the input coerced to 2-D before opset 13,
/// default −1 and one axis from 13), written with operators that have sound relaxations and no product:
/// `softmax(x)_i = 1 / Σ_j exp(x_j − x_i)` — a sparse linear map of the differences, ``Exp``, a sum with
/// the `j = i` term `exp(0) = 1` as its offset, and ``Reciprocal`` (of a value `>= 1`, so never near its
/// pole). Exact in real arithmetic; constants are evaluated at load time.
struct SoftmaxConverter: OperatorConverter {
    func convert(_ node: NodeContext, _ graph: inout GraphBuilder) throws -> [Operand] {
        try node.expectInputs(1, 1)
        let x = try node.input(0)
        let rank = x.shape.count
        let axis = try node.normalisedAxis(try node.int("axis", default: node.opset < 13 ? 1 : -1), rank: rank, inclusiveUpper: false)
        let axes = Set(node.opset < 13 ? Array(axis..<rank) : [axis])
        let groups = AxisGroups.groups(shape: x.shape, axes: axes)
        switch x {
        case .constant(let t):
            var y = t.values
            for g in groups {
                let m = g.map { t.values[$0] }.max() ?? 0
                let total = g.reduce(0.0) { $0 + exp(t.values[$1] - m) }
                for i in g { y[i] = exp(t.values[i] - m) / total }
            }
            return [.constant(ConstantTensor(shape: t.shape, values: y))]
        case .computed(let v, let shape):
            let n = shape.reduce(1, *)
            var rows = [[(Int, Double)]]()
            var owner = [Int]()  // for each difference, the element i whose sum it enters
            for g in groups {
                for i in g {
                    for j in g where j != i {
                        rows.append([(j, 1), (i, -1)])
                        owner.append(i)
                    }
                }
            }
            let terms = rows.count
            guard terms > 0 else {  // one element per group: softmax is 1
                return [graph.elementwiseAffine(v, scale: [Double](repeating: 0, count: n), shift: [Double](repeating: 1, count: n),
                                                shape: shape, name: node.name)]
            }
            _ = try ShapeMath.elementCount([terms], what: "Softmax's pairwise differences")
            let differences = try AxisGroups.value(graph.append(SparseLinear(inputSize: n, rows: rows), inputs: [v], shape: [terms],
                                                                name: node.name + "/differences"))
            let exps = try AxisGroups.value(graph.append(Exp(size: terms), inputs: [differences], shape: [terms], name: node.name + "/exp"))
            var sums = [[(Int, Double)]](repeating: [], count: n)
            for (t, i) in owner.enumerated() { sums[i].append((t, 1)) }
            let denominator = try AxisGroups.value(graph.append(SparseLinear(inputSize: terms, rows: sums,
                                                                             offset: [Double](repeating: 1, count: n)),
                                                                inputs: [exps], shape: shape, name: node.name + "/sum"))
            return [graph.append(Reciprocal(size: n), inputs: [denominator], shape: shape, name: node.name)]
        }
    }
}

/// ONNX `LayerNormalization` (opset 17; `axis` default −1, `epsilon` default 1e-5, optional `Scale` and
/// `B`), `y = (x − μ) / sqrt(σ² + ε) ⊙ scale + B` over the axes from `axis` on, written as: centring
/// (a sparse linear map), ``Pow`` 2, the mean plus ε (sparse linear), ``Sqrt``, ``Reciprocal`` (of a
/// value `>= √ε`), a selection broadcasting it to every element, a bilinear ``Product`` with the
/// centred values, and the elementwise affine map of scale and bias. Constants are evaluated at load time.
struct LayerNormalizationConverter: OperatorConverter {
    func convert(_ node: NodeContext, _ graph: inout GraphBuilder) throws -> [Operand] {
        try node.expectInputs(1, 3)
        guard node.proto.output.count <= 1 || node.proto.output.dropFirst().allSatisfy(\.isEmpty) else {
            throw NodeIssue.unsupported("the Mean and InvStdDev outputs")
        }
        let x = try node.input(0)
        let rank = x.shape.count
        let axis = try node.normalisedAxis(try node.int("axis", default: -1), rank: rank, inclusiveUpper: false)
        let epsilon = try node.float("epsilon", default: 1e-5)
        guard epsilon > 0 else { throw NodeIssue.invalid("epsilon must be positive, got \(epsilon)") }
        let groups = AxisGroups.groups(shape: x.shape, axes: Set(axis..<rank))
        let n = x.shape.reduce(1, *)
        let normalisedShape = Array(x.shape[axis...])
        func parameter(_ index: Int, _ role: String, default value: Double) throws -> [Double] {
            guard let operand = node.optionalInput(index) else { return [Double](repeating: value, count: n) }
            guard let t = operand.constant else { throw NodeIssue.unsupported("\(role) (input #\(index + 1)) must be a constant") }
            guard ShapeMath.broadcast(normalisedShape, t.shape) == normalisedShape || ShapeMath.broadcast(x.shape, t.shape) == x.shape else {
                throw NodeIssue.shapeMismatch("\(role) \(ShapeMath.format(t.shape)) does not broadcast to \(ShapeMath.format(x.shape))")
            }
            return ShapeMath.broadcastSourceIndices(from: t.shape, to: x.shape).map { t.values[$0] }
        }
        let scale = try parameter(1, "Scale", default: 1), bias = try parameter(2, "B", default: 0)
        switch x {
        case .constant(let t):
            var y = t.values
            for g in groups {
                let m = Double(g.count)
                let mean = g.reduce(0.0) { $0 + t.values[$1] } / m
                let variance = g.reduce(0.0) { $0 + (t.values[$1] - mean) * (t.values[$1] - mean) } / m
                for i in g { y[i] = (t.values[i] - mean) / (variance + epsilon).squareRoot() * scale[i] + bias[i] }
            }
            return [.constant(ConstantTensor(shape: t.shape, values: y))]
        case .computed(let v, let shape):
            var centring = [[(Int, Double)]](repeating: [], count: n)
            var variance = [[(Int, Double)]](repeating: [], count: groups.count)
            var groupOf = [Int](repeating: 0, count: n)
            for (k, g) in groups.enumerated() {
                let w = 1 / Double(g.count)
                for i in g {
                    centring[i] = g.map { ($0, $0 == i ? 1 - w : -w) }
                    variance[k].append((i, w))
                    groupOf[i] = k
                }
            }
            let g = groups.count
            let centred = try AxisGroups.value(graph.append(SparseLinear(inputSize: n, rows: centring), inputs: [v], shape: shape,
                                                            name: node.name + "/centred"))
            let squares = try AxisGroups.value(graph.append(Pow(size: n, exponent: 2), inputs: [centred], shape: shape,
                                                            name: node.name + "/square"))
            let shifted = try AxisGroups.value(graph.append(SparseLinear(inputSize: n, rows: variance, offset: [Double](repeating: epsilon, count: g)),
                                                            inputs: [squares], shape: [g], name: node.name + "/variance"))
            let deviation = try AxisGroups.value(graph.append(Sqrt(size: g), inputs: [shifted], shape: [g], name: node.name + "/deviation"))
            let inverse = try AxisGroups.value(graph.append(Reciprocal(size: g), inputs: [deviation], shape: [g], name: node.name + "/inverse"))
            let spread = try AxisGroups.value(graph.append(Selection(inputSize: g, indices: groupOf), inputs: [inverse], shape: shape,
                                                           name: node.name + "/broadcast"))
            let normalised = try AxisGroups.value(graph.append(Product(size: n), inputs: [centred, spread], shape: shape,
                                                               name: node.name + "/normalised"))
            return [graph.elementwiseAffine(normalised, scale: scale, shift: bias, shape: shape, name: node.name)]
        }
    }
}
