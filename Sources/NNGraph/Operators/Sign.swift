import Foundation
import LinearAlgebra

/// `y = sign x` (ONNX `Sign`): −1, 0 or 1; a non-decreasing step, so the interval map
/// `[sign l, sign u]` is exact and the value only compares (no rounding).
///
/// Lines on `[l, u]`: constant `sign l` where the interval does not hold 0 in its closure's interior
/// (`l > 0`, `u < 0`, `l == u`). Otherwise, with `c₋ = −1` if `l < 0` else 0 and `c₊ = 1` if `u > 0`
/// else 0: the lower line `c₋ + s·x` for any `s` in `[0, (1 − c₋)/u]` (`u > 0`; else `s = 0`) — it is
/// `<= c₋ <= f` for `x <= 0` and `<= 1` for `x <= u` — and the upper line `c₊ + s·x` for any `s` in
/// `[0, (1 + c₊)/(−l)]` (`l < 0`), mirrored. The parameter of each side scales its slope from 0 (the
/// constant line) to the steepest; variant 0 takes the steep lower line when `u > −l` and the steep
/// upper line when `−l > u` (as ReLU's adaptive slope), variant 1 the constant lines.
public struct Sign: MonotoneActivation {
    public let outputSize: Int
    public init(size: Int) { self.outputSize = size }
    public var kind: String { "Sign" }
    public func resized(_ size: Int) -> any ElementwiseActivation { Sign(size: size) }
    public var onnxForm: ONNXActivationForm { ONNXActivationForm(opType: "Sign") }
    public func value(_ x: Double) -> Double { x > 0 ? 1 : (x < 0 ? -1 : (x.isNaN ? x : 0)) }
    /// 0 (the jump at 0 has no derivative).
    public func derivative(_ x: Double) -> Double { 0 }
    public var valueRoundingError: Double { 0 }
    public var relaxationVariants: Int { 2 }

    /// Whether `[l, u]` straddles the jump (else the constant line `sign l` is exact).
    static func straddles(_ l: Double, _ u: Double) -> Bool { l <= 0 && u >= 0 && l < u }

    /// The lines of one neuron with slope parameters `pl`, `pu` in [0, 1]: `(s, c, ds/dp)` per side.
    func lines(l: Double, u: Double, pl: Double, pu: Double)
        -> (lower: (s: Double, c: Double, ds: Double), upper: (s: Double, c: Double, ds: Double)) {
        guard !l.isNaN && !u.isNaN else { return ((0, -1, 0), (0, 1, 0)) }
        guard Self.straddles(l, u) else { let f = value(l); return ((0, f, 0), (0, f, 0)) }
        let cl: Double = l < 0 ? -1 : 0, cu: Double = u > 0 ? 1 : 0
        let maxLower = u > 0 && u.isFinite ? (1 - cl) / u : 0
        let maxUpper = l < 0 && l.isFinite ? (1 + cu) / -l : 0
        let ql = min(max(pl.isNaN ? 0 : pl, 0), 1), qu = min(max(pu.isNaN ? 0 : pu, 0), 1)
        return ((ql * maxLower, cl, maxLower), (qu * maxUpper, cu, maxUpper))
    }

    func defaultParameters(l: Double, u: Double) -> (lower: Double, upper: Double) {
        (u > -l ? 1 : 0, -l > u ? 1 : 0)
    }

    public func relaxations(lower: [Double], upper: [Double], variant: Int) -> RelaxationArrays {
        var out = RelaxationArrays(count: lower.count)
        for k in 0..<lower.count {
            let p = variant == 0 ? defaultParameters(l: lower[k], u: upper[k]) : (0, 0)
            let r = lines(l: lower[k], u: upper[k], pl: p.0, pu: p.1)
            out[k] = LinearRelaxation(lowerSlope: r.lower.s, lowerIntercept: r.lower.c, upperSlope: r.upper.s, upperIntercept: r.upper.c)
        }
        return out
    }

    /// The slopes are rounded quotients: at `x = u` the lower line may exceed 1 by `2u·|s·u|`; covered
    /// generously by ``SmoothDefect/line(l:u:s:c:values:)``.
    public func lineDefects(lower: [Double], upper: [Double], relaxation rx: RelaxationArrays) -> (lower: [Double], upper: [Double]) {
        var low = [Double](repeating: 0, count: lower.count), up = low
        for k in 0..<lower.count {
            low[k] = SmoothDefect.line(l: lower[k], u: upper[k], s: rx.lowerSlope[k], c: rx.lowerIntercept[k], values: [1])
            up[k] = SmoothDefect.line(l: lower[k], u: upper[k], s: rx.upperSlope[k], c: rx.upperIntercept[k], values: [1])
        }
        return (low, up)
    }

    public func exactRelaxationMask(lower: [Double], upper: [Double]) -> [Bool] {
        (0..<lower.count).map { !Self.straddles(lower[$0], upper[$0]) && !lower[$0].isNaN && !upper[$0].isNaN }
    }

    public func lineFamily(lower: [Double], upper: [Double]) -> (any LineFamily)? {
        guard (0..<lower.count).contains(where: { Self.straddles(lower[$0], upper[$0]) }) else { return nil }
        return SignLineFamily(sign: self, lower: lower, upper: upper)
    }
}

/// ``Sign``'s lines as a family: the parameter scales each side's slope (`ds/dp` = the steepest slope,
/// `dc/dp = 0`).
struct SignLineFamily: LineFamily {
    let sign: Sign
    let lower: [Double], upper: [Double]
    var parameterisedSides: (lower: Bool, upper: Bool) { (true, true) }

    func initialParameter(lower isLower: Bool, entry k: Int) -> Double {
        let p = sign.defaultParameters(l: lower[k], u: upper[k])
        return isLower ? p.lower : p.upper
    }

    func lines(coefficients a: Matrix, lowerParameters: Matrix?, upperParameters: Matrix?, rowDomain: [Int],
               derivatives: Bool) -> ChosenLines {
        ChosenLines.choosing(for: a, rowDomain: rowDomain, derivatives: derivatives) { isLower, k, e in
            let p = (isLower ? lowerParameters?.data[e] : upperParameters?.data[e]) ?? initialParameter(lower: isLower, entry: k)
            let r = sign.lines(l: lower[k], u: upper[k], pl: p, pu: p)
            let line = isLower ? r.lower : r.upper
            let defect = SmoothDefect.line(l: lower[k], u: upper[k], s: line.s, c: line.c, values: [1])
            return (line.s, line.c, defect, line.ds, 0)
        }
    }
}
