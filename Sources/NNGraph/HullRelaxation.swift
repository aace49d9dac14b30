import LinearAlgebra

/// The convex hull of the graph of a piecewise-linear function on `[l, u]`, and its supporting lines.
///
/// `f` is linear between consecutive vertices (``PiecewiseLinearPieces/vertices(_:_:)``), so the hull
/// of its graph is the hull of the vertices' points. A line `s·x + c` lies below `f` on `[l, u]` iff it
/// lies below every vertex, i.e. `c <= min_v (f(v) − s·v)`; with `s` between the first and last slope of
/// the lower hull, that minimum makes the line touch the hull, which is the tightest lower line of that
/// slope. Upper lines mirror this with the upper hull and the maximum.
public struct HullRelaxation: Sendable {
    public let xs: [Double]
    public let fs: [Double]
    /// Indices into `xs` of the lower (convex) and upper (concave) hull, left to right.
    public let lowerHull: [Int]
    public let upperHull: [Int]

    public init(pieces: PiecewiseLinearPieces, l: Double, u: Double, value: (Double) -> Double) {
        xs = pieces.vertices(l, u)
        fs = xs.map(value)
        lowerHull = Self.hull(xs, fs, lower: true)
        upperHull = Self.hull(xs, fs, lower: false)
    }

    /// Monotone-chain hull of points sorted by x: lower keeps left turns only, upper right turns.
    static func hull(_ xs: [Double], _ fs: [Double], lower: Bool) -> [Int] {
        var h = [Int]()
        for i in xs.indices {
            while h.count >= 2 {
                let a = h[h.count - 2], b = h[h.count - 1]
                let cross = (xs[b] - xs[a]) * (fs[i] - fs[a]) - (fs[b] - fs[a]) * (xs[i] - xs[a])
                if lower ? cross <= 0 : cross >= 0 { h.removeLast() } else { break }
            }
            h.append(i)
        }
        return h
    }

    /// Slopes of the hull's segments, left to right (ascending for the lower hull, descending for the upper).
    public func segmentSlopes(lower: Bool) -> [Double] {
        let h = lower ? lowerHull : upperHull
        var slopes = [Double]()
        for i in 1..<max(h.count, 1) {
            let rise: Double = fs[h[i]] - fs[h[i - 1]]
            let run: Double = xs[h[i]] - xs[h[i - 1]]
            slopes.append(rise / run)
        }
        return slopes
    }

    /// The tightest intercept for slope `s` on one side, and the vertex it touches.
    public func intercept(lower: Bool, slope s: Double) -> (c: Double, touch: Double) {
        let h = lower ? lowerHull : upperHull
        var best = fs[h[0]] - s * xs[h[0]], touch = xs[h[0]]
        for i in h.dropFirst() {
            let c = fs[i] - s * xs[i]
            if lower ? c < best : c > best { best = c; touch = xs[i] }
        }
        return (best, touch)
    }

    /// Variant 0: per side, the hull segment slope nearest the chord's (ties: the smaller); variant 1:
    /// the chord's slope. Each line touches the hull.
    public func relaxation(variant: Int) -> LinearRelaxation {
        guard xs.count > 1 else {
            return LinearRelaxation(lowerSlope: 0, lowerIntercept: fs[0], upperSlope: 0, upperIntercept: fs[0])
        }
        let chord = (fs[fs.count - 1] - fs[0]) / (xs[xs.count - 1] - xs[0])
        func slope(lower: Bool) -> Double {
            let slopes = segmentSlopes(lower: lower)
            let (lo, hi) = (slopes.min()!, slopes.max()!)
            if variant == 1 { return min(max(chord, lo), hi) }
            var best = slopes[0]
            for s in slopes where abs(s - chord) < abs(best - chord) || (abs(s - chord) == abs(best - chord) && s < best) {
                best = s
            }
            return best
        }
        let sl = slope(lower: true), su = slope(lower: false)
        return LinearRelaxation(lowerSlope: sl, lowerIntercept: intercept(lower: true, slope: sl).c,
                                upperSlope: su, upperIntercept: intercept(lower: false, slope: su).c)
    }

    /// How far `s·x + c` may lie on the wrong side of `f` at the `points` (the vertices, so on the whole
    /// interval), in exact arithmetic: the computed violation, clipped at 0, plus `4u` of the magnitudes
    /// involved and the evaluation error `valueError·|f|` of `f` itself.
    public static func defect(lowerLine: Bool, s: Double, c: Double, points: [Double], value: (Double) -> Double,
                              valueError: Double) -> Double {
        var worst = 0.0, h = 0.0, hf = 0.0
        for x in points {
            let f = value(x)
            let gap = lowerLine ? s * x + c - f : f - (s * x + c)
            worst = max(worst, gap)
            h = max(h, abs(x))
            hf = max(hf, abs(f))
        }
        return worst + 4 * LineDefect.unit * (abs(s) * h + abs(c) + hf) + 2 * valueError * hf
    }
}

/// The lines of ``HullRelaxation`` as a family: per neuron and side, parameter `p` picks the slope
/// `s = s_first + p·(s_last − s_first)` between the hull's first and last segment slopes, with the
/// touching intercept. `ds/dp = s_last − s_first`, `dc/dp = −x*·ds/dp` with `x*` the touched vertex.
/// For ReLU this is exactly alpha-CROWN's lower slope `α·z`.
public struct HullLineFamily: LineFamily {
    let hulls: [HullRelaxation]
    let points: [[Double]]
    let valueError: Double
    let initialLower: [Double], initialUpper: [Double]
    let value: @Sendable (Double) -> Double

    public init(pieces: PiecewiseLinearPieces, lower: [Double], upper: [Double], value: @escaping @Sendable (Double) -> Double,
                valueError: Double) {
        self.value = value
        self.valueError = valueError
        var hulls = [HullRelaxation](), points = [[Double]]()
        var il = [Double](), iu = [Double]()
        for k in 0..<lower.count {
            let h = HullRelaxation(pieces: pieces, l: lower[k], u: upper[k], value: value)
            hulls.append(h)
            points.append(h.xs)
            let r = h.relaxation(variant: 0)
            il.append(Self.parameter(of: r.lowerSlope, range: Self.range(h, lower: true)))
            iu.append(Self.parameter(of: r.upperSlope, range: Self.range(h, lower: false)))
        }
        self.hulls = hulls
        self.points = points
        initialLower = il
        initialUpper = iu
    }

    static func range(_ h: HullRelaxation, lower: Bool) -> (from: Double, to: Double) {
        let s = h.segmentSlopes(lower: lower)
        guard let first = s.first, let last = s.last else { return (0, 0) }
        return (first, last)
    }

    static func parameter(of slope: Double, range: (from: Double, to: Double)) -> Double {
        let w = range.to - range.from
        return w == 0 ? 0 : min(max((slope - range.from) / w, 0), 1)
    }

    public var parameterisedSides: (lower: Bool, upper: Bool) {
        (hulls.contains { $0.lowerHull.count > 2 }, hulls.contains { $0.upperHull.count > 2 })
    }

    public func initialParameter(lower: Bool, entry k: Int) -> Double { lower ? initialLower[k] : initialUpper[k] }

    public func lines(coefficients a: Matrix, lowerParameters: Matrix?, upperParameters: Matrix?, rowDomain: [Int],
                      derivatives: Bool) -> ChosenLines {
        ChosenLines.choosing(for: a, rowDomain: rowDomain, derivatives: derivatives) { isLower, k, e in
            let h = hulls[k]
            guard h.xs.count > 1 else { return (0, h.fs[0], 2 * valueError * abs(h.fs[0]), 0, 0) }
            let given = isLower ? lowerParameters?.data[e] : upperParameters?.data[e]
            let p = min(max(given ?? initialParameter(lower: isLower, entry: k), 0), 1)
            let range = Self.range(h, lower: isLower)
            let width = range.to - range.from
            let s = range.from + p * width
            let (c, touch) = h.intercept(lower: isLower, slope: s)
            let defect = HullRelaxation.defect(lowerLine: isLower, s: s, c: c, points: points[k], value: value,
                                               valueError: valueError)
            return (s, c, defect, width, -touch * width)
        }
    }
}
