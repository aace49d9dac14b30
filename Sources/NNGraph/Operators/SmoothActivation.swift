import Foundation
import LinearAlgebra

/// One relaxation line of a smooth activation on one neuron's interval `[l, u]`.
public enum SmoothLine: Sendable, Equatable {
    /// A fixed line `slope·x + intercept`, valid on `[l, u]` in exact arithmetic for the values it was
    /// computed from (chords, lines through an end point with a bounded slope, constant lines).
    case fixed(slope: Double, intercept: Double)
    /// The tangent at any `t` in `[from, to]`: every such tangent lies on the right side of `f` on
    /// `[l, u]` in exact arithmetic (the operator argues why: `f` convex, or concave, on a set
    /// holding `[l, u]` and `t`). With a guard point `(x, y)` (`y <= f` there for an upper line), the
    /// intercept is `max(f(t) − s·t, y − s·x)` (upper) or `min(...)` (lower), which keeps the line on
    /// the right side where `f` leaves the curvature region (e.g. `sqrt` clamped to 0 below 0).
    case tangent(from: Double, to: Double, guardX: Double?, guardY: Double?)
}

/// A smooth elementwise activation relaxed per neuron by tangents and chords (``SmoothLine``): the
/// operator says, for each finite interval, which lines are valid; this protocol turns that into the
/// fixed relaxation (tangents at the middle of their range), rounding defects and an alpha-CROWN
/// ``LineFamily`` over the tangent points.
///
/// Robustness: on an interval with an infinite or NaN end, and wherever a computed line is not finite
/// (overflow), the line is replaced by the constant line of the interval image (``safeInterval(_:_:)``),
/// which is sound; no line ever has a NaN slope or intercept, or an infinite slope.
public protocol SmoothActivation: ElementwiseActivation {
    /// `f''(x)` (for the family's parameter derivatives; 0 where undefined).
    func secondDerivative(_ x: Double) -> Double
    /// The lines of `f` on a finite interval `l < u`.
    func smoothLines(l: Double, u: Double) -> (lower: SmoothLine, upper: SmoothLine)
    /// A sound interval image of `[l, u]` (any `l`, `u`, including infinite ones) in exact
    /// arithmetic, up to ``ElementwiseActivation/valueRoundingError``.
    func imageBounds(_ l: Double, _ u: Double) -> (lower: Double, upper: Double)
}

public extension SmoothActivation {
    var valueRoundingError: Double { 16 * LineDefect.unit }

    func interval(_ inputs: [IntervalMatrix]) -> IntervalMatrix {
        var out = inputs[0]
        for k in 0..<out.lower.data.count {
            let b = safeInterval(inputs[0].lower.data[k], inputs[0].upper.data[k])
            out.lower.data[k] = b.lower
            out.upper.data[k] = b.upper
        }
        return out
    }

    /// ``imageBounds(_:_:)`` made safe for outward rounding: never NaN, a lower bound is never `+∞`
    /// (the largest finite value instead, which the exact value of an overflowing `f` exceeds) and an
    /// upper bound never `−∞` (likewise), so moving them outward cannot produce `∞ − ∞`. NaN bounds
    /// (from NaN inputs) become `−∞` / `+∞`.
    func safeInterval(_ l: Double, _ u: Double) -> (lower: Double, upper: Double) {
        guard !l.isNaN && !u.isNaN else { return (-.infinity, .infinity) }
        var (lo, hi) = imageBounds(l, u)
        if lo.isNaN { lo = -.infinity }
        if hi.isNaN { hi = .infinity }
        if lo == .infinity { lo = .greatestFiniteMagnitude }
        if hi == -.infinity { hi = -.greatestFiniteMagnitude }
        return (lo, hi)
    }

    /// The tangent point of parameter `p` (clamped to [0, 1]).
    internal func tangentPoint(from: Double, to: Double, parameter p: Double) -> Double {
        let q = p.isNaN ? 0.5 : min(max(p, 0), 1)
        return from + q * (to - from)
    }

    /// The line of one side for parameter `p`, with `ds/dp` and `dc/dp`; nil when not finite.
    internal func line(_ side: SmoothLine, lower isLower: Bool, parameter p: Double)
        -> (s: Double, c: Double, ds: Double, dc: Double, ft: Double)? {
        switch side {
        case .fixed(let s, let c):
            // An intercept that overflowed is kept only on its vacuous side (+∞ above, −∞ below).
            guard s.isFinite && !c.isNaN && c != (isLower ? .infinity : -.infinity) else { return nil }
            return (s, c, 0, 0, 0)
        case .tangent(let from, let to, let gx, let gy):
            let t = tangentPoint(from: from, to: to, parameter: p)
            let ft = value(t), s = derivative(t), s2 = secondDerivative(t)
            var c = ft - s * t, touch = t
            if let gx, let gy {
                let g = gy - s * gx
                if isLower ? g < c : g > c { c = g; touch = gx }
            }
            guard s.isFinite && c.isFinite && ft.isFinite else { return nil }
            let w = to - from
            let ds = s2 * w, dc = -touch * s2 * w
            return (s, c, ds.isFinite ? ds : 0, dc.isFinite ? dc : 0, ft)
        }
    }

    /// The lines of one neuron on `[l, u]` for parameters `pl`, `pu` (fixed relaxation: 0.5): each side
    /// from ``smoothLines(l:u:)``, or the interval's constant line where that is not available.
    internal func neuronLines(l: Double, u: Double, lowerParameter pl: Double, upperParameter pu: Double)
        -> (lower: (s: Double, c: Double, ds: Double, dc: Double, ft: Double),
            upper: (s: Double, c: Double, ds: Double, dc: Double, ft: Double)) {
        let box = safeInterval(l, u)
        let constLower = (s: 0.0, c: box.lower, ds: 0.0, dc: 0.0, ft: 0.0)
        let constUpper = (s: 0.0, c: box.upper, ds: 0.0, dc: 0.0, ft: 0.0)
        guard l.isFinite && u.isFinite && l < u && (u - l).isFinite else { return (constLower, constUpper) }
        let sides = smoothLines(l: l, u: u)
        // A line whose value can overflow on [l, u] (|s|·h + |c| not finite) is replaced as well: its
        // rounding allowance would be infinite, and 0·∞ is NaN in a backward pass.
        let h = max(abs(l), abs(u))
        func bounded(_ x: (s: Double, c: Double, ds: Double, dc: Double, ft: Double)?) -> (s: Double, c: Double, ds: Double, dc: Double, ft: Double)? {
            guard let x else { return nil }
            if x.c.isInfinite && x.s == 0 { return x }
            return (abs(x.s) * h + abs(x.c)).isFinite ? x : nil
        }
        return (bounded(line(sides.lower, lower: true, parameter: pl)) ?? constLower,
                bounded(line(sides.upper, lower: false, parameter: pu)) ?? constUpper)
    }

    func relaxations(lower: [Double], upper: [Double], variant: Int) -> RelaxationArrays {
        var out = RelaxationArrays(count: lower.count)
        for k in 0..<lower.count {
            let (lo, up) = neuronLines(l: lower[k], u: upper[k], lowerParameter: 0.5, upperParameter: 0.5)
            out[k] = LinearRelaxation(lowerSlope: lo.s, lowerIntercept: lo.c, upperSlope: up.s, upperIntercept: up.c)
        }
        return out
    }

    func lineDefects(lower: [Double], upper: [Double], relaxation rx: RelaxationArrays) -> (lower: [Double], upper: [Double]) {
        var low = [Double](repeating: 0, count: lower.count), up = low
        for k in 0..<lower.count {
            let fl = value(lower[k]), fu = value(upper[k])
            low[k] = SmoothDefect.line(l: lower[k], u: upper[k], s: rx.lowerSlope[k], c: rx.lowerIntercept[k], values: [fl, fu])
            up[k] = SmoothDefect.line(l: lower[k], u: upper[k], s: rx.upperSlope[k], c: rx.upperIntercept[k], values: [fl, fu])
        }
        return (low, up)
    }

    func lineFamily(lower: [Double], upper: [Double]) -> (any LineFamily)? {
        var sides = [(lower: SmoothLine, upper: SmoothLine)?]()
        var anyLower = false, anyUpper = false
        for k in 0..<lower.count {
            let l = lower[k], u = upper[k]
            guard l.isFinite && u.isFinite && l < u && (u - l).isFinite else { sides.append(nil); continue }
            let s = smoothLines(l: l, u: u)
            if case .tangent = s.lower { anyLower = true }
            if case .tangent = s.upper { anyUpper = true }
            sides.append(s)
        }
        guard anyLower || anyUpper else { return nil }
        return SmoothTangentFamily(activation: self, lower: lower, upper: upper, sides: sides, parameterised: (anyLower, anyUpper))
    }
}

/// Rounding allowance of smooth-activation lines (Docs/soundness.md, "Relaxation defects").
public enum SmoothDefect {
    /// For a line `s·x + c` on `[l, u]` built from library values (`f` and `f'` within 8 ulp, i.e. 16u
    /// relative, and a few roundings): a chord's computed slope differs from the exact secant slope by
    /// at most `(16u(|f(l)| + |f(u)|) + 3u|s|(u − l))/(u − l)`, which over `|x − l| <= u − l` moves the
    /// line by at most `32u·F + 6u|s|h`; a tangent's slope error (up to 32u relative for composite
    /// derivatives) over `|x − t| <= 2h` moves it by `64u|s|h`, its intercept by `18u|f(t)| + 4u|s|h`.
    /// `128u·(1 + |s|h + |c| + F)` covers each, `h = max(|l|, |u|)`, `F` the largest `|f|` used.
    /// 0 for an infinite intercept: such a line (slope 0, intercept `−∞` below or `+∞` above) bounds
    /// nothing and needs no allowance.
    public static func line(l: Double, u: Double, s: Double, c: Double, values: [Double]) -> Double {
        guard c.isFinite else { return 0 }
        let h = max(abs(l), abs(u))
        let f = values.reduce(0) { $0.isFinite && $1.isFinite ? max($0, abs($1)) : $0 }
        let sh = s == 0 ? 0 : abs(s) * h
        let d = 128 * LineDefect.unit * (1 + sh + abs(c) + f)
        return d.isNaN ? .infinity : d
    }
}

/// The tangent lines of a ``SmoothActivation`` as a ``LineFamily``: per neuron and side, parameter `p`
/// picks the tangent point `t = from + p·(to − from)`; `ds/dp = f''(t)·(to − from)`,
/// `dc/dp = −x*·f''(t)·(to − from)` (`x*` = `t`, or the guard point when it sets the intercept).
/// Parameter 0.5 gives the fixed relaxation.
struct SmoothTangentFamily<Activation: SmoothActivation>: LineFamily {
    let activation: Activation
    let lower: [Double], upper: [Double]
    let sides: [(lower: SmoothLine, upper: SmoothLine)?]
    let parameterised: (lower: Bool, upper: Bool)

    var parameterisedSides: (lower: Bool, upper: Bool) { parameterised }
    func initialParameter(lower: Bool, entry k: Int) -> Double { 0.5 }

    func lines(coefficients a: Matrix, lowerParameters: Matrix?, upperParameters: Matrix?, rowDomain: [Int],
               derivatives: Bool) -> ChosenLines {
        ChosenLines.choosing(for: a, rowDomain: rowDomain, derivatives: derivatives) { isLower, k, e in
            let given = (isLower ? lowerParameters?.data[e] : upperParameters?.data[e]) ?? 0.5
            let (l, u) = (lower[k], upper[k])
            let lines = activation.neuronLines(l: l, u: u, lowerParameter: isLower ? given : 0.5,
                                               upperParameter: isLower ? 0.5 : given)
            let line = isLower ? lines.lower : lines.upper
            let defect = SmoothDefect.line(l: l, u: u, s: line.s, c: line.c,
                                           values: [activation.value(l), activation.value(u), line.ft])
            return (line.s, line.c, defect, line.ds, line.dc)
        }
    }
}

/// Helpers for one-curvature pieces.
enum SmoothPieces {
    /// The chord of `f` on `[l, u]`: `(s, c)` with `c = f(l) − s·l`.
    static func chord(_ l: Double, _ u: Double, _ fl: Double, _ fu: Double) -> SmoothLine {
        let s = (fu - fl) / (u - l)
        return .fixed(slope: s, intercept: fl - s * l)
    }

    /// `f` convex on `[l, u]`: tangents below at `t` in `[from, to]`, chord above.
    static func convex(_ l: Double, _ u: Double, _ fl: Double, _ fu: Double, from: Double? = nil, to: Double? = nil)
        -> (lower: SmoothLine, upper: SmoothLine) {
        (.tangent(from: from ?? l, to: to ?? u, guardX: nil, guardY: nil), chord(l, u, fl, fu))
    }

    /// `f` concave on `[l, u]`: chord below, tangents above.
    static func concave(_ l: Double, _ u: Double, _ fl: Double, _ fu: Double, from: Double? = nil, to: Double? = nil)
        -> (lower: SmoothLine, upper: SmoothLine) {
        (chord(l, u, fl, fu), .tangent(from: from ?? l, to: to ?? u, guardX: nil, guardY: nil))
    }
}
