/// A tensor whose values are known at load time (an initializer, a `Constant` node or the result of
/// constant folding), stored row-major as `Double`.
struct ConstantTensor: Sendable {
    /// ONNX shape; `[]` is a scalar.
    var shape: [Int]
    /// Row-major values, `shape.product` of them.
    var values: [Double]
    /// True for integer element types (INT64, INT32): `Div` then truncates, as ONNX does.
    var isInteger: Bool

    init(shape: [Int], values: [Double], isInteger: Bool = false) {
        self.shape = shape
        self.values = values
        self.isInteger = isInteger
    }

    /// The same values under another shape of equal element count.
    func reshaped(_ newShape: [Int]) -> ConstantTensor {
        ConstantTensor(shape: newShape, values: values, isInteger: isInteger)
    }

    /// The values as integers (shape tensors, axes); fails on non-integral values.
    func integers() throws(NodeIssue) -> [Int] {
        try values.map { v throws(NodeIssue) in
            guard v.rounded() == v, abs(v) < 9.0e15 else {
                throw NodeIssue.invalid("expected integer values, found \(v)")
            }
            return Int(v)
        }
    }
}

/// Shape arithmetic shared by the converters.
enum ShapeMath {
    /// `dims.product`, refusing negative dimensions and products over ``ONNXLoader/maxTensorElements``
    /// (checked with overflow detection, before anything is allocated).
    static func elementCount(_ dims: [Int], what: String) throws(NodeIssue) -> Int {
        var count = 1
        for d in dims {
            guard d >= 0 else { throw NodeIssue.invalid("\(what) has a negative dimension in \(format(dims))") }
            let (product, overflow) = count.multipliedReportingOverflow(by: d)
            guard !overflow else { throw NodeIssue.tooLarge(what: "\(what) \(format(dims))", elements: "more than \(Int.max)") }
            count = product
        }
        if dims.contains(0) { return 0 }
        guard count <= ONNXLoader.maxTensorElements else {
            throw NodeIssue.tooLarge(what: "\(what) \(format(dims))", elements: "\(count)")
        }
        return count
    }

    /// Element count of a matrix `rows x cols`, refusing sizes over the limit.
    static func checkedMatrixSize(rows: Int, cols: Int, what: String) throws(NodeIssue) {
        _ = try elementCount([rows, cols], what: what)
    }

    /// Numpy (multidirectional) broadcasting of two shapes, or nil when they are incompatible.
    static func broadcast(_ a: [Int], _ b: [Int]) -> [Int]? {
        let rank = max(a.count, b.count)
        let pa = [Int](repeating: 1, count: rank - a.count) + a
        let pb = [Int](repeating: 1, count: rank - b.count) + b
        var out = [Int]()
        out.reserveCapacity(rank)
        for (x, y) in zip(pa, pb) {
            if x == y || y == 1 { out.append(x) } else if x == 1 { out.append(y) } else { return nil }
        }
        return out
    }

    /// For each flat index of a tensor of shape `target`, the flat index of the element of a tensor of
    /// shape `source` that broadcasting copies there. `source` must broadcast to `target`.
    static func broadcastSourceIndices(from source: [Int], to target: [Int]) -> [Int] {
        let rank = target.count
        let padded = [Int](repeating: 1, count: rank - source.count) + source
        // Strides of the source, 0 along broadcast dimensions.
        var strides = [Int](repeating: 0, count: rank)
        var step = 1
        for axis in stride(from: rank - 1, through: 0, by: -1) {
            strides[axis] = padded[axis] == 1 ? 0 : step
            step *= padded[axis]
        }
        let total = target.reduce(1, *)
        var result = [Int](repeating: 0, count: total)
        if total == 0 { return result }
        var index = [Int](repeating: 0, count: rank)
        var offset = 0
        for flat in 0..<total {
            result[flat] = offset
            // Increment the multi-index (last axis fastest) and keep `offset` in step.
            var axis = rank - 1
            while axis >= 0 {
                index[axis] += 1
                offset += strides[axis]
                if index[axis] < target[axis] { break }
                offset -= strides[axis] * index[axis]
                index[axis] = 0
                axis -= 1
            }
        }
        return result
    }

    /// A shape as `[1, 784]` for messages.
    static func format(_ shape: [Int]) -> String {
        "[" + shape.map(String.init).joined(separator: ", ") + "]"
    }
}
