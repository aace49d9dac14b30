import Foundation
import LinearAlgebra

/// A monotone S-shaped activation — convex on `x <= 0`, concave on `x >= 0`, derivative largest at 0
/// (sigmoid, tanh) — whose relaxation lines can also be tangents at chosen points.
///
/// Besides the fixed relaxation of ``ElementwiseActivation``, it offers a family of sound lines with one
/// parameter `p` in [0, 1] per line (``tangentRanges(lower:upper:)``, ``tangentLine(lower:parameter:neuron:ranges:)``),
/// which bound optimisation tunes as alpha-CROWN tunes ReLU lower slopes (Xu et al. 2021; the
/// sigmoid/tanh relaxation of auto_LiRPA).
public protocol SShapedActivation: MonotoneActivation {
    /// `f'(x)` and `f''(x)`, each to a few ulps relative in both tails.
    func derivatives(_ x: Double) -> (first: Double, second: Double)
}

/// Per neuron, where the tangent point of each line may lie: parameter `p` maps to
/// `t = from + p·(to − from)`. A line with no admissible tangent (the lower line on a concave
/// interval, the upper on a convex one, either across 0 when even its extreme tangent would cut the
/// function, both on a degenerate interval) is the fixed line in ``fixed``.
public struct TangentRanges: Sendable {
    public var lowerFrom: [Double], lowerTo: [Double]
    public var upperFrom: [Double], upperTo: [Double]
    /// Whether the lower (upper) line is a tangent; else it is the fixed line.
    public var lowerIsTangent: [Bool], upperIsTangent: [Bool]
    /// Chords (constant lines on degenerate intervals), with the rounding margin; used where a
    /// line is not a tangent.
    public var fixed: RelaxationArrays
    /// The neurons' bounds and the function's values there.
    public var lower: [Double], upper: [Double]
    public var valueAtLower: [Double], valueAtUpper: [Double]

    init(count: Int) {
        lowerFrom = [Double](repeating: 0, count: count)
        lowerTo = lowerFrom; upperFrom = lowerFrom; upperTo = lowerFrom
        lower = lowerFrom; upper = lowerFrom; valueAtLower = lowerFrom; valueAtUpper = lowerFrom
        lowerIsTangent = [Bool](repeating: false, count: count)
        upperIsTangent = lowerIsTangent
        fixed = RelaxationArrays(count: count)
    }

    public var count: Int { lower.count }
}

/// One relaxation line `slope·x + intercept` and the derivatives of both with respect to the
/// line's parameter (0 for a fixed line).
public struct TangentLine: Sendable, Equatable {
    public var slope: Double
    public var intercept: Double
    public var slopeDerivative: Double
    public var interceptDerivative: Double
}

extension SShapedActivation {
    /// The margin that widens every line against rounding (as in the fixed relaxation).
    public static var tangentMargin: Double { 1e-12 }

    /// The admissible tangent points of both lines of every neuron `[lower[k], upper[k]]`.
    ///
    /// - Convex interval (`u <= 0`): lower line any tangent at `t` in `[l, u]`; upper line the chord.
    /// - Concave interval (`l >= 0`): upper line any tangent in `[l, u]`; lower line the chord.
    /// - Across 0: the upper line is a tangent at `t` in `[d, u]`, where the tangent at `d >= 0` passes
    ///   through `(l, f(l))` (beyond it the tangent stays above `f` on `[l, 0]`), found by bisection;
    ///   when even the tangent at `u` passes below `f(l)`, the chord is the upper line. The lower line
    ///   mirrors it on `[l, d']`, `d' <= 0`.
    /// Soundness does not rest on the bisection: ``tangentLine(lower:parameter:neuron:ranges:)`` makes
    /// every tangent at `t >= 0` (upper) or `t <= 0` (lower) valid on `[l, u]`. The chord across 0 is
    /// used only when the tangent at the end point misses by more than the rounding of that test.
    public func tangentRanges(lower: [Double], upper: [Double]) -> TangentRanges {
        let margin = Self.tangentMargin
        var r = TangentRanges(count: lower.count)
        for k in 0..<lower.count {
            let l = lower[k], u = upper[k]
            let fl = value(l), fu = value(u)
            r.lower[k] = l; r.upper[k] = u
            r.valueAtLower[k] = fl; r.valueAtUpper[k] = fu
            if !(u - l > 1e-9) {
                r.fixed.lowerIntercept[k] = min(fl, fu) - margin
                r.fixed.upperIntercept[k] = max(fl, fu) + margin
                continue
            }
            let chord = (fu - fl) / (u - l)
            r.fixed.lowerSlope[k] = chord
            r.fixed.upperSlope[k] = chord
            r.fixed.lowerIntercept[k] = fl - chord * l - margin
            r.fixed.upperIntercept[k] = fl - chord * l + margin
            if u <= 0 {
                (r.lowerIsTangent[k], r.lowerFrom[k], r.lowerTo[k]) = (true, l, u)
            } else if l >= 0 {
                (r.upperIsTangent[k], r.upperFrom[k], r.upperTo[k]) = (true, l, u)
            } else {
                if let d = upperTangentStart(l: l, u: u, fl: fl, fu: fu) {
                    (r.upperIsTangent[k], r.upperFrom[k], r.upperTo[k]) = (true, d, u)
                }
                if let d = lowerTangentEnd(l: l, u: u, fl: fl, fu: fu) {
                    (r.lowerIsTangent[k], r.lowerFrom[k], r.lowerTo[k]) = (true, l, d)
                }
            }
        }
        return r
    }

    /// Across 0: the least `t` in `[0, u]` whose tangent passes above `(l, f(l))`, or nil when the tangent
    /// at `u` clearly passes below it (then the chord is an upper line).
    private func upperTangentStart(l: Double, u: Double, fl: Double, fu: Double) -> Double? {
        // gap(t) = tangent at t evaluated at l, minus f(l): increasing in t on (0, ∞), <= 0 at 0.
        func gap(_ t: Double) -> Double { value(t) + derivatives(t).first * (l - t) - fl }
        let end = gap(u)
        if end < -Self.decisionTolerance(fl, fu, derivatives(u).first * (u - l)) { return nil }
        if end < 0 { return u }
        var lo = 0.0, hi = u
        for _ in 0..<Self.bisectionSteps {
            let mid = 0.5 * (lo + hi)
            if gap(mid) >= 0 { hi = mid } else { lo = mid }
        }
        return hi
    }

    /// Across 0: the greatest `t` in `[l, 0]` whose tangent passes below `(u, f(u))`, or nil when the
    /// tangent at `l` clearly passes above it (then the chord is a lower line).
    private func lowerTangentEnd(l: Double, u: Double, fl: Double, fu: Double) -> Double? {
        // gap(t) = tangent at t evaluated at u, minus f(u): increasing in t on (−∞, 0), >= 0 at 0.
        func gap(_ t: Double) -> Double { value(t) + derivatives(t).first * (u - t) - fu }
        let start = gap(l)
        if start > Self.decisionTolerance(fl, fu, derivatives(l).first * (u - l)) { return nil }
        if start > 0 { return l }
        var lo = l, hi = 0.0
        for _ in 0..<Self.bisectionSteps {
            let mid = 0.5 * (lo + hi)
            if gap(mid) <= 0 { lo = mid } else { hi = mid }
        }
        return lo
    }

    private static var bisectionSteps: Int { 40 }

    /// A bound on the error of computing `f(a) + f'(a)(b − a) − f(b)` (library functions within 8
    /// ulp, a few roundings): the chord replaces the end-point tangent only beyond it.
    private static func decisionTolerance(_ fa: Double, _ fb: Double, _ rise: Double) -> Double {
        64 * (Double.ulpOfOne / 2) * (abs(fa) + abs(fb) + abs(rise)) + Double.leastNormalMagnitude
    }

    /// The lower (or upper) line of neuron `k` for parameter `p` (clamped to [0, 1]).
    ///
    /// A tangent at `t` has slope `s = f'(t)`; its intercept is `min(f(t) − s·t, f(u) − s·u)` for the
    /// lower line (`t <= 0`) and `max(f(t) − s·t, f(l) − s·l)` for the upper (`t >= 0`), less (plus) the
    /// margin. For any `t <= 0` this is a lower line on all of `[l, u]` in exact arithmetic: on the convex
    /// part `f(x) − s·x` is smallest at `t`, on the concave part at an end point (`0` or `u`), and
    /// `f(0) >= f(t) − s·t`; the upper line mirrors it. In the admissible range the first term is the
    /// smaller (larger), so the line is the tangent itself. Derivatives with respect to `p`:
    /// `ds/dp = f''(t)·(to − from)`, `dc/dp = −x*·f''(t)·(to − from)` with `x*` the point the intercept
    /// came from (`t`, `u` or `l`).
    public func tangentLine(lower isLower: Bool, parameter p: Double, neuron k: Int, ranges: TangentRanges) -> TangentLine {
        let margin = Self.tangentMargin
        let q = p.isNaN ? 0.5 : min(max(p, 0), 1)
        if isLower {
            guard ranges.lowerIsTangent[k] else {
                return TangentLine(slope: ranges.fixed.lowerSlope[k], intercept: ranges.fixed.lowerIntercept[k],
                                   slopeDerivative: 0, interceptDerivative: 0)
            }
            let from = ranges.lowerFrom[k], width = ranges.lowerTo[k] - from
            let t = min(from + q * width, 0)
            let (s, s2) = derivatives(t)
            var c = value(t) - s * t, touch = t
            let u = ranges.upper[k]
            if u > 0 {
                let atU = ranges.valueAtUpper[k] - s * u
                if atU < c { c = atU; touch = u }
            }
            return TangentLine(slope: s, intercept: c - margin, slopeDerivative: s2 * width,
                               interceptDerivative: -touch * s2 * width)
        }
        guard ranges.upperIsTangent[k] else {
            return TangentLine(slope: ranges.fixed.upperSlope[k], intercept: ranges.fixed.upperIntercept[k],
                               slopeDerivative: 0, interceptDerivative: 0)
        }
        let from = ranges.upperFrom[k], width = ranges.upperTo[k] - from
        let t = max(from + q * width, 0)
        let (s, s2) = derivatives(t)
        var c = value(t) - s * t, touch = t
        let l = ranges.lower[k]
        if l < 0 {
            let atL = ranges.valueAtLower[k] - s * l
            if atL > c { c = atL; touch = l }
        }
        return TangentLine(slope: s, intercept: c + margin, slopeDerivative: s2 * width,
                           interceptDerivative: -touch * s2 * width)
    }

    /// The starting parameter of a line on `[l, u]`: the midpoint tangent on a one-curvature interval
    /// (as the fixed relaxation); across 0 the tangent at the end point (`t = l` below, `t = u` above),
    /// which lies on or inside the fixed relaxation's parallel line on `[l, u]`.
    public static func defaultTangentParameter(lower isLower: Bool, l: Double, u: Double) -> Double {
        if isLower { return u <= 0 ? 0.5 : 0 }
        return l >= 0 ? 0.5 : 1
    }
}

/// The tangent lines of a sigmoid/tanh node as a ``LineFamily``: parameter `p` of each side is the
/// tangent point of ``SShapedActivation/tangentLine(lower:parameter:neuron:ranges:)``; each line carries
/// the smooth-function defect ``LineDefect/smooth(l:u:s:c:)``.
struct TangentLineFamily<Activation: SShapedActivation>: LineFamily {
    let activation: Activation
    let ranges: TangentRanges

    var parameterisedSides: (lower: Bool, upper: Bool) { (true, true) }
    /// The starting tangents are not the fixed relaxation's lines across 0.
    var initialLinesAreFixedRelaxation: Bool { false }

    func initialParameter(lower isLower: Bool, entry k: Int) -> Double {
        Activation.defaultTangentParameter(lower: isLower, l: ranges.lower[k], u: ranges.upper[k])
    }

    func lines(coefficients a: Matrix, lowerParameters: Matrix?, upperParameters: Matrix?, rowDomain: [Int],
               derivatives: Bool) -> ChosenLines {
        ChosenLines.choosing(for: a, rowDomain: rowDomain, derivatives: derivatives) { isLower, k, e in
            let given = isLower ? lowerParameters?.data[e] : upperParameters?.data[e]
            let line = activation.tangentLine(lower: isLower, parameter: given ?? initialParameter(lower: isLower, entry: k),
                                              neuron: k, ranges: ranges)
            return (line.slope, line.intercept, LineDefect.smooth(l: ranges.lower[k], u: ranges.upper[k], s: line.slope, c: line.intercept),
                    line.slopeDerivative, line.interceptDerivative)
        }
    }
}
