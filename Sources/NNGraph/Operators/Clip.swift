import LinearAlgebra

/// `y = min(max(x, lower), upper)` with constant bounds, either of which may be absent (ONNX `Clip`,
/// ReLU6, Hardtanh; `Max`/`Min` with a scalar constant). Comparisons only, so exact. With
/// `lower > upper` ONNX's order of operations gives the constant `upper`.
public struct Clip: PiecewiseLinearActivation {
    public let outputSize: Int
    public let lower: Double?
    public let upper: Double?

    public init(size: Int, lower: Double?, upper: Double?) {
        precondition(lower != nil || upper != nil, "Clip: at least one bound")
        precondition((lower?.isFinite ?? true) && (upper?.isFinite ?? true), "Clip: bounds must be finite")
        self.outputSize = size
        self.lower = lower
        self.upper = upper
    }

    public var kind: String { "Clip" }

    public func value(_ x: Double) -> Double {
        var y = x
        if let lower, y < lower { y = lower }
        if let upper, y > upper { y = upper }
        return y
    }

    public var valueRoundingError: Double { 0 }

    public var pieces: PiecewiseLinearPieces {
        switch (lower, upper) {
        case let (lo?, hi?) where lo < hi:
            return PiecewiseLinearPieces(breakpoints: [lo, hi], slopes: [0, 1, 0], valueAtFirst: lo)
        case let (_?, hi?):
            return PiecewiseLinearPieces(breakpoints: [hi], slopes: [0, 0], valueAtFirst: hi)
        case let (lo?, nil):
            return PiecewiseLinearPieces(breakpoints: [lo], slopes: [0, 1], valueAtFirst: lo)
        case let (nil, hi?):
            return PiecewiseLinearPieces(breakpoints: [hi], slopes: [1, 0], valueAtFirst: hi)
        case (nil, nil):
            preconditionFailure("Clip: at least one bound")
        }
    }

    public func resized(_ size: Int) -> any ElementwiseActivation { Clip(size: size, lower: lower, upper: upper) }
    public var onnxForm: ONNXActivationForm { ONNXActivationForm(opType: "Clip", scalarInputs: [lower, upper]) }
}
