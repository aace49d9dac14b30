import Foundation
import LinearAlgebra

/// The Gauss error function `erf x` (ONNX `Erf`): odd, non-decreasing, convex on `x <= 0` and concave on
/// `x >= 0` with its largest slope at 0, so it is an ``SShapedActivation`` (sigmoid/tanh's chord and
/// tangent relaxation and tangent line family). `f' = (2/√π)·e^(−x²)` with `x² = p + e` split exactly
/// by a fused multiply-add (`e^(−x²) = e^(−p)·e^(−e)`, `e^(−e) ≈ 1 − e` as `|e| <= u·p`), so `f'` and
/// `f'' = −2x·f'` keep a few ulps of relative accuracy in the tails as the tangent lines need.
public struct Erf: SShapedActivation {
    public let outputSize: Int
    public init(size: Int) { self.outputSize = size }
    public var kind: String { "Erf" }
    public func resized(_ size: Int) -> any ElementwiseActivation { Erf(size: size) }
    public var onnxForm: ONNXActivationForm { ONNXActivationForm(opType: "Erf") }
    public func value(_ x: Double) -> Double { Foundation.erf(x) }
    public func derivative(_ x: Double) -> Double { derivatives(x).first }

    public func derivatives(_ x: Double) -> (first: Double, second: Double) {
        let p = x * x
        guard p < 800 else { return (0, 0) }   // e^-800 underflows to 0 (also for infinite x, avoiding ∞ − ∞)
        let g = Foundation.exp(-p) * (1 - fmaLow(x))
        let first = 1.1283791670955126 * g
        return (first, -2 * x * first)
    }

    /// `x·x − fl(x·x)`, exactly (fused multiply-add).
    private func fmaLow(_ x: Double) -> Double {
        let p = x * x
        return (-p).addingProduct(x, x)
    }

    public func relaxations(lower: [Double], upper: [Double], variant: Int) -> RelaxationArrays {
        guardedSShapedRelaxations(lower: lower, upper: upper)
    }

    public func lineFamily(lower: [Double], upper: [Double]) -> (any LineFamily)? {
        guardedSShapedFamily(lower: lower, upper: upper)
    }

    public func lineDefects(lower: [Double], upper: [Double], relaxation: RelaxationArrays) -> (lower: [Double], upper: [Double]) {
        guardedSShapedDefects(lower: lower, upper: upper, relaxation: relaxation)
    }

    /// `k·x·(α·erf(γx) + α)` (γ > 0) is ``Gelu`` with scale `k·α` and erf scale `γ`.
    public func timesInput(factor k: Double, innerScale γ: Double, outerScale α: Double, outerShift β: Double) -> (any ElementwiseActivation)? {
        α == β && γ > 0 && γ.isFinite && (k * α).isFinite && k * α != 0 ? Gelu(size: outputSize, scale: k * α, erfScale: γ) : nil
    }
}

/// `y = x / (1 + |x|)` (ONNX `Softsign`): odd, non-decreasing, convex on `x <= 0` and concave on
/// `x >= 0`, slope largest at 0: an ``SShapedActivation``. `f' = 1/(1 + |x|)²`,
/// `f'' = −2·sign(x)/(1 + |x|)³` (rational, a few ulps everywhere).
public struct Softsign: SShapedActivation {
    public let outputSize: Int
    public init(size: Int) { self.outputSize = size }
    public var kind: String { "Softsign" }
    public func resized(_ size: Int) -> any ElementwiseActivation { Softsign(size: size) }
    public var onnxForm: ONNXActivationForm { ONNXActivationForm(opType: "Softsign") }
    public func value(_ x: Double) -> Double { x.isInfinite ? (x > 0 ? 1 : -1) : x / (1 + abs(x)) }
    public func derivative(_ x: Double) -> Double { derivatives(x).first }

    public func derivatives(_ x: Double) -> (first: Double, second: Double) {
        guard x.isFinite else { return (0, 0) }
        let d = 1 + abs(x)
        let first = 1 / (d * d)
        let second = 2 * first / d
        return (first, x >= 0 ? -second : second)
    }

    public func relaxations(lower: [Double], upper: [Double], variant: Int) -> RelaxationArrays {
        guardedSShapedRelaxations(lower: lower, upper: upper)
    }

    public func lineFamily(lower: [Double], upper: [Double]) -> (any LineFamily)? {
        guardedSShapedFamily(lower: lower, upper: upper)
    }

    public func lineDefects(lower: [Double], upper: [Double], relaxation: RelaxationArrays) -> (lower: [Double], upper: [Double]) {
        guardedSShapedDefects(lower: lower, upper: upper, relaxation: relaxation)
    }
}

extension SShapedActivation {
    /// The S-shaped relaxation where both bounds are finite; elsewhere (an infinite or NaN bound, whose
    /// chord and midpoint are not numbers) the constant lines of the interval image `[f(l), f(u)]`
    /// (bounded functions: finite), widened by the same `1e-12` margin.
    func guardedSShapedRelaxations(lower: [Double], upper: [Double]) -> RelaxationArrays {
        var out = RelaxationArrays(count: lower.count)
        for k in 0..<lower.count {
            let l = lower[k], u = upper[k]
            if l.isFinite && u.isFinite && l <= u && (u - l).isFinite {
                out[k] = sShapedRelaxation(lower: l, upper: u, f: value, df: derivative)
            } else {
                let lo = l.isNaN ? -Double.infinity : value(l), hi = u.isNaN ? Double.infinity : value(u)
                out[k] = LinearRelaxation(lowerSlope: 0, lowerIntercept: lo - 1e-12, upperSlope: 0, upperIntercept: hi + 1e-12)
            }
        }
        return out
    }

    /// ``LineDefect/smooth(lower:upper:relaxation:)``, with `|s|·h` taken as 0 for the constant lines of
    /// infinite intervals (where `0·∞` would be NaN).
    func guardedSShapedDefects(lower: [Double], upper: [Double], relaxation rx: RelaxationArrays) -> (lower: [Double], upper: [Double]) {
        var low = [Double](repeating: 0, count: lower.count), up = low
        for k in 0..<lower.count {
            let h = max(abs(lower[k]), abs(upper[k]))
            func d(_ s: Double, _ c: Double) -> Double {
                16 * LineDefect.unit * (1 + (s == 0 ? 0 : abs(s) * h) + abs(c))
            }
            low[k] = d(rx.lowerSlope[k], rx.lowerIntercept[k])
            up[k] = d(rx.upperSlope[k], rx.upperIntercept[k])
        }
        return (low, up)
    }

    /// The tangent family, or none when some bound is not finite (its tangent ranges would not be numbers).
    func guardedSShapedFamily(lower: [Double], upper: [Double]) -> (any LineFamily)? {
        for k in 0..<lower.count where !(lower[k].isFinite && upper[k].isFinite && (upper[k] - lower[k]).isFinite) { return nil }
        return TangentLineFamily(activation: self, ranges: tangentRanges(lower: lower, upper: upper))
    }
}
