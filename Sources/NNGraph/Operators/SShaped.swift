import Foundation
import LinearAlgebra

/// Logistic sigmoid `y = 1 / (1 + e^-x)`.
public struct Sigmoid: MonotoneActivation {
    public let outputSize: Int
    public init(size: Int) { self.outputSize = size }
    public var kind: String { "Sigmoid" }
    public func resized(_ size: Int) -> any ElementwiseActivation { Sigmoid(size: size) }
    public var onnxForm: ONNXActivationForm { ONNXActivationForm(opType: "Sigmoid") }
    public func value(_ x: Double) -> Double { 1 / (1 + exp(-x)) }
    public func derivative(_ x: Double) -> Double { let s = value(x); return s * (1 - s) }
    /// `k·x·σ(x)` (γ = 1, β = 0) is SiLU with scale `k·α`.
    public func timesInput(factor k: Double, innerScale γ: Double, outerScale α: Double, outerShift β: Double) -> (any ElementwiseActivation)? {
        γ == 1 && β == 0 && (k * α).isFinite && k * α != 0 ? SiLU(size: outputSize, scale: k * α) : nil
    }
}

/// Hyperbolic tangent.
public struct Tanh: MonotoneActivation {
    public let outputSize: Int
    public init(size: Int) { self.outputSize = size }
    public var kind: String { "Tanh" }
    public func resized(_ size: Int) -> any ElementwiseActivation { Tanh(size: size) }
    public var onnxForm: ONNXActivationForm { ONNXActivationForm(opType: "Tanh") }
    public func value(_ x: Double) -> Double { tanh(x) }
    public func derivative(_ x: Double) -> Double { let t = tanh(x); return 1 - t * t }
}

extension SShapedActivation {
    /// Library functions (`exp`, `tanh`) are within a few ulp; `16u` relative is assumed.
    public var valueRoundingError: Double { 16 * LineDefect.unit }

    /// The fixed lines of ``sShapedRelaxation(lower:upper:f:df:)`` for every neuron (one variant).
    public func relaxations(lower: [Double], upper: [Double], variant: Int) -> RelaxationArrays {
        var out = RelaxationArrays(count: lower.count)
        for k in 0..<lower.count { out[k] = sShapedRelaxation(lower: lower[k], upper: upper[k], f: value, df: derivative) }
        return out
    }

    public func lineDefects(lower: [Double], upper: [Double], relaxation: RelaxationArrays) -> (lower: [Double], upper: [Double]) {
        LineDefect.smooth(lower: lower, upper: upper, relaxation: relaxation)
    }

    public func lineFamily(lower: [Double], upper: [Double]) -> (any LineFamily)? {
        TangentLineFamily(activation: self, ranges: tangentRanges(lower: lower, upper: upper))
    }
}

extension Sigmoid: SShapedActivation {
    /// With `e = e^-|x|`: `σ' = e/(1+e)²` and `σ'' = σ'·(1 − e)/(1 + e)·(−sign x)`, accurate in both tails.
    public func derivatives(_ x: Double) -> (first: Double, second: Double) {
        let em = expm1(-abs(x)), e = 1 + em
        let first = e / ((1 + e) * (1 + e))
        let second = first * (-em) / (1 + e)
        return (first, x >= 0 ? -second : second)
    }
}

extension Tanh: SShapedActivation {
    /// With `m = e^-2|x| − 1`: `tanh|x| = −m/(2 + m)`, `tanh' = 4(1 + m)/(2 + m)²`, `tanh'' = −2·tanh·tanh'`.
    public func derivatives(_ x: Double) -> (first: Double, second: Double) {
        let em = expm1(-2 * abs(x))
        let first = 4 * (1 + em) / ((2 + em) * (2 + em))
        let t = -em / (2 + em)
        let second = -2 * t * first
        return (first, x >= 0 ? second : -second)
    }
}

/// Sound linear bounds for a monotone S-shaped function, convex on x <= 0 and concave on x >= 0,
/// whose derivative is largest at 0 (sigmoid, tanh).
///
/// - Convex piece (`u <= 0`): chord above, tangent at the midpoint below.
/// - Concave piece (`l >= 0`): chord below, tangent at the midpoint above.
/// - Across 0: both lines take the slope `k = min(f'(l), f'(u))`, which bounds `f'` from below on
///   `[l, u]`, so `f(l) + k (x - l) <= f(x) <= f(u) + k (x - u)` there.
/// A margin of `1e-12` widens each line against rounding in the slope and intercept.
func sShapedRelaxation(lower l: Double, upper u: Double, f: (Double) -> Double, df: (Double) -> Double) -> LinearRelaxation {
    let margin = 1e-12
    let fl = f(l), fu = f(u)
    if !(u - l > 1e-9) {
        return LinearRelaxation(lowerSlope: 0, lowerIntercept: min(fl, fu) - margin, upperSlope: 0, upperIntercept: max(fl, fu) + margin)
    }
    let chord = (fu - fl) / (u - l)
    let m = 0.5 * (l + u), fm = f(m), dm = df(m)
    var r: LinearRelaxation
    if u <= 0 {
        r = LinearRelaxation(lowerSlope: dm, lowerIntercept: fm - dm * m, upperSlope: chord, upperIntercept: fl - chord * l)
    } else if l >= 0 {
        r = LinearRelaxation(lowerSlope: chord, lowerIntercept: fl - chord * l, upperSlope: dm, upperIntercept: fm - dm * m)
    } else {
        let k = min(df(l), df(u))
        r = LinearRelaxation(lowerSlope: k, lowerIntercept: fl - k * l, upperSlope: k, upperIntercept: fu - k * u)
    }
    r.lowerIntercept -= margin
    r.upperIntercept += margin
    return r
}
