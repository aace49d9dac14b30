import Foundation
import LinearAlgebra

/// `y = √x` (ONNX `Sqrt`; also `Pow(x, 0.5)`): non-decreasing, concave on `x >= 0`.
///
/// Domain: ONNX gives NaN for `x < 0`; the IR value is `√max(x, 0)` (0 below 0, the limit at 0), so
/// bounds are sound for that function and never NaN. Relaxation (``concavePowerLines(l:u:fl:fu:)``).
public struct Sqrt: SmoothActivation {
    public let outputSize: Int
    public init(size: Int) { self.outputSize = size }
    public var kind: String { "Sqrt" }
    public func resized(_ size: Int) -> any ElementwiseActivation { Sqrt(size: size) }
    public var onnxForm: ONNXActivationForm { ONNXActivationForm(opType: "Sqrt") }
    public func value(_ x: Double) -> Double { x > 0 ? x.squareRoot() : (x.isNaN ? x : 0) }
    /// `1/(2√x)`; 0 at and below 0 (no finite one-sided derivative at 0).
    public func derivative(_ x: Double) -> Double { x > 0 ? 0.5 / x.squareRoot() : 0 }
    public func secondDerivative(_ x: Double) -> Double { x > 0 ? -0.25 / (x * x.squareRoot()) : 0 }


    public func imageBounds(_ l: Double, _ u: Double) -> (lower: Double, upper: Double) { (value(l), value(u)) }

    public func smoothLines(l: Double, u: Double) -> (lower: SmoothLine, upper: SmoothLine) {
        Self.concavePowerLines(l: l, u: u, fl: value(l), fu: value(u))
    }

    /// Lines of `g(x) = max(x, 0)^p`, `0 < p < 1` (concave and non-decreasing on `x >= 0`, 0 below):
    /// - `u <= 0`: `g = 0`, the constant lines 0;
    /// - `l >= 0`: chord below, tangents above at `t` in `[max(l, u/1024), u]` (`t > 0`; every tangent at
    ///   `t > 0` lies above `g` on `[0, ∞)`);
    /// - `l < 0 < u`: below, the chord of `[0, u]` through the origin (slope `g(u)/u >= 0`: below `g` on
    ///   `[0, u]` by concavity and `<= 0 = g` below 0); above, a tangent at `t` in `[u/1024, u]` whose
    ///   intercept is raised to pass through `(l, 0)` if it would pass below it: an increasing line
    ///   `>= 0` at `l` is `>= 0 = g` on `[l, 0]`, and the raised tangent is above `g` on `[0, u]`.
    static func concavePowerLines(l: Double, u: Double, fl: Double, fu: Double) -> (lower: SmoothLine, upper: SmoothLine) {
        if u <= 0 { return (.fixed(slope: 0, intercept: 0), .fixed(slope: 0, intercept: 0)) }
        if l >= 0 { return SmoothPieces.concave(l, u, fl, fu, from: max(l, u / 1024), to: u) }
        return (.fixed(slope: fu / u, intercept: 0), .tangent(from: u / 1024, to: u, guardX: l, guardY: 0))
    }
}
