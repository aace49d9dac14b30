import Foundation
import LinearAlgebra

/// A smooth activation whose curvature changes sign only at a few known points (GELU, SiLU): between
/// consecutive inflection points `f'` is monotone, which is all its relaxation needs.
///
/// - On an interval with no inflection point inside, `f` is convex or concave there: chord on one side,
///   tangents (an alpha-CROWN family) on the other.
/// - Across an inflection point, each side is a fixed line of slope `s` (the best at the midpoint among
///   the chord's slope and `f'` at both ends and the midpoint) shifted to touch `f`: its intercept is the
///   exact minimum (maximum) of `h(x) = f(x) − s·x` on `[l, u]`, found by ``InflectedExtremes``.
/// - The interval image is the extremes of `f` itself (`s = 0`), with the limits at infinite ends.
public protocol InflectedActivation: SmoothActivation {
    /// Points where `f''` changes sign, ascending (finite).
    var inflections: [Double] { get }
    /// `+1` when `f` is convex left of the first inflection point, `−1` when concave.
    var leftCurvature: Double { get }
    /// An interval holding every stationary point of `f` (where `f' = 0`); outside it `f` is monotone.
    var stationaryRange: ClosedRange<Double> { get }
    /// `lim f(x)` for `x → −∞` and `x → +∞` (possibly infinite).
    var limits: (minusInfinity: Double, plusInfinity: Double) { get }
}

public extension InflectedActivation {
    /// `f'(x) − s = 0` has at most one root between consecutive inflection points, so `h = f − s·x` has
    /// its extremes at the ends, at the inflection points or at those roots.
    func smoothLines(l: Double, u: Double) -> (lower: SmoothLine, upper: SmoothLine) {
        let fl = value(l), fu = value(u)
        let inside = inflections.filter { $0 > l && $0 < u }
        if inside.isEmpty {
            let k = inflections.filter { $0 <= l }.count
            let convex = (k % 2 == 0 ? leftCurvature : -leftCurvature) > 0
            return convex ? SmoothPieces.convex(l, u, fl, fu) : SmoothPieces.concave(l, u, fl, fu)
        }
        let m = 0.5 * (l + u)
        let slopes = [(fu - fl) / (u - l), derivative(l), derivative(u), derivative(m)].filter(\.isFinite)
        var lower: (s: Double, c: Double)?, upper: (s: Double, c: Double)?
        for s in slopes {
            let e = InflectedExtremes.of(self, slope: s, l: l, u: u)
            guard e.min.isFinite && e.max.isFinite else { continue }
            if lower == nil || s * m + e.min > lower!.s * m + lower!.c { lower = (s, e.min) }
            if upper == nil || s * m + e.max < upper!.s * m + upper!.c { upper = (s, e.max) }
        }
        guard let lower, let upper else {
            let b = safeInterval(l, u)
            return (.fixed(slope: 0, intercept: b.lower), .fixed(slope: 0, intercept: b.upper))
        }
        return (.fixed(slope: lower.s, intercept: lower.c), .fixed(slope: upper.s, intercept: upper.c))
    }

    /// The extremes of `f` on `[l, u]`: the ends (their limits when infinite) and the stationary points,
    /// which lie in ``stationaryRange``.
    func imageBounds(_ l: Double, _ u: Double) -> (lower: Double, upper: Double) {
        guard l <= u else { return (-.infinity, .infinity) }
        func end(_ x: Double) -> Double {
            x == -.infinity ? limits.minusInfinity : x == .infinity ? limits.plusInfinity : value(x)
        }
        var lo = min(end(l), end(u)), hi = max(end(l), end(u))
        let a = max(l, stationaryRange.lowerBound), b = min(u, stationaryRange.upperBound)
        if a < b {
            let e = InflectedExtremes.of(self, slope: 0, l: a, u: b)
            lo = min(lo, e.min)
            hi = max(hi, e.max)
        } else if a == b {
            lo = min(lo, value(a))
            hi = max(hi, value(a))
        }
        return (lo, hi)
    }
}

/// Extremes of `h(x) = f(x) − s·x` on a finite `[l, u]` for an ``InflectedActivation``.
public enum InflectedExtremes {
    /// Splits `[l, u]` at the inflection points; on each piece `h' = f' − s` is monotone, so it changes
    /// sign at most once. Where it does, bisection narrows a bracket `[a, b]` around the root; as `|h'|`
    /// on the bracket is at most `max(|h'(a)|, |h'(b)|)` (monotone), `h` on it lies within
    /// `(b − a)·max(|h'(a)|, |h'(b)|)` of `h(a)` and of `h(b)`, which the result includes: a bound that
    /// holds whatever bracket bisection stopped at. Evaluation rounding is the line's defect
    /// (``SmoothDefect``). Non-finite values give a non-finite result (the caller falls back).
    public static func of<F: InflectedActivation>(_ f: F, slope s: Double, l: Double, u: Double) -> (min: Double, max: Double) {
        func h(_ x: Double) -> Double { f.value(x) - s * x }
        let cuts = [l] + f.inflections.filter { $0 > l && $0 < u } + [u]
        var lo = Double.infinity, hi = -Double.infinity
        for x in cuts {
            let v = h(x)
            lo = min(lo, v)
            hi = max(hi, v)
            if !v.isFinite { return (-.infinity, .infinity) }
        }
        for i in 0..<(cuts.count - 1) {
            var a = cuts[i], b = cuts[i + 1]
            var ga = f.derivative(a) - s, gb = f.derivative(b) - s
            guard ga.isFinite && gb.isFinite else { return (-.infinity, .infinity) }
            guard (ga < 0 && gb > 0) || (ga > 0 && gb < 0) else { continue }
            for _ in 0..<80 {
                let mid = 0.5 * (a + b)
                guard mid > a && mid < b else { break }
                let gm = f.derivative(mid) - s
                if (gm < 0) == (ga < 0) { a = mid; ga = gm } else { b = mid; gb = gm }
            }
            let slack = (b - a) * max(abs(ga), abs(gb))
            let ha = h(a), hb = h(b)
            lo = min(lo, min(ha, hb) - slack)
            hi = max(hi, max(ha, hb) + slack)
        }
        return (lo, hi)
    }

    /// The roots of `g` on `[from, to]` found by scanning `steps` cells and bisecting each sign change
    /// (for inflection points computed once from `f''`).
    public static func roots(of g: (Double) -> Double, from: Double, to: Double, steps: Int = 4000) -> [Double] {
        var out = [Double]()
        var x0 = from, g0 = g(from)
        for k in 1...steps {
            let x1 = from + (to - from) * Double(k) / Double(steps), g1 = g(x1)
            if (g0 < 0 && g1 > 0) || (g0 > 0 && g1 < 0) {
                var a = x0, b = x1, ga = g0
                for _ in 0..<100 {
                    let mid = 0.5 * (a + b)
                    guard mid > a && mid < b else { break }
                    let gm = g(mid)
                    if (gm < 0) == (ga < 0) { a = mid; ga = gm } else { b = mid }
                }
                out.append(0.5 * (a + b))
            }
            x0 = x1
            g0 = g1
        }
        return out
    }
}
