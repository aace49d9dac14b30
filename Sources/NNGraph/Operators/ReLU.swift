import LinearAlgebra

/// `y = max(0, x)`.
///
/// Relaxation on an unstable interval `l < 0 < u` (CROWN, Zhang et al. 2018): upper line is the chord
/// `u (x - l) / (u - l)`; lower line is `α x` with the adaptive slope `α = 1` if `u > -l`, else `0`.
public struct ReLU: ElementwiseActivation {
    public let outputSize: Int
    public init(size: Int) { self.outputSize = size }

    public var kind: String { "Relu" }
    public func value(_ x: Double) -> Double { x > 0 ? x : 0 }
    public func derivative(_ x: Double) -> Double { x > 0 ? 1 : 0 }

    public func relaxation(lower l: Double, upper u: Double) -> LinearRelaxation {
        if l >= 0 { return LinearRelaxation(lowerSlope: 1, lowerIntercept: 0, upperSlope: 1, upperIntercept: 0) }
        if u <= 0 { return LinearRelaxation(lowerSlope: 0, lowerIntercept: 0, upperSlope: 0, upperIntercept: 0) }
        let slope = u / (u - l)
        return LinearRelaxation(lowerSlope: u > -l ? 1 : 0, lowerIntercept: 0,
                                upperSlope: slope, upperIntercept: -slope * l)
    }

    public var stableSplit: Double? { 0 }

    /// Variant 0 is the adaptive lower slope; variant 1 uses the chord's slope `u / (u - l)` for the
    /// lower line too (as DeepPoly's parallel choice). Both are sound; which is tighter depends on
    /// the neuron, so bound propagation may run both and keep the better bound.
    public var relaxationVariants: Int { 2 }

    public func relaxations(lower: [Double], upper: [Double]) -> RelaxationArrays {
        relaxations(lower: lower, upper: upper, variant: 0)
    }

    public func relaxations(lower: [Double], upper: [Double], variant: Int) -> RelaxationArrays {
        var out = RelaxationArrays(count: lower.count)
        for k in 0..<lower.count {
            let (l, u) = (lower[k], upper[k])
            if l >= 0 {
                out.lowerSlope[k] = 1; out.upperSlope[k] = 1
            } else if u > 0 {
                let slope = u / (u - l)
                out.lowerSlope[k] = variant == 1 ? slope : (u > -l ? 1 : 0)
                out.upperSlope[k] = slope
                out.upperIntercept[k] = -slope * l
            }
        }
        return out
    }

    /// The relaxation with a chosen lower slope `alpha` in [0, 1] (for slope optimisation).
    public func relaxation(lower l: Double, upper u: Double, alpha: Double) -> LinearRelaxation {
        var r = relaxation(lower: l, upper: u)
        if l < 0 && u > 0 { r.lowerSlope = min(max(alpha, 0), 1) }
        return r
    }
}
