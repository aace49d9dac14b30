import LinearAlgebra

/// A sparse affine map of one input, `y_j = Σ_{(i, w) ∈ row j} w · x_i + offset_j`, stored row-wise
/// (compressed sparse rows). Used where each output reads a few inputs: bilinear `Resize`/`Upsample`
/// (non-negative weights summing to 1), `Pad` in constant mode (padded rows are empty and carry the pad
/// value as their offset), `ReduceSum`/`ReduceMean`, and large products with a constant factor.
///
/// Every map is the same sum over the stored entries, so all of them are exact: ``pullBack(_:)`` and
/// ``gradient(inputs:output:outputGradient:)`` scatter `A[r, j] · w` into column `i` (that is `A J`,
/// since `J[j, i] = w`), ``interval(_:)`` takes the lower bound where `w ≥ 0` and the upper one where
/// `w < 0` (the exact range of each row, a sum of independent terms), and ``pushForward(lower:upper:)``
/// does the same with coefficient rows. A pair `(i, w)` may occur more than once in a row; the weights add.
public struct SparseLinear: LinearOperator, ParameterCounting {
    public let inputSize: Int
    /// Entries of row `j` are `rowStart[j] ..< rowStart[j + 1]` of ``columns`` and ``weights``.
    public let rowStart: [Int]
    public let columns: [Int]
    public let weights: [Double]
    public let offset: [Double]

    /// A map from rows given as `(input index, weight)` lists; `offset` defaults to zeros.
    public init(inputSize: Int, rows: [[(Int, Double)]], offset: [Double]? = nil) {
        var start = [0], cols = [Int](), w = [Double]()
        for row in rows {
            for (i, v) in row {
                cols.append(i)
                w.append(v)
            }
            start.append(cols.count)
        }
        self.init(inputSize: inputSize, rowStart: start, columns: cols, weights: w, offset: offset)
    }

    /// A map in compressed sparse row form.
    public init(inputSize: Int, rowStart: [Int], columns: [Int], weights: [Double], offset: [Double]? = nil) {
        let rows = rowStart.count - 1
        precondition(rows >= 0 && rowStart.first == 0 && rowStart.last == columns.count && columns.count == weights.count,
                     "SparseLinear: inconsistent row table")
        precondition(columns.allSatisfy { $0 >= 0 && $0 < inputSize }, "SparseLinear: column out of 0..<\(inputSize)")
        precondition(offset == nil || offset!.count == rows, "SparseLinear: offset length \(offset!.count) for \(rows) rows")
        self.inputSize = inputSize
        self.rowStart = rowStart
        self.columns = columns
        self.weights = weights
        self.offset = offset ?? [Double](repeating: 0, count: rows)
    }

    public var kind: String { "SparseLinear" }
    public var arity: Int { 1 }
    public var outputSize: Int { rowStart.count - 1 }
    public var parameterCount: Int { weights.count + offset.count }

    /// The dense `outputSize x inputSize` matrix (tests, and converters that prefer an ``Affine``).
    public var denseWeight: Matrix {
        var m = Matrix(rows: outputSize, cols: inputSize)
        for j in 0..<outputSize { for e in rowStart[j]..<rowStart[j + 1] { m.data[j * inputSize + columns[e]] += weights[e] } }
        return m
    }

    public func forward(_ inputs: [Matrix]) -> Matrix {
        var y = apply(inputs[0], negativeSide: nil)
        y.addToEachRow(offset)
        return y
    }

    public func gradient(inputs: [Matrix], output: Matrix, outputGradient: Matrix) -> [Matrix] {
        [transposedApply(outputGradient)]
    }

    /// Per row, the lower bound takes `w · l` for `w ≥ 0` and `w · u` for `w < 0` (the upper bound the
    /// reverse): the exact range of a sum of independent terms.
    public func interval(_ inputs: [IntervalMatrix]) -> IntervalMatrix {
        let x = inputs[0]
        var lower = apply(x.lower, negativeSide: x.upper)
        var upper = apply(x.upper, negativeSide: x.lower)
        lower.addToEachRow(offset)
        upper.addToEachRow(offset)
        return IntervalMatrix(lower: lower, upper: upper)
    }

    /// Output row `j` of the lower block is `Σ w⁺ L[i] + w⁻ U[i]` over the row's entries; the upper block swaps.
    public func pushForward(lower: [Matrix], upper: [Matrix]) -> (lower: Matrix, upper: Matrix) {
        let l = lower[0], u = upper[0], k = l.cols
        var lo = Matrix(rows: outputSize, cols: k), hi = lo
        for j in 0..<outputSize {
            for e in rowStart[j]..<rowStart[j + 1] {
                let w = weights[e], i = columns[e]
                let (a, b) = w >= 0 ? (l, u) : (u, l)
                for c in 0..<k {
                    lo.data[j * k + c] += w * a.data[i * k + c]
                    hi.data[j * k + c] += w * b.data[i * k + c]
                }
            }
        }
        return (lo, hi)
    }

    /// `A J` scatters `A[r, j] · w` into column `i` for every entry `(i, w)` of row `j`; the constant is `A · offset`.
    public func pullBack(_ coefficients: Matrix) -> (inputs: [Matrix], constant: [Double]) {
        let a = coefficients, n = outputSize
        var constant = [Double](repeating: 0, count: a.rows)
        if offset.contains(where: { $0 != 0 }) {
            for r in 0..<a.rows {
                var s = 0.0
                for j in 0..<n { s += a.data[r * n + j] * offset[j] }
                constant[r] = s
            }
        }
        return ([transposedApply(a)], constant)
    }

    /// `x Jᵀ` row by row, without the offset. With `negativeSide`, negative weights read it instead of
    /// `x` (interval bounds: `x` is one side of the box, `negativeSide` the other).
    private func apply(_ x: Matrix, negativeSide other: Matrix?) -> Matrix {
        let n = outputSize, m = x.cols
        var y = Matrix(rows: x.rows, cols: n)
        x.data.withUnsafeBufferPointer { src in
            (other ?? x).data.withUnsafeBufferPointer { alt in
                y.data.withUnsafeMutableBufferPointer { dst in
                    for r in 0..<x.rows {
                        let base = r * m
                        for j in 0..<n {
                            var s = 0.0
                            for e in rowStart[j]..<rowStart[j + 1] {
                                let w = weights[e]
                                s += w * (w >= 0 ? src[base + columns[e]] : alt[base + columns[e]])
                            }
                            dst[r * n + j] = s
                        }
                    }
                }
            }
        }
        return y
    }

    /// `a J` (`rows x outputSize` → `rows x inputSize`).
    private func transposedApply(_ a: Matrix) -> Matrix {
        let n = outputSize, m = inputSize
        var out = Matrix(rows: a.rows, cols: m)
        a.data.withUnsafeBufferPointer { src in
            out.data.withUnsafeMutableBufferPointer { dst in
                for r in 0..<a.rows {
                    for j in 0..<n {
                        let v = src[r * n + j]
                        guard v != 0 else { continue }
                        for e in rowStart[j]..<rowStart[j + 1] { dst[r * m + columns[e]] += v * weights[e] }
                    }
                }
            }
        }
        return out
    }
}
