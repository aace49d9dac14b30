import LinearAlgebra

/// Concatenation of tensors along one axis (ONNX `Concat`), on flat row-major vectors.
///
/// With `outer` the product of the dimensions before the axis, every part contributes, for each outer
/// index `o`, one contiguous block of `blockSize` values (its size along the axis times the product of the
/// dimensions after it); the output is, for `o = 0, 1, ...`, the blocks of all parts in order. A part is
/// either a computed input (the operator's inputs, in part order) or a constant (carried by ``offset``).
public struct Concatenation: LinearOperator {
    /// One concatenated tensor.
    public enum Part: Sendable, Equatable {
        /// The next computed input: `outer · blockSize` values.
        case input(blockSize: Int)
        /// A constant tensor: `values` has `outer · blockSize` entries, in its own row-major order.
        case constant(blockSize: Int, values: [Double])

        public var blockSize: Int {
            switch self {
            case .input(let size), .constant(let size, _): return size
            }
        }
    }

    public let outer: Int
    public let parts: [Part]
    public let outputSize: Int
    /// Length of one output block (all parts), and each part's offset inside it.
    let block: Int
    let partOffsets: [Int]
    /// For each computed input, its index in ``parts``.
    let inputParts: [Int]

    public init(outer: Int, parts: [Part]) {
        precondition(outer >= 1, "Concatenation: outer size \(outer)")
        for case .constant(let size, let values) in parts {
            precondition(values.count == outer * size, "Concatenation: constant of \(values.count) values for \(outer) x \(size)")
        }
        self.outer = outer
        self.parts = parts
        var offsets = [Int](), total = 0
        for part in parts {
            offsets.append(total)
            total += part.blockSize
        }
        block = total
        partOffsets = offsets
        outputSize = outer * total
        inputParts = parts.indices.filter { if case .input = parts[$0] { return true } else { return false } }
    }

    public var kind: String { "Concatenation" }
    public var arity: Int { inputParts.count }

    public func forward(_ inputs: [Matrix]) -> Matrix {
        var y = Matrix(rows: inputs.first?.rows ?? 1, cols: outputSize)
        for (k, part) in inputParts.enumerated() { place(inputs[k], part: part, into: &y) }
        fillConstants(&y)
        return y
    }

    public func gradient(inputs: [Matrix], output: Matrix, outputGradient: Matrix) -> [Matrix] {
        inputParts.map { extract(outputGradient, part: $0) }
    }

    public func interval(_ inputs: [IntervalMatrix]) -> IntervalMatrix {
        var lower = Matrix(rows: inputs.first?.rows ?? 1, cols: outputSize), upper = lower
        for (k, part) in inputParts.enumerated() {
            place(inputs[k].lower, part: part, into: &lower)
            place(inputs[k].upper, part: part, into: &upper)
        }
        fillConstants(&lower)
        fillConstants(&upper)
        return IntervalMatrix(lower: lower, upper: upper)
    }

    /// The constant parts in place, zeros at the computed ones.
    public var offset: [Double] {
        var y = Matrix(rows: 1, cols: outputSize)
        fillConstants(&y)
        return y.data
    }

    /// Rows of the output are the rows of the inputs' blocks; rows of constant parts are zero.
    public func pushForward(lower: [Matrix], upper: [Matrix]) -> (lower: Matrix, upper: Matrix) {
        let width = lower.first?.cols ?? 0
        var lo = Matrix(rows: outputSize, cols: width), hi = lo
        for (k, part) in inputParts.enumerated() {
            let size = parts[part].blockSize
            for o in 0..<outer {
                let from = o * size * width, to = (o * block + partOffsets[part]) * width
                lo.data.replaceSubrange(to..<(to + size * width), with: lower[k].data[from..<(from + size * width)])
                hi.data.replaceSubrange(to..<(to + size * width), with: upper[k].data[from..<(from + size * width)])
            }
        }
        return (lo, hi)
    }

    /// The coefficients split by columns into the computed inputs; the constant parts give `A c`.
    public func pullBack(_ coefficients: Matrix) -> (inputs: [Matrix], constant: [Double]) {
        let a = coefficients
        var constant = [Double](repeating: 0, count: a.rows)
        for (index, part) in parts.enumerated() {
            guard case .constant(let size, let values) = part else { continue }
            for r in 0..<a.rows {
                var s = 0.0
                for o in 0..<outer {
                    let base = r * outputSize + o * block + partOffsets[index]
                    for t in 0..<size { s += a.data[base + t] * values[o * size + t] }
                }
                constant[r] += s
            }
        }
        return (inputParts.map { extract(a, part: $0) }, constant)
    }

    /// Copies `x` (`rows x outer·blockSize`) into the blocks of part `part` of `y`.
    private func place(_ x: Matrix, part: Int, into y: inout Matrix) {
        let size = parts[part].blockSize, offset = partOffsets[part]
        guard size > 0 else { return }
        x.data.withUnsafeBufferPointer { src in
            y.data.withUnsafeMutableBufferPointer { dst in
                for r in 0..<x.rows {
                    for o in 0..<outer {
                        let from = src.baseAddress! + r * x.cols + o * size
                        (dst.baseAddress! + r * outputSize + o * block + offset).update(from: from, count: size)
                    }
                }
            }
        }
    }

    /// The blocks of part `part` of `y` (`rows x outputSize`) as `rows x outer·blockSize`.
    private func extract(_ y: Matrix, part: Int) -> Matrix {
        let size = parts[part].blockSize, offset = partOffsets[part]
        var x = Matrix(rows: y.rows, cols: outer * size)
        guard size > 0 else { return x }
        y.data.withUnsafeBufferPointer { src in
            x.data.withUnsafeMutableBufferPointer { dst in
                for r in 0..<y.rows {
                    for o in 0..<outer {
                        let from = src.baseAddress! + r * outputSize + o * block + offset
                        (dst.baseAddress! + r * outer * size + o * size).update(from: from, count: size)
                    }
                }
            }
        }
        return x
    }

    private func fillConstants(_ y: inout Matrix) {
        for (index, part) in parts.enumerated() {
            guard case .constant(let size, let values) = part, size > 0 else { continue }
            for r in 0..<y.rows {
                for o in 0..<outer {
                    let to = r * outputSize + o * block + partOffsets[index]
                    y.data.replaceSubrange(to..<(to + size), with: values[(o * size)..<((o + 1) * size)])
                }
            }
        }
    }
}
