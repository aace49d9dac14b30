import Foundation
import LinearAlgebra

/// `y = a·x·(1 + erf(γ·x))`: ONNX `Gelu` (opset 20, `approximate="none"`: `a = 1/2`, `γ = 1/√2`), and
/// the `x · (erf(x/√2) + 1) · 0.5` pattern exporters emit before opset 20, fused by the loader with the
/// pattern's own constants (so the operator computes exactly what the graph does).
///
/// `f' = a·(erfc(−γx) + (2γ/√π)·x·e^(−γ²x²))`, `f'' = a·(4γ/√π)·e^(−γ²x²)·(1 − γ²x²)`: inflection points
/// `±1/γ`, convex between them when `a > 0` (an ``InflectedActivation``). `f` is computed as
/// `a·x·erfc(−γx)`, accurate in the negative tail where `1 + erf` would cancel. Its one stationary point
/// (the minimum for `a > 0`) lies in `[−4/γ, 0]`: there `f'` has the sign of `a` at 0 and of `−a` at `−4/γ`.
public struct Gelu: InflectedActivation {
    public let outputSize: Int
    /// The factor `a` and the erf argument scale `γ > 0`.
    public let scale: Double, erfScale: Double

    public init(size: Int, scale: Double = 0.5, erfScale: Double = 1 / 2.0.squareRoot()) {
        precondition(erfScale > 0 && erfScale.isFinite && scale.isFinite && scale != 0, "Gelu: invalid constants")
        self.outputSize = size
        self.scale = scale
        self.erfScale = erfScale
    }

    public var kind: String { "Gelu" }
    public func resized(_ size: Int) -> any ElementwiseActivation { Gelu(size: size, scale: scale, erfScale: erfScale) }
    /// Opset 20's `Gelu` (exact for the default constants; a fused pattern's constants differ from it in
    /// the last float32 digits).
    public var onnxForm: ONNXActivationForm { ONNXActivationForm(opType: "Gelu") }

    public func value(_ x: Double) -> Double {
        if x == -.infinity { return 0 }
        return scale * x * erfc(-erfScale * x)
    }

    public func derivative(_ x: Double) -> Double {
        guard x.isFinite else { return x > 0 ? scale * 2 : 0 }
        let g = erfScale * x
        return scale * (erfc(-g) + 1.1283791670955126 * g * Foundation.exp(-g * g))
    }

    public func secondDerivative(_ x: Double) -> Double {
        guard x.isFinite else { return 0 }
        let g = erfScale * x
        return scale * 2.2567583341910252 * erfScale * Foundation.exp(-g * g) * (1 - g * g)
    }

    public var inflections: [Double] { [-1 / erfScale, 1 / erfScale] }
    public var leftCurvature: Double { scale > 0 ? -1 : 1 }
    public var stationaryRange: ClosedRange<Double> { (-4 / erfScale)...0 }
    public var limits: (minusInfinity: Double, plusInfinity: Double) { (0, scale > 0 ? .infinity : -.infinity) }
}

/// ONNX `Gelu` with `approximate="tanh"`: `y = x/2 · (1 + tanh(k·(x + 0.044715·x³)))`, `k = √(2/π)`.
/// With `t = tanh(g)`, `g = k(x + 0.044715x³)`: `f' = (1 + t)/2 + x(1 − t²)g'/2` and
/// `f'' = (1 − t²)·(g' + x(g'' − 2t·g'²)/2)`. Its inflection points are the sign changes of `f''`, found
/// once by scanning `[−12, 12]` (beyond, `1 − t²` has a fixed sign factor and the bracket's sign is that
/// of `−x·t·g'²`, negative on both sides: no further change); the stationary point (the minimum) lies in
/// `[−4, 0]`.
public struct GeluTanh: InflectedActivation {
    public let outputSize: Int
    public init(size: Int) { self.outputSize = size }
    public var kind: String { "GeluTanh" }
    public func resized(_ size: Int) -> any ElementwiseActivation { GeluTanh(size: size) }
    public var onnxForm: ONNXActivationForm { ONNXActivationForm(opType: "Gelu") }

    private static let k = (2 / Double.pi).squareRoot(), cubic = 0.044715

    public func value(_ x: Double) -> Double {
        guard x.isFinite else { return x > 0 ? .infinity : 0 }
        let g = Self.k * (x + Self.cubic * x * x * x)
        // 1 + tanh(g) = 2/(1 + e^(−2g)): no cancellation for g ≪ 0.
        return x / (1 + Foundation.exp(-2 * g))
    }

    public func derivative(_ x: Double) -> Double {
        guard x.isFinite else { return x > 0 ? 1 : 0 }
        let g = Self.k * (x + Self.cubic * x * x * x), dg = Self.k * (1 + 3 * Self.cubic * x * x)
        let t = tanh(g)
        return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * dg
    }

    public func secondDerivative(_ x: Double) -> Double {
        guard x.isFinite else { return 0 }
        let g = Self.k * (x + Self.cubic * x * x * x), dg = Self.k * (1 + 3 * Self.cubic * x * x)
        let d2g = Self.k * 6 * Self.cubic * x
        let t = tanh(g)
        return (1 - t * t) * (dg + 0.5 * x * (d2g - 2 * t * dg * dg))
    }

    private static let roots = InflectedExtremes.roots(of: { GeluTanh(size: 1).secondDerivative($0) }, from: -12, to: 12)
    public var inflections: [Double] { Self.roots }
    public var leftCurvature: Double { -1 }
    public var stationaryRange: ClosedRange<Double> { -4...0 }
    public var limits: (minusInfinity: Double, plusInfinity: Double) { (0, .infinity) }
}

/// `y = a·x·σ(x)` (SiLU / Swish; PyTorch exports `x * sigmoid(x)`, which the loader fuses, and `a`
/// absorbs a constant factor on `x`). `f' = a(σ + xσ(1 − σ))`, `f'' = a·σ(1 − σ)(2 + x(1 − 2σ))`: the
/// inflection points solve `x·tanh(x/2) = 2` (found once by bisection); convex between them for
/// `a > 0`. The stationary point (the minimum for `a > 0`) lies in `[−4, 0]`.
public struct SiLU: InflectedActivation {
    public let outputSize: Int
    public let scale: Double
    public init(size: Int, scale: Double = 1) {
        precondition(scale.isFinite && scale != 0, "SiLU: invalid scale")
        self.outputSize = size
        self.scale = scale
    }
    public var kind: String { "SiLU" }
    public func resized(_ size: Int) -> any ElementwiseActivation { SiLU(size: size, scale: scale) }
    /// Not one ONNX node before opset 24 (`Swish`); written as that.
    public var onnxForm: ONNXActivationForm { ONNXActivationForm(opType: "Swish") }

    /// `σ(x)` from `e^−|x|` (no overflow in either tail).
    private static func sigmoid(_ x: Double) -> Double {
        let e = Foundation.exp(-abs(x))
        return x >= 0 ? 1 / (1 + e) : e / (1 + e)
    }

    public func value(_ x: Double) -> Double {
        guard x.isFinite else { return x > 0 ? scale * .infinity : 0 }
        return scale * x * Self.sigmoid(x)
    }

    public func derivative(_ x: Double) -> Double {
        guard x.isFinite else { return x > 0 ? scale : 0 }
        let s = Self.sigmoid(x)
        return scale * (s + x * s * (1 - s))
    }

    public func secondDerivative(_ x: Double) -> Double {
        guard x.isFinite else { return 0 }
        let s = Self.sigmoid(x)
        return scale * s * (1 - s) * (2 + x * (1 - 2 * s))
    }

    private static let roots = InflectedExtremes.roots(of: { 2 + $0 * (1 - 2 * SiLU.sigmoid($0)) }, from: -12, to: 12)
    public var inflections: [Double] { Self.roots }
    public var leftCurvature: Double { scale > 0 ? -1 : 1 }
    public var stationaryRange: ClosedRange<Double> { -4...0 }
    public var limits: (minusInfinity: Double, plusInfinity: Double) { (0, scale > 0 ? .infinity : -.infinity) }
}
