import LinearAlgebra
import NNGraph

/// Accumulates IR nodes while an ONNX graph is converted, and performs the local simplifications:
///
/// - shape-only ONNX nodes (Reshape, Flatten, Identity, Dropout) add no IR node: the ONNX name is
///   mapped to the same IR value with another shape ("alias"); when the aliased value has no other
///   consumer, its node's recorded shape is updated so `Node.shape` stays right;
/// - an elementwise affine map (Add, Sub, Mul, Div by a constant, BatchNormalization) applied to the only
///   consumer of an `Affine` or `ElementwiseAffine` node is folded into that node (MatMul + Add becomes one
///   Affine), and into a `Convolution` node when it is constant over each output channel (Conv +
///   BatchNormalization becomes one Convolution);
/// - a ``Selection`` (Slice, Gather, ...) applied to the only consumer of a Selection, or of an Affine
///   with at least as many rows, is composed into it;
/// - nodes the output does not depend on are dropped by ``finish(output:shape:keeping:)``.
///
/// A value may be changed in place only when it is *exclusive*: not the network input, not a graph
/// output, not read by an IR node already appended (a consumer converted earlier, e.g. the Relu of a
/// residual block whose other branch scales the same value), and with no ONNX consumer left to convert
/// other than the node being converted. The conversion loop keeps the use counts with
/// ``addUses(_:_:)`` and ``consume(_:)``; ``append(_:inputs:shape:name:)`` counts the IR readers.
struct GraphBuilder {
    let inputShape: [Int]
    private(set) var nodes: [Node] = []
    /// Per IR value: ONNX uses (node inputs) not yet converted.
    private var pendingUses: [Int] = [0]
    /// Per IR value: IR nodes that read it.
    private var readers: [Int] = [0]
    /// IR values that are a graph output (never changed in place).
    private var pinned: Set<ValueID> = []

    init(inputShape: [Int]) {
        self.inputShape = inputShape
    }

    /// The shape recorded for an IR value (the input shape for value 0).
    func shape(of value: ValueID) -> [Int] {
        value == 0 ? inputShape : nodes[value - 1].shape
    }

    /// Records `count` more ONNX uses of `value` (an ONNX name newly mapped to it).
    mutating func addUses(_ value: ValueID, _ count: Int) { pendingUses[value] += count }

    /// Records that one use of `value` is being converted now.
    mutating func consume(_ value: ValueID) { pendingUses[value] -= 1 }

    /// Marks `value` as a graph output.
    mutating func pin(_ value: ValueID) { pinned.insert(value) }

    /// True when `value` may be changed in place (see the type's documentation).
    func isExclusive(_ value: ValueID) -> Bool {
        value > 0 && pendingUses[value] <= 0 && readers[value] == 0 && !pinned.contains(value)
    }

    /// Appends an IR node and returns its value.
    mutating func append(_ op: any Operator, inputs: [ValueID], shape: [Int], name: String) -> Operand {
        nodes.append(Node(name: name, op: op, inputs: inputs, shape: shape))
        pendingUses.append(0)
        readers.append(0)
        for v in inputs { readers[v] += 1 }
        return .computed(nodes.count, shape: shape)
    }

    /// The operand under another shape of equal element count, with no IR node.
    mutating func alias(_ operand: Operand, shape: [Int]) -> Operand {
        switch operand {
        case .constant(let t):
            return .constant(t.reshaped(shape))
        case .computed(let v, _):
            if isExclusive(v) { replace(v, op: nodes[v - 1].op, shape: shape) }
            return .computed(v, shape: shape)
        }
    }

    /// `y = scale ⊙ x + shift` on the value `x` (sizes equal), folded into the producer of `x` when
    /// that is an exclusive `Affine` or `ElementwiseAffine` node, or an exclusive `Convolution` and
    /// `scale` and `shift` are constant over each output channel.
    mutating func elementwiseAffine(_ x: ValueID, scale: [Double], shift: [Double], shape: [Int], name: String) -> Operand {
        if scale.allSatisfy({ $0 == 1 }) && shift.allSatisfy({ $0 == 0 }) {
            return alias(.computed(x, shape: shape), shape: shape)
        }
        if isExclusive(x) {
            let producer = nodes[x - 1].op
            if let affine = producer as? Affine {
                replace(x, op: Self.compose(scale: scale, shift: shift, after: affine), shape: shape)
                return .computed(x, shape: shape)
            }
            if let inner = producer as? ElementwiseAffine {
                let composed = ElementwiseAffine(
                    scale: zip(scale, inner.scale).map { $0 * $1 },
                    shift: (0..<scale.count).map { scale[$0] * inner.shift[$0] + shift[$0] })
                replace(x, op: composed, shape: shape)
                return .computed(x, shape: shape)
            }
            if let convolution = producer as? Convolution,
               let composed = Self.compose(scale: scale, shift: shift, after: convolution) {
                replace(x, op: composed, shape: shape)
                return .computed(x, shape: shape)
            }
        }
        return append(ElementwiseAffine(scale: scale, shift: shift), inputs: [x], shape: shape, name: name)
    }

    /// `y_j = x[indices[j]]` on the value `x` of `inputSize` elements: one ``Selection`` node, composed
    /// with the producer of `x` when that is exclusive and a Selection (Slice after Slice, Gather after
    /// Gather, ... stay one node) or an Affine that does not grow (its rows are picked).
    mutating func select(_ x: ValueID, inputSize: Int, indices: [Int], shape: [Int], name: String) -> Operand {
        if isExclusive(x), let inner = nodes[x - 1].op as? Selection {
            replace(x, op: Selection(inputSize: inner.inputSize, indices: indices.map { inner.indices[$0] }), shape: shape)
            return .computed(x, shape: shape)
        }
        if isExclusive(x), let affine = nodes[x - 1].op as? Affine, indices.count <= affine.weight.rows {
            let cols = affine.weight.cols
            var data = [Double]()
            data.reserveCapacity(indices.count * cols)
            for i in indices { data.append(contentsOf: affine.weight.data[(i * cols)..<((i + 1) * cols)]) }
            replace(x, op: Affine(weight: Matrix(rows: indices.count, cols: cols, data: data), bias: indices.map { affine.bias[$0] }),
                    shape: shape)
            return .computed(x, shape: shape)
        }
        return append(Selection(inputSize: inputSize, indices: indices), inputs: [x], shape: shape, name: name)
    }

    /// `y = W x + b` on the value `x`.
    mutating func affine(_ x: ValueID, weight: Matrix, bias: [Double], shape: [Int], name: String) -> Operand {
        append(Affine(weight: weight, bias: bias), inputs: [x], shape: shape, name: name)
    }

    /// The IR nodes the output (and the values in `keeping`) depend on, renumbered, the output value,
    /// and the new number of every old value (meaningful for the kept ones). When `shape` (the ONNX
    /// shape of the graph output) differs from the shape recorded for `output`, a Reshape node is
    /// appended so that the last node's shape is the output's.
    func finish(output: ValueID, shape: [Int], keeping: [ValueID] = []) -> (nodes: [Node], output: ValueID, renumbered: [ValueID]) {
        var live = [Bool](repeating: false, count: nodes.count + 1)
        live[output] = true
        for v in keeping { live[v] = true }
        for i in stride(from: nodes.count - 1, through: 0, by: -1) where live[i + 1] {
            for v in nodes[i].inputs { live[v] = true }
        }
        var newID = [ValueID](repeating: 0, count: nodes.count + 1)
        var kept: [Node] = []
        for (i, node) in nodes.enumerated() where live[i + 1] {
            kept.append(Node(name: node.name, op: node.op, inputs: node.inputs.map { newID[$0] }, shape: node.shape))
            newID[i + 1] = kept.count
        }
        var out = newID[output]
        if shape != self.shape(of: output) {
            let name = output == 0 ? "output" : nodes[output - 1].name
            kept.append(Node(name: name, op: Reshape(size: shape.reduce(1, *)), inputs: [out], shape: shape))
            out = kept.count
        }
        return (kept, out, newID)
    }

    private mutating func replace(_ value: ValueID, op: any Operator, shape: [Int]) {
        let old = nodes[value - 1]
        nodes[value - 1] = Node(name: old.name, op: op, inputs: old.inputs, shape: shape)
    }

    /// `diag(scale) (W x + b) + shift` as one Affine.
    private static func compose(scale: [Double], shift: [Double], after affine: Affine) -> Affine {
        var weight = affine.weight
        if !scale.allSatisfy({ $0 == 1 }) {
            let cols = weight.cols
            for r in 0..<weight.rows where scale[r] != 1 {
                for c in 0..<cols { weight.data[r * cols + c] *= scale[r] }
            }
        }
        let bias = (0..<scale.count).map { scale[$0] * affine.bias[$0] + shift[$0] }
        return Affine(weight: weight, bias: bias)
    }

    /// `diag(scale) conv(x) + shift` as one Convolution, when `scale` and `shift` are constant over each
    /// output channel (nil otherwise).
    private static func compose(scale: [Double], shift: [Double], after convolution: Convolution) -> Convolution? {
        let g = convolution.geometry, plane = g.outputPlane
        var channelScale = [Double](), channelShift = [Double]()
        for o in 0..<g.outputChannels {
            let s = scale[o * plane], t = shift[o * plane]
            for p in 0..<plane where scale[o * plane + p] != s || shift[o * plane + p] != t { return nil }
            channelScale.append(s)
            channelShift.append(t)
        }
        let length = g.kernelLength
        var weight = convolution.weight
        for o in 0..<g.outputChannels where channelScale[o] != 1 {
            for k in 0..<length { weight[o * length + k] *= channelScale[o] }
        }
        let bias = (0..<g.outputChannels).map { channelScale[$0] * convolution.bias[$0] + channelShift[$0] }
        return Convolution(geometry: g, weight: weight, bias: bias)
    }
}
