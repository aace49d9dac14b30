import Bounds

/// The norm measuring input perturbations. A Lipschitz constant with respect to it bounds the
/// gradient of a scalar output in the dual norm: `|g(x) − g(x')| ≤ sup‖∇g‖_* · ‖x − x'‖`.
public enum InputNorm: String, Sendable, CaseIterable {
    case linf, l2, l1

    /// The name of the dual norm (for tables).
    public var dualName: String {
        switch self {
        case .linf: return "l1"
        case .l2: return "l2"
        case .l1: return "linf"
        }
    }

    /// `‖v‖_*` in plain floating point (for gradients at points: estimates, not bounds).
    public func dual(_ v: [Double]) -> Double {
        switch self {
        case .linf: return v.reduce(0) { $0 + abs($1) }
        case .l2: return v.reduce(0) { $0 + $1 * $1 }.squareRoot()
        case .l1: return v.reduce(0) { max($0, abs($1)) }
        }
    }

    /// An upper bound of `‖v‖_*` in exact arithmetic over every `v` with `lower ≤ v ≤ upper`. The dual
    /// norms are monotone in every `|v_i|`, so the maximum is at `|v_i| = max(|lower_i|, |upper_i|)`;
    /// the sum (of squares) is rounded up by `γ(n + 2)` relative, and the square root by one more ulp.
    public func dualUpperBound(lower: ArraySlice<Double>, upper: ArraySlice<Double>) -> Double {
        let magnitudes = zip(lower, upper).map { max(abs($0), abs($1)) }
        let slack = 1 + 2 * RoundingError.gamma(magnitudes.count + 2)
        switch self {
        case .linf: return (magnitudes.reduce(0, +) * slack).nextUp
        case .l2: return (magnitudes.reduce(0) { $0 + $1 * $1 } * slack).squareRoot().nextUp.nextUp
        case .l1: return magnitudes.max() ?? 0
        }
    }

    /// The operator norm `‖J‖_{p→p}` of a matrix for this `p`, or a sound upper bound of it (for `l2`,
    /// `min(‖J‖_F, √(‖J‖₁‖J‖_∞))`, both ≥ the spectral norm), rounded up.
    func operatorNormBound(rows: Int, cols: Int, entries: [Double]) -> Double {
        var rowSums = [Double](repeating: 0, count: rows), colSums = [Double](repeating: 0, count: cols)
        var frobenius = 0.0
        for r in 0..<rows {
            for c in 0..<cols {
                let a = abs(entries[r * cols + c])
                rowSums[r] += a
                colSums[c] += a
                frobenius += a * a
            }
        }
        let slack = 1 + 2 * RoundingError.gamma(rows + cols + 2)
        let infNorm = (rowSums.max() ?? 0) * slack, oneNorm = (colSums.max() ?? 0) * slack
        switch self {
        case .linf: return infNorm
        case .l1: return oneNorm
        case .l2: return (min(frobenius * slack, infNorm * oneNorm * slack)).squareRoot().nextUp.nextUp
        }
    }
}
