import CBLAS

/// A dense row-major matrix of `Double`.
///
/// Batches of flat vectors are matrices with one row per vector; bound propagation stores one
/// row per (domain, constraint) pair. Every product goes through BLAS (`cblas_dgemm`; `cblas_sgemm` in
/// ``multipliedInSingle(by:)``).
public struct Matrix: Sendable, Equatable {
    public let rows: Int
    public let cols: Int
    /// Row-major storage, `rows * cols` elements.
    public var data: [Double]

    public init(rows: Int, cols: Int, data: [Double]) {
        precondition(rows >= 0 && cols >= 0 && data.count == rows * cols,
                     "Matrix: \(data.count) elements for \(rows)x\(cols)")
        self.rows = rows
        self.cols = cols
        self.data = data
    }

    public init(rows: Int, cols: Int, repeating value: Double = 0) {
        self.init(rows: rows, cols: cols, data: [Double](repeating: value, count: rows * cols))
    }

    /// A matrix with the given rows (all of equal length).
    public init(rowVectors: [[Double]]) {
        let cols = rowVectors.first?.count ?? 0
        precondition(rowVectors.allSatisfy { $0.count == cols }, "Matrix: ragged rows")
        self.init(rows: rowVectors.count, cols: cols, data: rowVectors.flatMap { $0 })
    }

    public static func identity(_ n: Int) -> Matrix {
        var m = Matrix(rows: n, cols: n)
        for i in 0..<n { m.data[i * n + i] = 1 }
        return m
    }

    public subscript(row: Int, col: Int) -> Double {
        get { data[row * cols + col] }
        set { data[row * cols + col] = newValue }
    }

    /// Row `r` as an array.
    public func row(_ r: Int) -> [Double] { Array(data[(r * cols)..<((r + 1) * cols)]) }

    public var transposed: Matrix {
        var t = Matrix(rows: cols, cols: rows)
        data.withUnsafeBufferPointer { src in
            t.data.withUnsafeMutableBufferPointer { dst in
                for r in 0..<rows {
                    for c in 0..<cols { dst[c * rows + r] = src[r * cols + c] }
                }
            }
        }
        return t
    }

    /// Rows `range` as a new matrix.
    public func rows(_ range: Range<Int>) -> Matrix {
        Matrix(rows: range.count, cols: cols, data: Array(data[(range.lowerBound * cols)..<(range.upperBound * cols)]))
    }

    /// Each row repeated `times` times in place (row r becomes rows r*times ..< (r+1)*times).
    public func repeatingRows(_ times: Int) -> Matrix {
        var out = [Double]()
        out.reserveCapacity(data.count * times)
        for r in 0..<rows {
            let slice = data[(r * cols)..<((r + 1) * cols)]
            for _ in 0..<times { out.append(contentsOf: slice) }
        }
        return Matrix(rows: rows * times, cols: cols, data: out)
    }

    /// The rows of several matrices (of equal column count) stacked.
    public static func vstack(_ parts: [Matrix]) -> Matrix {
        guard let first = parts.first else { return Matrix(rows: 0, cols: 0) }
        precondition(parts.allSatisfy { $0.cols == first.cols }, "vstack: column counts differ")
        return Matrix(rows: parts.reduce(0) { $0 + $1.rows }, cols: first.cols, data: parts.flatMap { $0.data })
    }
}

// MARK: - Products through BLAS

extension Matrix {
    /// `op(self) * op(other)` with `op` optionally transposing, computed by `cblas_dgemm`.
    /// - Complexity: O(m·n·k) flops inside BLAS.
    public func multiplied(by other: Matrix, transposeSelf: Bool = false, transposeOther: Bool = false) -> Matrix {
        let m = transposeSelf ? cols : rows
        let k = transposeSelf ? rows : cols
        let k2 = transposeOther ? other.cols : other.rows
        let n = transposeOther ? other.rows : other.cols
        precondition(k == k2, "Matrix product: inner dimensions \(k) and \(k2) differ")
        if m == 0 || n == 0 || k == 0 { return Matrix(rows: m, cols: n) }
        // With β = 0 BLAS writes every entry of C without reading it, so C need not be zeroed first.
        let product = [Double](unsafeUninitializedCapacity: m * n) { c, initialised in
            data.withUnsafeBufferPointer { a in
                other.data.withUnsafeBufferPointer { b in
                    cblas_dgemm(CblasRowMajor,
                                transposeSelf ? CblasTrans : CblasNoTrans,
                                transposeOther ? CblasTrans : CblasNoTrans,
                                Int32(m), Int32(n), Int32(k), 1.0,
                                a.baseAddress, Int32(cols),
                                b.baseAddress, Int32(other.cols),
                                0.0, c.baseAddress, Int32(n))
                }
            }
            initialised = m * n
        }
        return Matrix(rows: m, cols: n, data: product)
    }

    public static func * (lhs: Matrix, rhs: Matrix) -> Matrix { lhs.multiplied(by: rhs) }

    /// Elementwise sum.
    public static func + (lhs: Matrix, rhs: Matrix) -> Matrix {
        precondition(lhs.rows == rhs.rows && lhs.cols == rhs.cols, "Matrix +: shapes differ")
        var out = lhs
        out.add(rhs)
        return out
    }

    /// `self += scale * other`, elementwise.
    public mutating func add(_ other: Matrix, scale: Double = 1) {
        precondition(rows == other.rows && cols == other.cols, "Matrix add: shapes differ")
        let n = data.count
        data.withUnsafeMutableBufferPointer { a in
            other.data.withUnsafeBufferPointer { b in
                for i in 0..<n { a[i] += scale * b[i] }
            }
        }
    }

    /// Adds `vector` to every row.
    public mutating func addToEachRow(_ vector: [Double]) {
        precondition(vector.count == cols, "addToEachRow: \(vector.count) values for \(cols) columns")
        let c = cols
        data.withUnsafeMutableBufferPointer { a in
            vector.withUnsafeBufferPointer { v in
                for r in 0..<rows {
                    let base = r * c
                    for j in 0..<c { a[base + j] += v[j] }
                }
            }
        }
    }

    /// Elementwise map.
    public func map(_ f: (Double) -> Double) -> Matrix {
        Matrix(rows: rows, cols: cols, data: data.map(f))
    }

    /// Sets the number of threads OpenBLAS may use (call before parallel work of your own).
    public static func setBLASThreads(_ n: Int) { openblas_set_num_threads(Int32(n)) }

    /// The number of threads OpenBLAS currently uses.
    public static var blasThreads: Int { Int(openblas_get_num_threads()) }
}
