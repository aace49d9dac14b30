import Bounds
import LinearAlgebra

/// The per-neuron linear bounds of ``LinearJacobian``, with intercepts rounded outward so that each
/// line holds in exact arithmetic on its stored slope and intercept.
extension LinearJacobian {
    /// `z = y·d` with `y ∈ [yl, yh]`, `d ∈ [dl, dh]` (entrywise, one row per domain).
    ///
    /// Since `dl ≤ dh`, `max(dl·y, dh·y)` is `dl·y` for `y ≤ 0` and `dh·y` for `y ≥ 0` (convex), and
    /// `min(dl·y, dh·y)` the reverse (concave). When `y` keeps one sign the bounds are those lines
    /// themselves (exact, intercept 0); otherwise the chords through `(yl, ·)` and `(yh, ·)`, which lie
    /// above the convex envelope and below the concave one on `[yl, yh]`.
    static func relaxation(low: Matrix, high: Matrix, yl: Matrix, yh: Matrix) -> Relaxation {
        let count = low.data.count
        var su = Matrix(rows: low.rows, cols: low.cols), bu = su, sl = su, bl = su, point = su
        var stable = [Bool](repeating: false, count: count)
        for k in 0..<count {
            let dl = low.data[k], dh = high.data[k], l = yl.data[k], h = yh.data[k]
            if dl == dh { stable[k] = true; point.data[k] = dl; continue }
            if l >= 0 { su.data[k] = dh; sl.data[k] = dl; continue }
            if h <= 0 { su.data[k] = dl; sl.data[k] = dh; continue }
            guard l.isFinite, h.isFinite, dl.isFinite, dh.isFinite else {
                bu.data[k] = .infinity
                bl.data[k] = -.infinity
                continue
            }
            let upperSlope = (h * dh - l * dl) / (h - l)
            su.data[k] = upperSlope
            bu.data[k] = max(interceptAbove(value: l * dl, slope: upperSlope, at: l),
                             interceptAbove(value: h * dh, slope: upperSlope, at: h))
            let lowerSlope = (h * dl - l * dh) / (h - l)
            sl.data[k] = lowerSlope
            bl.data[k] = min(-interceptAbove(value: -(l * dh), slope: -lowerSlope, at: l),
                             -interceptAbove(value: -(h * dl), slope: -lowerSlope, at: h))
        }
        return Relaxation(su: su, bu: bu, sl: sl, bl: bl, point: point, stable: stable)
    }

    /// A number `b` with `f + … ≤ s·x + b` at the point `x`, where `value` is the float product for
    /// `f(x)` (off by at most `u|value|`): `b ≥ value − s·x` plus every rounding of the three operations.
    static func interceptAbove(value: Double, slope s: Double, at x: Double) -> Double {
        let u = RoundingError.unit
        let sx = s * x, t = value - sx
        return (t + 2 * u * (abs(value) + abs(sx) + abs(t)) + Double.leastNormalMagnitude).nextUp
    }

    /// `|g| ≤ slope·g + intercept` for `g ∈ [l, u]`: the chord of the convex `|·|` (exact where the
    /// sign is known).
    static func absoluteChord(_ l: Double, _ u: Double) -> (slope: Double, intercept: Double) {
        if l >= 0 { return (1, 0) }
        if u <= 0 { return (-1, 0) }
        guard l.isFinite, u.isFinite else { return (0, .infinity) }
        let a = min(1, max(-1, (u + l) / (u - l)))
        return (a, max(interceptAbove(value: -l, slope: a, at: l), interceptAbove(value: u, slope: a, at: u)))
    }
}
