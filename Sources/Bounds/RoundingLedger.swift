import LinearAlgebra
import NNGraph

/// The rounding error of one backward bound pass, per objective row (Docs/soundness.md).
///
/// A backward pass keeps, per row, coefficients `A` on some value `h` and a constant `c` with
/// `objective >= A·h + c`. Each floating-point step replaces an exact identity by a computed one;
/// the ledger adds, per row, a bound on `|exact − computed|` evaluated on the value's magnitudes:
/// - pulling `A` back through a linear operator: `Σ|A|·γ(N)(|J|h + |b|)`;
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
                let rb = r * n, base = rowDomain[r] * n
                var s = 0.0
                for j in 0..<n { s += abs(coefs[rb + j]) * w[base + j] }
                chain[r] += s
            }
        }}
    }

    /// After one addition into every row's constant.
    mutating func constantUpdated(_ constant: [Double]) {
        for r in 0..<chain.count { chain[r] += 2 * RoundingError.unit * abs(constant[r]) }
    }

    /// After two coefficient blocks on a value with magnitudes `h` were added into `sum`.
    mutating func merged(_ sum: Matrix, magnitudes h: Matrix) {
        let n = sum.cols
        for r in 0..<sum.rows {
            let rb = r * n, base = rowDomain[r] * n
            var s = 0.0
            for j in 0..<n { s += abs(sum.data[rb + j]) * h.data[base + j] }
            chain[r] += 2 * RoundingError.unit * s
        }
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

extension RoundingError {
    /// How far the line `s·z + c` may fall on the wrong side of the activation on `[l, u]`
    /// (0 when it provably cannot). `lowerLine`: the line must stay below the function.
    ///
    /// ReLU (convex, kink at 0): a lower line with `c = 0` and `0 <= s <= 1` holds everywhere, and
    /// the stable lines `z` (for `l >= 0`) and `0` (for `u <= 0`) are exact; otherwise the
    /// violation is measured at the end points (and at 0 for a lower line) and raised by `4u` of
    /// the terms involved. Sigmoid and tanh lines are built from function values at chosen points
    /// (``ElementwiseActivation/relaxations(lower:upper:)``, and the tangent lines of
    /// ``SShapedActivation/tangentLine(lower:parameter:neuron:ranges:)``), valid in exact arithmetic; their
    /// rounding and the library functions' error are covered by `16u·(1 + |s|·h + |c|)`.
    public static func lineDefect(isReLU: Bool, lowerLine: Bool, l: Double, u: Double, s: Double, c: Double) -> Double {
        let h = max(abs(l), abs(u))
        guard isReLU else { return 16 * unit * (1 + abs(s) * h + abs(c)) }
        if lowerLine {
            if c == 0 && s >= 0 && s <= 1 { return 0 }
            var worst = max(s * l + c - max(l, 0), s * u + c - max(u, 0))
            if l < 0 && u > 0 { worst = max(worst, c) }
            return max(worst, 0) + 4 * unit * (abs(s) * h + abs(c) + h)
        }
        if c == 0 && ((s == 1 && l >= 0) || (s == 0 && u <= 0)) { return 0 }
        let worst = max(max(l, 0) - (s * l + c), max(u, 0) - (s * u + c))
        return max(worst, 0) + 4 * unit * (abs(s) * h + abs(c) + h)
    }

    /// ``lineDefect(isReLU:lowerLine:l:u:s:c:)`` for every neuron of a relaxation, both lines.
    static func lineDefects(isReLU: Bool, lower: [Double], upper: [Double], relaxation rx: RelaxationArrays)
        -> (lower: [Double], upper: [Double]) {
        var low = [Double](repeating: 0, count: lower.count), up = low
        for k in 0..<lower.count {
            low[k] = lineDefect(isReLU: isReLU, lowerLine: true, l: lower[k], u: upper[k],
                                s: rx.lowerSlope[k], c: rx.lowerIntercept[k])
            up[k] = lineDefect(isReLU: isReLU, lowerLine: false, l: lower[k], u: upper[k],
                               s: rx.upperSlope[k], c: rx.upperIntercept[k])
        }
        return (low, up)
    }

    /// Defects of ReLU's unstable upper chord `s = u/(u − l)`, `c = −s·l` per neuron (0 elsewhere;
    /// the lower lines used with it, `α·z` with `α` in [0, 1], hold everywhere).
    static func reluChordDefects(lower: [Double], upper: [Double]) -> (lower: [Double], upper: [Double]) {
        var up = [Double](repeating: 0, count: lower.count)
        for k in 0..<lower.count where lower[k] < 0 && upper[k] > 0 {
            let s = upper[k] / (upper[k] - lower[k])
            up[k] = lineDefect(isReLU: true, lowerLine: false, l: lower[k], u: upper[k], s: s, c: -s * lower[k])
        }
        return ([Double](repeating: 0, count: lower.count), up)
    }
}
