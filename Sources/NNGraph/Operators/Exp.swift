import Foundation
import LinearAlgebra

/// `y = e^x` (ONNX `Exp`): non-decreasing and convex on all of ℝ.
///
/// Relaxation: chord above, tangents below at `t` in `[l, min(u, 700)]` (every tangent of a convex
/// function lies below it everywhere, so `t` need not be in `[l, u]`; capping it at 700 keeps `e^t·t`
/// finite). Overflow: where `e^u` exceeds the largest `Double` the upper bound and upper line are `+∞`
/// (slope 0), and a lower bound that overflows is the largest finite `Double` (the exact value is
/// larger), never `+∞` and never NaN.
public struct Exp: SmoothActivation {
    public let outputSize: Int
    public init(size: Int) { self.outputSize = size }
    public var kind: String { "Exp" }
    public func resized(_ size: Int) -> any ElementwiseActivation { Exp(size: size) }
    public var onnxForm: ONNXActivationForm { ONNXActivationForm(opType: "Exp") }
    public func value(_ x: Double) -> Double { Foundation.exp(x) }
    public func derivative(_ x: Double) -> Double { Foundation.exp(x) }
    public func secondDerivative(_ x: Double) -> Double { Foundation.exp(x) }


    public func imageBounds(_ l: Double, _ u: Double) -> (lower: Double, upper: Double) { (value(l), value(u)) }

    public func smoothLines(l: Double, u: Double) -> (lower: SmoothLine, upper: SmoothLine) {
        let fl = value(l), fu = value(u)
        let cap = 700.0
        let tangent = SmoothLine.tangent(from: min(l, cap), to: min(u, cap), guardX: nil, guardY: nil)
        guard fu.isFinite else { return (tangent, .fixed(slope: 0, intercept: .infinity)) }
        return (tangent, SmoothPieces.chord(l, u, fl, fu))
    }
}
