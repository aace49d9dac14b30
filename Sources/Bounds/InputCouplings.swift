import LinearAlgebra
import NNGraph

/// Linear constraints `g_k·x + d_k <= 0` over the network input that every point of the input region
/// satisfies besides its box (a VNN-LIB 2.0 case's couplings such as `X_f[0] >= X_g[0]`). CROWN takes
/// them into its concretisation through Lagrange multipliers (``CROWN/coupled(with:)``).
///
/// The constants are stored lowered by the rounding error of evaluating each constraint in `Double`
/// over the region, so every input that a floating-point check of `g·x + d <= 0` accepts satisfies the
/// stored row exactly; a strict `< 0` is read as its closure. Both only enlarge the region: sound.
public struct InputCouplings: Sendable, Equatable {
    /// `K x n`: row `k` holds `g_k`.
    public let rows: Matrix
    /// `d_k`, lowered as described above.
    public let constants: [Double]

    /// - Parameters:
    ///   - coefficients: `g_k` per constraint, each of the input's size.
    ///   - constants: `d_k` per constraint.
    ///   - magnitudes: a bound on `|x_j|` over the region (e.g. `max(|lower|, |upper|)` of its box).
    public init(coefficients: [[Double]], constants: [Double], magnitudes: [Double]) {
        precondition(coefficients.count == constants.count, "InputCouplings: one constant per row")
        let n = magnitudes.count
        var data = [Double]()
        data.reserveCapacity(coefficients.count * n)
        var lowered = [Double]()
        for (g, d) in zip(coefficients, constants) {
            precondition(g.count == n, "InputCouplings: a row of \(g.count) coefficients for \(n) inputs")
            data += g
            // The check sums n + 1 terms: its error is at most γ(n+1)·(|d| + Σ|g_j||x_j|), and (n+2)·2⁻⁵²
            // exceeds γ(n+1) (as for the LP's rows); the subtraction is rounded down by one ulp.
            var scale = abs(d)
            for j in 0..<n { scale += abs(g[j]) * magnitudes[j] }
            lowered.append((d - Double(n + 2) * Double.ulpOfOne * scale).nextDown)
        }
        rows = Matrix(rows: coefficients.count, cols: n, data: data)
        self.constants = lowered
    }

    /// Number of constraints.
    public var count: Int { constants.count }
}

/// The multipliers of one objective row (Lagrangian relaxation of the couplings).
///
/// For any `λ >= 0`, `min over box ∩ {G·x + d <= 0} of a·x + c >= min over box of (a + λG)·x + c + λ·d`,
/// because the added term is `<= 0` on the region. The right side `φ(λ)` is concave and piecewise
/// linear; in one multiplier its slope is `g·x*(λ) + d` with `x*` the box corner the combined
/// coefficients pick, and it drops by `|g_j|·(hi_j − lo_j)` where coefficient `j` changes sign. The
/// exact maximiser in one multiplier is found by walking those breakpoints in order; with several
/// constraints, coordinate ascent. With one constraint the maximum equals the LP optimum over box ∩
/// halfspace (LP duality). The multipliers only pick a bound: ``CouplingBound`` evaluates it soundly.
enum CouplingMultipliers {
    /// Coordinate-ascent sweeps over the constraints (one suffices for a single constraint).
    static let sweeps = 4

    /// Multipliers `λ >= 0` for the row `a·x + c` on `[lo, hi]` (all finite), or nil when all are 0.
    static func choose(a: UnsafeBufferPointer<Double>, c: Double, lo: UnsafeBufferPointer<Double>,
                       hi: UnsafeBufferPointer<Double>, couplings: InputCouplings) -> [Double]? {
        let n = a.count, k = couplings.count
        var combined = Array(a), constant = c
        var lambda = [Double](repeating: 0, count: k)
        var breakpoints = [(t: Double, drop: Double)]()
        for sweep in 0..<(k == 1 ? 1 : sweeps) {
            var moved = false
            for q in 0..<k {
                // (A slice keeps the array's indices: row q's entries are at q·n + j.)
                let g = couplings.rows.data[(q * n)..<((q + 1) * n)], d = couplings.constants[q]
                let old = lambda[q]
                if old != 0 {
                    for j in 0..<n { combined[j] -= old * g[q * n + j] }
                    constant -= old * d
                }
                // Slope just right of 0, and the breakpoints where a coefficient changes sign.
                var slope = d
                breakpoints.removeAll(keepingCapacity: true)
                for j in 0..<n {
                    let gj = g[q * n + j], b = combined[j]
                    guard gj != 0 else { continue }
                    let positive = b > 0 || (b == 0 && gj > 0)
                    slope += gj * (positive ? lo[j] : hi[j])
                    if b != 0 && (b > 0) != (gj > 0) { breakpoints.append((-b / gj, abs(gj) * (hi[j] - lo[j]))) }
                }
                var best = 0.0
                if slope > 0 {
                    breakpoints.sort { $0.t < $1.t }
                    var reached = false
                    for p in breakpoints {
                        best = p.t
                        slope -= p.drop
                        if slope <= 0 { reached = true; break }
                    }
                    if !reached {
                        // φ grows without limit: no input of the box satisfies the constraint (given the other
                        // multipliers). Go far enough past the last breakpoint that the bound is clearly positive.
                        var value = constant + best * d
                        for j in 0..<n {
                            let coef = combined[j] + best * g[q * n + j]
                            value += coef >= 0 ? coef * lo[j] : coef * hi[j]
                        }
                        best += (abs(value) + 1) / max(slope, Double.leastNormalMagnitude)
                    }
                }
                guard best.isFinite else { best = old; continue }
                lambda[q] = best
                if best != 0 {
                    for j in 0..<n { combined[j] += best * g[q * n + j] }
                    constant += best * d
                }
                if abs(best - old) > 1e-12 * (1 + abs(old)) { moved = true }
            }
            if !moved && sweep > 0 { break }
        }
        return lambda.contains { $0 != 0 } ? lambda : nil
    }
}

/// The Lagrangian bound of one row for given multipliers, with every rounding accounted for.
enum CouplingBound {
    /// `min over [lo, hi] of (a + λG)·x + c + λ·d` moved down by its rounding errors, and the
    /// certificate `(a + λG, c')` with `objective >= a'·x + c'` at every point of the box that satisfies
    /// the couplings. `h` holds `max(|lo_j|, |hi_j|)`.
    ///
    /// Rounding: the combined coefficients and constant are sums of `K + 1` products, off by at most
    /// `γ(K+1)·(|a_j| + Σλ|g_kj|)` (resp. `γ(K+1)·(|c| + Σλ|d_k|)`); over the box the coefficient error
    /// costs at most its sum weighted by `h`. The final minimum over the box is off by at most
    /// `γ(n+1)·(|c'| + Σ|a'_j|h_j)`, as in ``RoundingLedger/concretisation(_:constant:inputMagnitudes:)``.
    static func evaluate(a: UnsafeBufferPointer<Double>, c: Double, lambda: [Double], lo: UnsafeBufferPointer<Double>,
                         hi: UnsafeBufferPointer<Double>, h: UnsafeBufferPointer<Double>, couplings: InputCouplings)
        -> (lower: Double, coefficients: [Double], constant: Double) {
        let n = a.count, k = couplings.count
        let combine = RoundingError.gamma(k + 1)
        var coefficients = Array(a)
        var weight = 0.0  // Σ_j (|a_j| + Σλ|g_kj|)·h_j
        for j in 0..<n { weight += abs(a[j]) * h[j] }
        var constant = c, constantWeight = abs(c)
        for q in 0..<k where lambda[q] != 0 {
            let l = lambda[q], base = q * n
            for j in 0..<n {
                let g = couplings.rows.data[base + j]
                coefficients[j] += l * g
                weight += l * abs(g) * h[j]
            }
            constant += l * couplings.constants[q]
            constantWeight += l * abs(couplings.constants[q])
        }
        constant = (constant - combine * (weight + constantWeight) * RoundingError.termSafety).nextDown
        var lower = constant, spread = abs(constant)
        for j in 0..<n {
            let coef = coefficients[j]
            lower += coef >= 0 ? coef * lo[j] : coef * hi[j]
            spread += abs(coef) * h[j]
        }
        lower = (lower - RoundingError.gamma(n + 1) * spread * RoundingError.termSafety).nextDown
        return (lower, coefficients, constant)
    }
}

extension CROWN {
    /// This CROWN with `couplings` taken into every concretisation (objective and intermediate bounds,
    /// fixed and optimised lines): each bound then holds on the part of each input box that satisfies
    /// them, and so do the certificates (``LinearLowerBound/inputCoefficients``). Nil or empty: the box only.
    public func coupled(with couplings: InputCouplings?) -> CROWN {
        var copy = self
        copy.couplings = (couplings?.count ?? 0) > 0 ? couplings : nil
        return copy
    }

    /// Replaces each finite row's bound and certificate by its Lagrangian bound (``CouplingMultipliers``,
    /// ``CouplingBound``) where that is higher. Boxes with an infinite end are left alone.
    func applyCouplings(_ couplings: InputCouplings, lower: inout [Double], coefficients a0: inout Matrix,
                        constant: inout [Double], input: IntervalMatrix, magnitudes h0: Matrix, rowDomain: [Int]) {
        let n = a0.cols
        guard couplings.rows.cols == n, n > 0 else { return }
        let finiteDomain = (0..<input.rows).map { d in
            (0..<n).allSatisfy { input.lower.data[d * n + $0].isFinite && input.upper.data[d * n + $0].isFinite }
        }
        input.lower.data.withUnsafeBufferPointer { lo in
        input.upper.data.withUnsafeBufferPointer { hi in
        h0.data.withUnsafeBufferPointer { h in
            for r in 0..<a0.rows where lower[r].isFinite && finiteDomain[rowDomain[r]] {
                let base = rowDomain[r] * n
                let box = (UnsafeBufferPointer(rebasing: lo[base..<(base + n)]), UnsafeBufferPointer(rebasing: hi[base..<(base + n)]))
                let result: (lower: Double, coefficients: [Double], constant: Double)? = a0.data.withUnsafeBufferPointer { all in
                    let a = UnsafeBufferPointer(rebasing: all[(r * n)..<((r + 1) * n)])
                    guard let lambda = CouplingMultipliers.choose(a: a, c: constant[r], lo: box.0, hi: box.1, couplings: couplings)
                    else { return nil }
                    return CouplingBound.evaluate(a: a, c: constant[r], lambda: lambda, lo: box.0, hi: box.1,
                                                  h: UnsafeBufferPointer(rebasing: h[base..<(base + n)]), couplings: couplings)
                }
                guard let result, result.lower > lower[r], result.lower.isFinite else { continue }
                lower[r] = result.lower
                constant[r] = result.constant
                for j in 0..<n { a0.data[r * n + j] = result.coefficients[j] }
            }
        }}}
    }
}
