import NNGraph

/// Pure rearrangements of tensor elements (Slice, Gather, Split, Expand, Tile, Where's selection): each
/// output element copies one input element, `y_j = x[indices[j]]`. On a constant this is evaluated at
/// load time; on a computed tensor it becomes one exact ``Selection`` node (composed with a Selection
/// before it, see ``GraphBuilder/select(_:inputSize:indices:shape:name:)``), or no node at all when the
/// flat order does not change.
enum Rearrangement {
    /// Row-major strides of `shape` (the last axis has stride 1).
    static func strides(_ shape: [Int]) -> [Int] {
        var result = [Int](repeating: 1, count: shape.count)
        var step = 1
        for axis in stride(from: shape.count - 1, through: 0, by: -1) {
            result[axis] = step
            step *= shape[axis]
        }
        return result
    }

    /// The flat source indices of an axis-wise rearrangement of a tensor of shape `inputShape`: the
    /// output has shape `maps.map(\.count)`, and its element at multi-index `(i_0, ..., i_{r-1})` copies
    /// the input element at `(maps[0][i_0], ..., maps[r-1][i_{r-1}])`. `maps` has one entry per input
    /// axis, each with coordinates inside that axis. Refuses outputs over the element limit.
    static func axisMappedIndices(inputShape: [Int], maps: [[Int]]) throws(NodeIssue) -> [Int] {
        precondition(maps.count == inputShape.count, "Rearrangement: one map per axis")
        let count = try ShapeMath.elementCount(maps.map(\.count), what: "result")
        let inputStrides = strides(inputShape)
        var result = [0]
        result.reserveCapacity(count)
        for (axis, map) in maps.enumerated() {
            let step = inputStrides[axis]
            var next = [Int]()
            next.reserveCapacity(result.count * map.count)
            for base in result {
                for coordinate in map { next.append(base + coordinate * step) }
            }
            result = next
        }
        return result
    }

    /// `y_j = x[indices[j]]` with output shape `shape` (`indices` lie inside `x`'s elements): a
    /// constant is evaluated; a computed tensor gets a ``Selection`` node named after the ONNX node, or
    /// an alias when `indices` is `0 ..< n` for its `n` elements. `compose` must be false when the
    /// converter reads `x` again afterwards (Split's later parts): the producer of `x` is then left as is.
    static func gather(_ x: Operand, indices: [Int], shape: [Int], name: String, compose: Bool = true,
                       graph: inout GraphBuilder) -> Operand {
        switch x {
        case .constant(let t):
            return .constant(ConstantTensor(shape: shape, values: indices.map { t.values[$0] }, isInteger: t.isInteger))
        case .computed(let v, let inputShape):
            let inputSize = inputShape.reduce(1, *)
            let identity = indices.count == inputSize && indices.enumerated().allSatisfy { $0.offset == $0.element }
            if identity && compose { return graph.alias(x, shape: shape) }
            if identity { return .computed(v, shape: shape) }
            if !compose { return graph.append(Selection(inputSize: inputSize, indices: indices), inputs: [v], shape: shape, name: name) }
            return graph.select(v, inputSize: inputSize, indices: indices, shape: shape, name: name)
        }
    }
}
