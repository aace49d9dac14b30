import LinearAlgebra
import NNGraph

/// Index maps shared by the converters of exact linear operators that move or mix elements (Resize,
/// Upsample, Pad, Reduce*, MatMul with a constant factor, broadcasting of computed tensors).
enum SparseMaps {
    /// One output coordinate along one axis reads these `(input coordinate, weight)` taps; an empty list
    /// means the coordinate lies in constant padding.
    typealias Taps = [(Int, Double)]

    /// A float-list attribute, or nil when absent.
    static func floats(_ node: NodeContext, _ name: String) throws(NodeIssue) -> [Double]? {
        guard let a = node.attribute(name) else { return nil }
        guard a.type == .floats || a.type == .undefined else {
            throw NodeIssue.invalid("attribute '\(name)' must be a list of floats")
        }
        let values = a.floats.map(Double.init)
        guard values.allSatisfy(\.isFinite) else { throw NodeIssue.invalid("attribute '\(name)' holds a NaN or infinite value") }
        return values
    }

    /// Row-major strides of a shape.
    static func strides(_ shape: [Int]) -> [Int] {
        var s = [Int](repeating: 1, count: shape.count)
        for axis in stride(from: shape.count - 2, through: 0, by: -1) { s[axis] = s[axis + 1] * shape[axis + 1] }
        return s
    }

    /// The separable map whose output element at multi-index `o` reads the product over the axes of
    /// `taps[axis][o[axis]]` (flat input index = Σ coordinates · strides, weight = product of weights);
    /// an element where some axis has no taps is `fill`. Returned as sparse rows and their offsets.
    static func separable(inputShape: [Int], taps: [[Taps]], fill: Double) -> SparseLinear {
        let outShape = taps.map(\.count), inStrides = strides(inputShape)
        let count = outShape.reduce(1, *), rank = outShape.count
        var rowStart = [0], columns = [Int](), weights = [Double](), offset = [Double](repeating: 0, count: count)
        rowStart.reserveCapacity(count + 1)
        var index = [Int](repeating: 0, count: rank)
        var entries: [(Int, Double)] = [], next: [(Int, Double)] = []
        for flat in 0..<count {
            entries.removeAll(keepingCapacity: true)
            entries.append((0, 1))
            for axis in 0..<rank {
                let t = taps[axis][index[axis]]
                next.removeAll(keepingCapacity: true)
                for (i, w) in entries { for (c, v) in t { next.append((i + c * inStrides[axis], w * v)) } }
                swap(&entries, &next)
                if entries.isEmpty { break }
            }
            if entries.isEmpty { offset[flat] = fill }
            for (i, w) in entries where w != 0 {
                columns.append(i)
                weights.append(w)
            }
            rowStart.append(columns.count)
            var axis = rank - 1
            while axis >= 0 {
                index[axis] += 1
                if index[axis] < outShape[axis] { break }
                index[axis] = 0
                axis -= 1
            }
        }
        return SparseLinear(inputSize: inputShape.reduce(1, *), rowStart: rowStart, columns: columns, weights: weights, offset: offset)
    }

    /// The map as a Selection when every row copies one element with weight 1 and there is no offset.
    static func selection(_ map: SparseLinear) -> Selection? {
        for j in 0..<map.outputSize {
            guard map.rowStart[j + 1] - map.rowStart[j] == 1, map.weights[map.rowStart[j]] == 1, map.offset[j] == 0 else { return nil }
        }
        return Selection(inputSize: map.inputSize, indices: map.columns)
    }

    /// Dense Affine weights up to this many entries, or when at least an eighth of the entries are
    /// non-zero (BLAS then beats the sparse loops); other linear maps stay sparse.
    static let denseLimit = 1 << 20
}

extension GraphBuilder {
    /// Applies `map` to `operand`: evaluated at load time on a constant; otherwise an alias when it is the
    /// identity, a ``Selection`` when it only copies elements, an ``Affine`` when `preferDense` and the dense
    /// matrix is small or not very sparse (see ``SparseMaps/denseLimit``; following constant arithmetic then
    /// folds into it), else a ``SparseLinear``.
    mutating func apply(_ map: SparseLinear, to operand: Operand, shape: [Int], name: String, preferDense: Bool = false) -> Operand {
        switch operand {
        case .constant(let t):
            let y = map.forward([Matrix(rows: 1, cols: t.values.count, data: t.values)])
            return .constant(ConstantTensor(shape: shape, values: y.data, isInteger: t.isInteger && map.weights.allSatisfy { $0 == 1 }
                                                && map.offset.allSatisfy { $0.rounded() == $0 }))
        case .computed(let v, _):
            if let selection = SparseMaps.selection(map) {
                if selection.indices == Array(0..<map.inputSize) { return alias(operand, shape: shape) }
                return append(selection, inputs: [v], shape: shape, name: name)
            }
            let total = map.outputSize * map.inputSize
            if preferDense && total <= ONNXLoader.maxTensorElements
                && (total <= SparseMaps.denseLimit || map.weights.count * 8 >= total) {
                return affine(v, weight: map.denseWeight, bias: map.offset, shape: shape, name: name)
            }
            return append(map, inputs: [v], shape: shape, name: name)
        }
    }

    /// The computed value `v` of shape `from` broadcast (numpy rules) to `to`: itself when the element
    /// count does not change, else a ``Selection`` copying the broadcast elements.
    mutating func broadcast(_ v: ValueID, from: [Int], to: [Int], name: String) -> ValueID {
        let count = to.reduce(1, *)
        if from.reduce(1, *) == count { return v }
        let indices = ShapeMath.broadcastSourceIndices(from: from, to: to)
        guard case .computed(let out, _) = append(Selection(inputSize: from.reduce(1, *), indices: indices), inputs: [v],
                                                  shape: to, name: name + "/broadcast") else { return v }
        return out
    }
}
