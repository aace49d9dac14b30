import Foundation
import LinearAlgebra

/// `y = log x` (ONNX `Log`): non-decreasing and concave on `x > 0`.
///
/// Domain: ONNX gives NaN for `x < 0` and `−∞` at 0; the IR value is `−∞` for every `x <= 0` (the
/// limit at 0), so it is never NaN for a number. Bounds: on `[l, u]` with `l <= 0` the lower bound
/// is `−∞` (no finite bound exists) and the lower line is the constant `−∞`; the upper line is a
/// tangent at some `t > 0`, which lies above `log` on all of `(0, ∞)` (concave) and trivially above
/// `−∞`. With `u <= 0` the image is `[−∞, −M]`, `M` the largest `Double`.
/// On `l > 0`: chord below, tangents at `t` in `[l, u]` above.
public struct Log: SmoothActivation {
    public let outputSize: Int
    public init(size: Int) { self.outputSize = size }
    public var kind: String { "Log" }
    public func resized(_ size: Int) -> any ElementwiseActivation { Log(size: size) }
    public var onnxForm: ONNXActivationForm { ONNXActivationForm(opType: "Log") }
    public func value(_ x: Double) -> Double { x > 0 ? Foundation.log(x) : (x.isNaN ? x : -.infinity) }
    public func derivative(_ x: Double) -> Double { x > 0 ? 1 / x : .infinity }
    public func secondDerivative(_ x: Double) -> Double { x > 0 ? -1 / (x * x) : 0 }


    public func imageBounds(_ l: Double, _ u: Double) -> (lower: Double, upper: Double) { (value(l), value(u)) }

    public func smoothLines(l: Double, u: Double) -> (lower: SmoothLine, upper: SmoothLine) {
        guard u > 0 else { return (.fixed(slope: 0, intercept: -.infinity), .fixed(slope: 0, intercept: -.greatestFiniteMagnitude)) }
        guard l > 0 else {
            // Tangents at t in [u/16, u]: above log on (0, ∞); below 0 the function is −∞.
            return (.fixed(slope: 0, intercept: -.infinity), .tangent(from: u / 16, to: u, guardX: nil, guardY: nil))
        }
        return SmoothPieces.concave(l, u, value(l), value(u))
    }
}
