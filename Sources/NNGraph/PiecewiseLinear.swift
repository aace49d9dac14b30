import LinearAlgebra

/// A continuous piecewise-linear scalar function: linear with slope `slopes[0]` left of
/// `breakpoints[0]`, `slopes[i]` between `breakpoints[i-1]` and `breakpoints[i]`, and `slopes.last`
/// right of the last breakpoint, passing through `(breakpoints[0], valueAtFirst)`.
public struct PiecewiseLinearPieces: Sendable, Equatable {
    /// Ascending, at least one.
    public let breakpoints: [Double]
    /// `breakpoints.count + 1` slopes.
    public let slopes: [Double]
    /// `f(breakpoints[0])`.
    public let valueAtFirst: Double
    /// `f` at every breakpoint.
    public let valuesAtBreakpoints: [Double]

    public init(breakpoints: [Double], slopes: [Double], valueAtFirst: Double) {
        precondition(!breakpoints.isEmpty && slopes.count == breakpoints.count + 1, "PiecewiseLinearPieces: shape")
        precondition(zip(breakpoints, breakpoints.dropFirst()).allSatisfy { $0 < $1 }, "breakpoints must ascend")
        self.breakpoints = breakpoints
        self.slopes = slopes
        self.valueAtFirst = valueAtFirst
        var values = [valueAtFirst]
        for i in 1..<breakpoints.count {
            values.append(values[i - 1] + slopes[i] * (breakpoints[i] - breakpoints[i - 1]))
        }
        valuesAtBreakpoints = values
    }

    /// `f(x)` from the pieces (one multiplication and one addition from the nearest breakpoint at or
    /// below `x`, or from the first one).
    public func value(at x: Double) -> Double {
        var i = 0
        while i < breakpoints.count && breakpoints[i] <= x { i += 1 }
        if i == 0 { return valueAtFirst + slopes[0] * (x - breakpoints[0]) }
        return valuesAtBreakpoints[i - 1] + slopes[i] * (x - breakpoints[i - 1])
    }

    /// The slope on the piece holding `x` (the right piece at a breakpoint).
    public func slope(at x: Double) -> Double {
        var i = 0
        while i < breakpoints.count && breakpoints[i] <= x { i += 1 }
        return slopes[i]
    }

    /// The points where `f` is evaluated to relax it on `[l, u]`: `l`, the breakpoints strictly inside,
    /// `u` (one point when `l == u`). `f` is linear between consecutive points, so a line lies below
    /// (above) `f` on `[l, u]` exactly when it does at these points.
    public func vertices(_ l: Double, _ u: Double) -> [Double] {
        guard u > l else { return [l] }
        return [l] + breakpoints.filter { $0 > l && $0 < u } + [u]
    }
}

/// Capability of a piecewise-linear activation (ReLU, LeakyRelu, Clip, Abs, HardSigmoid): its
/// breakpoints and slopes. LP and MILP encodings, activation splits, exact leaves and planting ask this
/// protocol, never for a concrete type. Everything that bound propagation needs is derived from the
/// pieces: the exact interval map, the tightest lines (supporting lines of the convex hull of the
/// graph on `[l, u]`, see ``HullRelaxation``), a line family over the hull's slopes, and rounding
/// defects checked at the hull's vertices. An operator may override any of these with a faster
/// equivalent (ReLU does).
public protocol PiecewiseLinearActivation: ElementwiseActivation {
    var pieces: PiecewiseLinearPieces { get }
}

extension PiecewiseLinearActivation {
    /// The range of `f` on `[l, u]` is attained at a vertex (``PiecewiseLinearPieces/vertices(_:_:)``).
    public func interval(_ inputs: [IntervalMatrix]) -> IntervalMatrix {
        var out = inputs[0]
        let p = pieces
        for k in 0..<out.lower.data.count {
            let l = inputs[0].lower.data[k], u = inputs[0].upper.data[k]
            guard l <= u else { out.lower.data[k] = value(l); out.upper.data[k] = value(u); continue }
            var lo = Double.infinity, hi = -Double.infinity
            for x in p.vertices(l, u) {
                let y = value(x)
                lo = min(lo, y)
                hi = max(hi, y)
            }
            out.lower.data[k] = lo
            out.upper.data[k] = hi
        }
        return out
    }

    public var relaxationVariants: Int { 2 }

    /// Variant 0: on each side, the hull segment whose slope is nearest the chord's; variant 1: lines
    /// parallel to the chord (DeepPoly's choice). Both touch the hull.
    public func relaxations(lower: [Double], upper: [Double], variant: Int) -> RelaxationArrays {
        var out = RelaxationArrays(count: lower.count)
        let p = pieces
        for k in 0..<lower.count {
            let hull = HullRelaxation(pieces: p, l: lower[k], u: upper[k], value: value)
            out[k] = hull.relaxation(variant: variant)
        }
        return out
    }

    public func lineDefects(lower: [Double], upper: [Double], relaxation rx: RelaxationArrays)
        -> (lower: [Double], upper: [Double]) {
        var low = [Double](repeating: 0, count: lower.count), up = low
        let p = pieces
        for k in 0..<lower.count {
            let points = p.vertices(lower[k], upper[k])
            low[k] = HullRelaxation.defect(lowerLine: true, s: rx.lowerSlope[k], c: rx.lowerIntercept[k], points: points,
                                           value: value, valueError: valueRoundingError)
            up[k] = HullRelaxation.defect(lowerLine: false, s: rx.upperSlope[k], c: rx.upperIntercept[k], points: points,
                                          value: value, valueError: valueRoundingError)
        }
        return (low, up)
    }

    public func lineFamily(lower: [Double], upper: [Double]) -> (any LineFamily)? {
        HullLineFamily(pieces: pieces, lower: lower, upper: upper, value: value, valueError: valueRoundingError)
    }

    /// Exact where no breakpoint lies strictly inside the interval.
    public func exactRelaxationMask(lower: [Double], upper: [Double]) -> [Bool] {
        let b = pieces.breakpoints
        return (0..<lower.count).map { k in !b.contains { $0 > lower[k] && $0 < upper[k] } }
    }

    public func derivative(_ x: Double) -> Double { pieces.slope(at: x) }
}
