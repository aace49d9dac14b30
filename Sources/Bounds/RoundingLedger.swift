import LinearAlgebra
import NNGraph

/// The rounding error of one backward bound pass, per objective row (Docs/soundness.md).
///
/// A backward pass keeps, per row, coefficients `A` on some value `h` and a constant `c` with
/// `objective >= A·h + c`. Each floating-point step replaces an exact identity by a computed one;
/// the ledger adds, per row, a bound on `|exact − computed|` evaluated on the value's magnitudes:
/// - pulling `A` back through a linear operator: `Σ|A|·γ(N)(|J|h + |b|)`, plus, when the product `A·J`
///   was computed in single precision, ``SingleProductError``'s terms;
/// - adding to the constant, or adding two coefficient blocks at a branch merge: `2u` of the result;
/// - an activation step: `2u·|A'|·h` for the new coefficients, `γ(n+1)(Σ|A·intercept| + |c|)` for
///   the intercept sum, and `|A|·defect` for lines that hold only up to a rounding defect;
/// - the final minimum over the box: `γ(n+1)(|c| + Σ|a₀|·h₀)`.
/// The caller subtracts the total from the bound (and the chain part from the certificate's
/// constant), which makes both valid in exact arithmetic.
struct RoundingLedger {
    /// Per row, the error of the chain so far (applies to the certificate `a₀·x + c`).
    var chain: [Double]
    /// Domain of each row.
    let rowDomain: [Int]

    init(rows: Int, rowDomain: [Int]) {
        chain = [Double](repeating: 0, count: rows)
        self.rowDomain = rowDomain
    }

    /// Before `A` (on the operator's output) is pulled back through a linear operator whose
    /// rounding image (``RoundingError/linearImageError(_:inputMagnitudes:)``) is `image`.
    mutating func pullBack(_ a: Matrix, image: Matrix) {
        let n = a.cols
        a.data.withUnsafeBufferPointer { coefs in
        image.data.withUnsafeBufferPointer { w in
            for r in 0..<a.rows {
                chain[r] += Self.weightedAbsSum(coefs, from: r * n, weights: w, from: rowDomain[r] * n, count: n)
            }
        }}
    }

    /// Before `A` is pulled back through a linear operator with the product in single precision: `weights`
    /// (the rounding image plus the single product's weights) and `constant`, per domain, from
    /// ``CROWN/RelaxationCache/singleImage(ofNode:network:)``.
    mutating func pullBackInSingle(_ a: Matrix, weights: Matrix, constant: [Double]) {
        pullBack(a, image: weights)
        for r in 0..<chain.count { chain[r] += constant[rowDomain[r]] }
    }

    /// `Σⱼ |a[i + j]|·w[k + j]` for `j < count`, in four interleaved partial sums (the result bounds an
    /// error; ``RoundingError/termSafety`` covers its own rounding in any summation order).
    @inline(__always)
    static func weightedAbsSum(_ a: UnsafeBufferPointer<Double>, from i: Int, weights w: UnsafeBufferPointer<Double>,
                               from k: Int, count n: Int) -> Double {
        var s4 = SIMD4<Double>()
        var j = 0
        while j + 4 <= n {
            let coefficients: SIMD4<Double> = CROWN.abs4(CROWN.load4(a, i + j))
            let weights: SIMD4<Double> = CROWN.load4(w, k + j)
            s4 += coefficients * weights
            j += 4
        }
        var s = s4.sum()
        while j < n { s += abs(a[i + j]) * w[k + j]; j += 1 }
        return s
    }

    /// After one addition into every row's constant.
    mutating func constantUpdated(_ constant: [Double]) {
        for r in 0..<chain.count { chain[r] += 2 * RoundingError.unit * abs(constant[r]) }
    }

    /// After two coefficient blocks on a value with magnitudes `h` were added into `sum`.
    mutating func merged(_ sum: Matrix, magnitudes h: Matrix) {
        let n = sum.cols
        sum.data.withUnsafeBufferPointer { a in
        h.data.withUnsafeBufferPointer { w in
            for r in 0..<sum.rows {
                chain[r] += 2 * RoundingError.unit * Self.weightedAbsSum(a, from: r * n, weights: w, from: rowDomain[r] * n, count: n)
            }
        }}
    }

    /// One row's activation step: `scaled = Σ|A'ⱼ|hⱼ` over the new coefficients, `intercepts =
    /// Σ|Aⱼ·interceptⱼ|`, `defects = Σ|Aⱼ|·defectⱼ`, `n` neurons, `constant` the row's constant after it.
    mutating func activation(row r: Int, scaled: Double, intercepts: Double, defects: Double, n: Int, constant: Double) {
        chain[r] += 2 * RoundingError.unit * scaled + RoundingError.gamma(n + 1) * (intercepts + abs(constant)) + defects
    }

    /// The error of `min over the box of a₀·x + c` per row, `h0` the input magnitudes.
    func concretisation(_ a0: Matrix, constant: [Double], inputMagnitudes h0: Matrix) -> [Double] {
        let n = a0.cols
        let g = RoundingError.gamma(n + 1)
        return (0..<a0.rows).map { r in
            let rb = r * n, base = rowDomain[r] * n
            var s = abs(constant[r])
            for j in 0..<n { s += abs(a0.data[rb + j]) * h0.data[base + j] }
            return g * s
        }
    }

    /// Moves `lower` and `constant` down by their errors (with ``RoundingError/termSafety``).
    func settle(lower: inout [Double], constant: inout [Double], concretisation: [Double]) {
        for r in 0..<chain.count {
            let e = chain[r] * RoundingError.termSafety
            constant[r] -= e
            lower[r] -= e + concretisation[r] * RoundingError.termSafety
        }
    }
}
