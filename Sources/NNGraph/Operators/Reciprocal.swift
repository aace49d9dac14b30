import Foundation
import LinearAlgebra

/// `y = 1/x` (ONNX `Reciprocal`): decreasing and convex on `x > 0`, decreasing and concave on `x < 0`.
///
/// An interval holding 0 has no finite bounds: its image is `[−∞, ∞]` and its lines are the constant
/// `−∞` below and `+∞` above (slope 0, no vertical line). On `l > 0`: chord above, tangents below at
/// `t` in `[max(l, 1e-150), u]` (any tangent at `t > 0` lies below `1/x` on `(0, ∞)`; the cap keeps
/// `1/t²` finite); on `u < 0` the mirror image. The value is one division (error `u`); the generous `16u`
/// of library functions is kept.
public struct Reciprocal: SmoothActivation {
    public let outputSize: Int
    public init(size: Int) { self.outputSize = size }
    public var kind: String { "Reciprocal" }
    public func resized(_ size: Int) -> any ElementwiseActivation { Reciprocal(size: size) }
    public var onnxForm: ONNXActivationForm { ONNXActivationForm(opType: "Reciprocal") }
    public func value(_ x: Double) -> Double { 1 / x }
    public func derivative(_ x: Double) -> Double { -1 / (x * x) }
    public func secondDerivative(_ x: Double) -> Double { 2 / (x * x * x) }

    /// Decreasing on each side of 0: `[1/u, 1/l]` when 0 is outside `[l, u]`, else `[−∞, ∞]`.
    public func imageBounds(_ l: Double, _ u: Double) -> (lower: Double, upper: Double) {
        guard l <= u, l > 0 || u < 0 else { return (-.infinity, .infinity) }
        return (value(u), value(l))
    }

    public func smoothLines(l: Double, u: Double) -> (lower: SmoothLine, upper: SmoothLine) {
        let tiny = 1e-150
        if l > 0 {
            return SmoothPieces.convex(l, u, value(l), value(u), from: max(l, tiny), to: max(u, tiny))
        }
        if u < 0 {
            return SmoothPieces.concave(l, u, value(l), value(u), from: min(l, -tiny), to: min(u, -tiny))
        }
        return (.fixed(slope: 0, intercept: -.infinity), .fixed(slope: 0, intercept: .infinity))
    }
}
