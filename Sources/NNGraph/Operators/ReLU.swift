import LinearAlgebra

/// `y = max(0, x)`.
///
/// Relaxation on an unstable interval `l < 0 < u` (CROWN, Zhang et al. 2018): upper line is the chord
/// `u (x - l) / (u - l)`; lower line is `α x` with the adaptive slope `α = 1` if `u > -l`, else `0`.
/// These are the lines of the generic piecewise-linear hull (``HullRelaxation``) for one breakpoint at 0;
/// this type computes them directly because ReLU networks spend most of their bound time here.
public struct ReLU: PiecewiseLinearActivation {
    public let outputSize: Int
    public init(size: Int) { self.outputSize = size }

    public var kind: String { "Relu" }
    public func resized(_ size: Int) -> any ElementwiseActivation { ReLU(size: size) }
    public var onnxForm: ONNXActivationForm { ONNXActivationForm(opType: "Relu") }
    public func value(_ x: Double) -> Double { x > 0 ? x : 0 }
    public func derivative(_ x: Double) -> Double { x > 0 ? 1 : 0 }
    /// Comparisons only: exact.
    public var valueRoundingError: Double { 0 }
    public var pieces: PiecewiseLinearPieces { PiecewiseLinearPieces(breakpoints: [0], slopes: [0, 1], valueAtFirst: 0) }

    public func interval(_ inputs: [IntervalMatrix]) -> IntervalMatrix {
        IntervalMatrix(lower: inputs[0].lower.map(value), upper: inputs[0].upper.map(value))
    }

    public func exactRelaxationMask(lower: [Double], upper: [Double]) -> [Bool] {
        (0..<lower.count).map { !(lower[$0] < 0 && upper[$0] > 0) }
    }

    /// Variant 0 is the adaptive lower slope; variant 1 uses the chord's slope `u / (u - l)` for the
    /// lower line too (as DeepPoly's parallel choice). Both are sound; which is tighter depends on
    /// the neuron, so bound propagation may run both and keep the better bound.
    public var relaxationVariants: Int { 2 }

    public func relaxations(lower: [Double], upper: [Double], variant: Int) -> RelaxationArrays {
        var out = RelaxationArrays(count: lower.count)
        for k in 0..<lower.count {
            let (l, u) = (lower[k], upper[k])
            if l >= 0 {
                out.lowerSlope[k] = 1; out.upperSlope[k] = 1
            } else if u > 0 {
                let slope = u / (u - l)
                out.lowerSlope[k] = variant == 1 ? slope : (u > -l ? 1 : 0)
                out.upperSlope[k] = slope
                out.upperIntercept[k] = -slope * l
            }
        }
        return out
    }

    public func lineDefects(lower: [Double], upper: [Double], relaxation rx: RelaxationArrays)
        -> (lower: [Double], upper: [Double]) {
        var low = [Double](repeating: 0, count: lower.count), up = low
        for k in 0..<lower.count {
            low[k] = Self.defect(lowerLine: true, l: lower[k], u: upper[k], s: rx.lowerSlope[k], c: rx.lowerIntercept[k])
            up[k] = Self.defect(lowerLine: false, l: lower[k], u: upper[k], s: rx.upperSlope[k], c: rx.upperIntercept[k])
        }
        return (low, up)
    }

    /// How far the line `s·z + c` may fall on the wrong side of ReLU on `[l, u]`: a lower line with
    /// `c = 0` and `0 <= s <= 1` holds everywhere, and the stable lines `z` (for `l >= 0`) and `0` (for
    /// `u <= 0`) are exact; otherwise the violation is measured at the end points (and at 0 for a
    /// lower line) and raised by `4u` of the terms involved.
    public static func defect(lowerLine: Bool, l: Double, u: Double, s: Double, c: Double) -> Double {
        let h = max(abs(l), abs(u)), unit = LineDefect.unit
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

    public func lineFamily(lower: [Double], upper: [Double]) -> (any LineFamily)? {
        ReLULineFamily(lower: lower, upper: upper)
    }
}

/// alpha-CROWN's ReLU lines (Xu et al. 2021): on an unstable neuron the lower line is `α·z` with
/// `α` in [0, 1] (valid everywhere, no rounding defect) and the upper line the chord; stable neurons
/// keep their exact line. Only lower lines have a parameter: `ds/dα = 1`, `dc/dα = 0`.
struct ReLULineFamily: LineFamily {
    let lower: [Double], upper: [Double]
    /// Per entry, the defect of the unstable upper chord (0 elsewhere).
    let chordDefect: [Double]

    init(lower: [Double], upper: [Double]) {
        self.lower = lower
        self.upper = upper
        var d = [Double](repeating: 0, count: lower.count)
        for k in 0..<lower.count where lower[k] < 0 && upper[k] > 0 {
            let s = upper[k] / (upper[k] - lower[k])
            d[k] = ReLU.defect(lowerLine: false, l: lower[k], u: upper[k], s: s, c: -s * lower[k])
        }
        chordDefect = d
    }

    var parameterisedSides: (lower: Bool, upper: Bool) { (true, false) }

    func initialParameter(lower isLower: Bool, entry k: Int) -> Double {
        isLower && upper[k] > -lower[k] ? 1 : 0
    }

    func lines(coefficients a: Matrix, lowerParameters: Matrix?, upperParameters: Matrix?, rowDomain: [Int],
               derivatives: Bool) -> ChosenLines {
        let n = a.cols
        var out = ChosenLines(rows: a.rows, cols: n, derivatives: derivatives)
        let alpha = lowerParameters?.data ?? []
        for r in 0..<a.rows {
            let base = rowDomain[r] * n, rb = r * n
            for j in 0..<n {
                let k = base + j, e = rb + j
                let l = lower[k], u = upper[k]
                if l >= 0 {
                    out.slope.data[e] = 1
                } else if u <= 0 {
                    continue
                } else if a.data[e] >= 0 {
                    out.slope.data[e] = alpha.isEmpty ? (u > -l ? 1 : 0) : min(max(alpha[e], 0), 1)
                    if derivatives { out.slopeDerivative.data[e] = 1 }
                } else {
                    let s = u / (u - l)
                    out.slope.data[e] = s
                    out.intercept.data[e] = -s * l
                    out.defect.data[e] = chordDefect[k]
                }
            }
        }
        return out
    }
}
