import CBLAS

/// A dense row-major matrix of `Float`: a ``Matrix``'s entries rounded to single precision, kept for
/// products through `cblas_sgemm` (about twice the speed of `dgemm` per flop on this kind of CPU).
///
/// Rounding a finite `Double` `x` to `Float` gives `x(1 + δ) + η` with `|δ| <= 2⁻²⁴` and `|η| <= 2⁻¹⁵⁰`
/// (the latter only below `Float`'s normal range); a value beyond `Float`'s range becomes infinite, which
/// ``Matrix/multipliedInSingle(by:)`` detects.
public struct SingleMatrix: Sendable {
    public let rows: Int
    public let cols: Int
    public let data: [Float]

    public init(_ m: Matrix) {
        rows = m.rows
        cols = m.cols
        data = m.data.map { Float($0) }
    }
}

extension Matrix {
    /// `self · other` computed by `cblas_sgemm` on `self` rounded to `Float`, returned in `Double` (exactly
    /// the single-precision result); nil when an entry of that result is not finite (a value beyond `Float`'s
    /// range, or a non-finite entry of `self`), so the caller can compute the product in double instead.
    /// The caller accounts for the rounding: see `RoundingError.singleProductError` in the Bounds module.
    /// - Complexity: O(m·n·k) flops inside BLAS, plus one conversion pass over `self` and one over the result.
    public func multipliedInSingle(by other: SingleMatrix) -> Matrix? {
        precondition(cols == other.rows, "Matrix product: inner dimensions \(cols) and \(other.rows) differ")
        let m = rows, k = cols, n = other.cols
        if m == 0 || n == 0 || k == 0 { return Matrix(rows: m, cols: n) }
        let a = [Float](unsafeUninitializedCapacity: m * k) { out, initialised in
            data.withUnsafeBufferPointer { src in
                for i in 0..<(m * k) { out[i] = Float(src[i]) }
            }
            initialised = m * k
        }
        // With β = 0 BLAS writes every entry of C without reading it, so C need not be zeroed first.
        let c = [Float](unsafeUninitializedCapacity: m * n) { out, initialised in
            a.withUnsafeBufferPointer { pa in
                other.data.withUnsafeBufferPointer { pb in
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(m), Int32(n), Int32(k), 1,
                                pa.baseAddress, Int32(k), pb.baseAddress, Int32(n), 0, out.baseAddress, Int32(n))
                }
            }
            initialised = m * n
        }
        var finite = true
        let product = [Double](unsafeUninitializedCapacity: m * n) { out, initialised in
            c.withUnsafeBufferPointer { src in
                for i in 0..<(m * n) {
                    let x = src[i]
                    finite = finite && x.isFinite
                    out[i] = Double(x)
                }
            }
            initialised = m * n
        }
        return finite ? Matrix(rows: m, cols: n, data: product) : nil
    }
}
