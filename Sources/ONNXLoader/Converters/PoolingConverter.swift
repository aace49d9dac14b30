import LinearAlgebra
import NNGraph

/// The input of a pooling node: `[N, C, H, W]` or `[N, C, L]`, pooled plane by plane (`N · C` planes).
/// A global pool (GlobalMaxPool, GlobalAveragePool) has one window covering the whole plane.
private struct PoolingInput {
    let planes: Int
    let window: SpatialWindow
    let outputShape: [Int]

    init(_ node: NodeContext, _ x: Operand, global: Bool) throws(NodeIssue) {
        let shape = x.shape
        guard shape.count >= 3 else {
            throw NodeIssue.shapeMismatch("input X has shape \(ShapeMath.format(shape)); expected [N, C, ...spatial]")
        }
        guard let kernel = global ? Array(shape[2...]) : try node.ints("kernel_shape") else {
            throw NodeIssue.invalid("attribute 'kernel_shape' is required")
        }
        window = try SpatialWindow.resolve(node, spatial: Array(shape[2...]), kernel: kernel, ceilMode: true)
        planes = shape[0] * shape[1]
        outputShape = Array(shape[..<2]) + window.outputShape
        _ = try ShapeMath.elementCount(outputShape, what: "pooling output")
        _ = try ShapeMath.elementCount([planes * window.outputPlane, window.kernel[0] * window.kernel[1]],
                                       what: "pooling windows")
    }

    /// The windows of every plane's output position, as flat input indices (padding left out).
    func windows() throws(NodeIssue) -> [[Int]] {
        let one = window.windows()
        if let empty = one.firstIndex(where: \.isEmpty) {
            throw NodeIssue.unsupported("the window of output position \(empty) lies entirely in the padding")
        }
        let plane = window.inputPlane
        return (0..<planes).flatMap { q in one.map { $0.map { q * plane + $0 } } }
    }
}

/// ONNX `AveragePool` (and `GlobalAveragePool`): a depthwise ``Convolution`` (one group per channel, equal weights). With
/// `count_include_pad` = 0 (the default) and windows that reach into the padding, each output is divided
/// by the number of input elements its window covers: weights 1, then an ``ElementwiseAffine`` with one
/// factor per position (also with `count_include_pad` = 1 where `ceil_mode` = 1 cuts a window at the end).
/// Attributes as in ``SpatialWindow``.
struct AveragePoolConverter: OperatorConverter {
    /// True for `GlobalAveragePool`.
    var global = false

    func convert(_ node: NodeContext, _ graph: inout GraphBuilder) throws -> [Operand] {
        try node.expectInputs(1, 1)
        let x = try node.input(0)
        let pooling = try PoolingInput(node, x, global: global)
        let includePad = try node.int("count_include_pad", default: 0)
        guard includePad == 0 || includePad == 1 else {
            throw NodeIssue.invalid("attribute 'count_include_pad' is \(includePad); it must be 0 or 1")
        }
        let window = pooling.window
        let full = window.kernel[0] * window.kernel[1]
        _ = try ShapeMath.elementCount([pooling.planes, full], what: "AveragePool kernel weights")
        // The divisor of each window: the input elements it covers, or with count_include_pad = 1 the
        // positions in the input and the declared padding (all of the kernel unless ceil_mode cuts it).
        let counts = includePad == 1 ? window.paddedWindowCounts() : try pooling.windowCounts()
        _ = try pooling.windowCounts()
        let uniform = counts.allSatisfy { $0 == full }
        let geometry = try window.geometry(inputChannels: pooling.planes, outputChannels: pooling.planes, groups: pooling.planes)
        let op = Convolution(geometry: geometry,
                             weight: [Double](repeating: uniform ? 1 / Double(full) : 1, count: pooling.planes * full))
        let scale = uniform ? nil : (0..<pooling.planes).flatMap { _ in counts.map { 1 / Double($0) } }
        switch x {
        case .constant(let t):
            var values = op.forward([Matrix(rows: 1, cols: t.values.count, data: t.values)]).data
            if let scale { for i in values.indices { values[i] *= scale[i] } }
            return [.constant(ConstantTensor(shape: pooling.outputShape, values: values))]
        case .computed(let v, _):
            let sum = graph.append(op, inputs: [v], shape: pooling.outputShape, name: node.name)
            guard let scale, case .computed(let s, _) = sum else { return [sum] }
            return [graph.elementwiseAffine(s, scale: scale, shift: [Double](repeating: 0, count: scale.count),
                                            shape: pooling.outputShape, name: node.name + "/divide")]
        }
    }
}

extension PoolingInput {
    /// Input elements covered by each output position's window (the same in every plane).
    fileprivate func windowCounts() throws(NodeIssue) -> [Int] {
        let counts = window.windows().map(\.count)
        if let empty = counts.firstIndex(of: 0) {
            throw NodeIssue.unsupported("the window of output position \(empty) lies entirely in the padding")
        }
        return counts
    }
}

/// ONNX `MaxPool` (and `GlobalMaxPool`): the maximum over each window, padding ignored (ONNX pads with −∞), lowered exactly into
/// Selections, LinearCombinations, ReLUs and Concatenations by ``WindowMaximum``; a constant input is
/// pooled at load time. Attributes as in ``SpatialWindow`` (`ceil_mode` = 1: windows cut at the end);
/// the optional `Indices` output is not provided (the loader refuses graphs that use it).
struct MaxPoolConverter: OperatorConverter {
    /// True for `GlobalMaxPool`.
    var global = false

    func convert(_ node: NodeContext, _ graph: inout GraphBuilder) throws -> [Operand] {
        try node.expectInputs(1, 1)
        let x = try node.input(0)
        let pooling = try PoolingInput(node, x, global: global)
        let order = try node.int("storage_order", default: 0)
        guard order == 0 || order == 1 else { throw NodeIssue.invalid("attribute 'storage_order' is \(order); it must be 0 or 1") }
        let windows = try pooling.windows()
        switch x {
        case .constant(let t):
            let values = windows.map { w in w.dropFirst().reduce(t.values[w[0]]) { max($0, t.values[$1]) } }
            return [.constant(ConstantTensor(shape: pooling.outputShape, values: values))]
        case .computed(let v, let shape):
            let lowering = WindowMaximum.steps(input: v, inputSize: shape.reduce(1, *), windows: windows,
                                               firstValue: graph.nodes.count + 1)
            for (k, step) in lowering.steps.enumerated() {
                let last = k == lowering.steps.count - 1
                _ = graph.append(step.op, inputs: step.inputs, shape: last ? pooling.outputShape : [step.op.outputSize],
                                 name: node.name + step.name)
            }
            return [graph.alias(.computed(lowering.output, shape: pooling.outputShape), shape: pooling.outputShape)]
        }
    }
}
