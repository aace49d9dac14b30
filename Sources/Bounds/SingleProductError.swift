import LinearAlgebra
import NNGraph

/// The rounding error of a pull-back `A·J` computed in single precision
/// (``SinglePrecisionPullBack/pullBackInSingle(_:)``), for the backward pass's ``RoundingLedger``.
///
/// Model (IEEE 754 binary32, round to nearest, gradual underflow): rounding a finite `Double` to `Float`
/// gives `x(1 + δ) + η`, and every `Float` operation `(a ∘ b)(1 + δ) + η`, with `|δ| <= u = 2⁻²⁴` and
/// `|η| <= η₀ = 2⁻¹⁴⁹` (η only below the normal range; Higham, *Accuracy and Stability of Numerical
/// Algorithms*, 2nd ed., §2.1). With `A₃₂`, `J₃₂` the rounded operands and `P` the computed product,
/// `A·J − P = (A − A₃₂)J + A₃₂(J − J₃₂) + (A₃₂J₃₂ − P)`, and the last term is at most
/// `γ(k)|A₃₂||J₃₂| + 2kη₀` for an inner dimension `k` in any summation order, FMA or not (Lemma 3.5; the
/// `k` products' underflows are each amplified by at most `(1 + u)^k <= 2`). Using
/// `|A₃₂| <= (1 + u)|A| + η₀` and `(1 + γ(k))(1 + u)² − 1 <= γ(k + 2)` (Lemma 3.3), entry by entry
/// `|A·J − P| <= γ(k + 2)|A||J| + 1.1η₀(Σᵢ|Aᵢ| + Σᵢ|Jᵢⱼ| + 2k + 1)` while `γ(k) <= 0.01`. Weighted
/// by the input magnitudes `h` (sum `H`) and summed, a row's certificate changes by at most
/// `Σᵢ|Aᵢ|(γ(k + 2)Mᵢ + 1.1η₀H) + 1.1η₀((2k + 1)H + Σᵢ Mᵢ)` for any `M >= |J|h`.
enum SingleProductError {
    /// The unit roundoff `u = 2⁻²⁴` of `Float`.
    static let unit = Double(Float.ulpOfOne) / 2
    /// A bound on the absolute error of one `Float` rounding below the normal range.
    static let underflow = Double(Float.leastNonzeroMagnitude)

    /// `γ(n)` for `Float`, or nil beyond the error model (`n·u >= 0.01`).
    static func gamma(_ n: Int) -> Double? {
        let nu = Double(n) * unit
        return nu < 0.01 ? nu / (1 - nu) : nil
    }

    /// For linear operator `op` with double-precision rounding image `image`
    /// (``RoundingError/linearImageError(_:inputMagnitudes:)`` on input magnitudes `h`): per domain, the
    /// `weights` (one per output neuron) and `constant` such that `Σᵢ|Aᵢ|·weightsᵢ + constant` bounds the
    /// single-precision product's error for a row `A` of that domain. The image divided by `γ(N)` of
    /// double precision is at least `|J|h + |b| >= |J|h`, the `M` above. Nil when the inner dimension is
    /// beyond the model or a magnitude is not finite (then the product is computed in double).
    static func terms(_ op: any Operator, image: Matrix, inputMagnitudes h: Matrix) -> (weights: Matrix, constant: [Double])? {
        let k = op.outputSize
        guard let g = gamma(k + 2), h.data.allSatisfy(\.isFinite), image.data.allSatisfy(\.isFinite) else { return nil }
        let g64 = RoundingError.gamma(RoundingError.terms(of: op, inputSizes: [h.cols]))
        let ratio = g / g64
        let eta = 1.1 * underflow
        var weights = image
        var constant = [Double](repeating: 0, count: image.rows)
        let n = image.cols, m = h.cols
        for d in 0..<image.rows {
            var total = 0.0, sumM = 0.0
            for j in 0..<m { total += h.data[d * m + j] }
            for i in 0..<n {
                sumM += image.data[d * n + i] / g64
                weights.data[d * n + i] = ratio * image.data[d * n + i] + eta * total
            }
            constant[d] = eta * (Double(2 * k + 1) * total + sumM)
        }
        return (weights, constant)
    }
}
