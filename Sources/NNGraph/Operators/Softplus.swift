import Foundation
import LinearAlgebra

/// `y = log(1 + e^x)` (ONNX `Softplus`), computed stably as `max(x, 0) + log1p(e^−|x|)`:
/// non-decreasing and convex (`f' = σ(x)`, `f'' = σ(x)(1 − σ(x))`).
///
/// Relaxation: chord above, tangents at `t` in `[l, u]` below (convex everywhere).
public struct Softplus: SmoothActivation {
    public let outputSize: Int
    public init(size: Int) { self.outputSize = size }
    public var kind: String { "Softplus" }
    public func resized(_ size: Int) -> any ElementwiseActivation { Softplus(size: size) }
    public var onnxForm: ONNXActivationForm { ONNXActivationForm(opType: "Softplus") }
    public func value(_ x: Double) -> Double { max(x, 0) + log1p(Foundation.exp(-abs(x))) }
    /// `σ(x)`, from `e^−|x|` (accurate in both tails).
    public func derivative(_ x: Double) -> Double {
        let e = Foundation.exp(-abs(x))
        return x >= 0 ? 1 / (1 + e) : e / (1 + e)
    }
    /// `σ(1 − σ) = e^−|x| / (1 + e^−|x|)²`.
    public func secondDerivative(_ x: Double) -> Double {
        let e = Foundation.exp(-abs(x))
        return e / ((1 + e) * (1 + e))
    }


    public func imageBounds(_ l: Double, _ u: Double) -> (lower: Double, upper: Double) { (value(l), value(u)) }

    public func smoothLines(l: Double, u: Double) -> (lower: SmoothLine, upper: SmoothLine) {
        SmoothPieces.convex(l, u, value(l), value(u))
    }
}
