import LinearAlgebra

/// `y = x` for `x >= 0`, `y = α·x` below (ONNX `LeakyRelu`, and `PRelu` with a single slope). Convex for
/// `α <= 1`, concave for `α > 1`; everything bound propagation, LP and branch-and-bound need comes from
/// its pieces (``PiecewiseLinearActivation``).
public struct LeakyReLU: PiecewiseLinearActivation {
    public let outputSize: Int
    /// The slope below 0.
    public let alpha: Double

    public init(size: Int, alpha: Double) {
        precondition(alpha.isFinite, "LeakyReLU: slope must be finite")
        self.outputSize = size
        self.alpha = alpha
    }

    public var kind: String { "LeakyRelu" }
    public func value(_ x: Double) -> Double { x >= 0 ? x : alpha * x }
    /// One rounded product below 0.
    public var valueRoundingError: Double { LineDefect.unit }
    public var pieces: PiecewiseLinearPieces { PiecewiseLinearPieces(breakpoints: [0], slopes: [alpha, 1], valueAtFirst: 0) }
    public func resized(_ size: Int) -> any ElementwiseActivation { LeakyReLU(size: size, alpha: alpha) }
    public var onnxForm: ONNXActivationForm { ONNXActivationForm(opType: "LeakyRelu", floatAttributes: ["alpha": alpha]) }
}
