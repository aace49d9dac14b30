import LinearAlgebra

/// `y = |x|` (ONNX `Abs`): not monotone, so its interval map comes from its pieces (the minimum 0 is
/// attained inside an interval that straddles 0), never from the end points alone.
public struct Abs: PiecewiseLinearActivation {
    public let outputSize: Int
    public init(size: Int) { self.outputSize = size }

    public var kind: String { "Abs" }
    public func value(_ x: Double) -> Double { abs(x) }
    public var valueRoundingError: Double { 0 }
    public var pieces: PiecewiseLinearPieces { PiecewiseLinearPieces(breakpoints: [0], slopes: [-1, 1], valueAtFirst: 0) }
    public func resized(_ size: Int) -> any ElementwiseActivation { Abs(size: size) }
    public var onnxForm: ONNXActivationForm { ONNXActivationForm(opType: "Abs") }
}
