import Foundation
import LinearAlgebra

/// `y = x^p` for a constant exponent `p` (ONNX `Pow` whose exponent input is a constant scalar).
///
/// Supported exponents (``Pow/unsupportedReason(_:)`` says why others are not; 0 and 1 are handled by
/// the loader as the constant 1 and an alias):
/// - even integers `2 ... 64`: convex everywhere; chord above, tangents below;
/// - odd integers `3 ... 63`: increasing, concave on `x <= 0`, convex on `x >= 0`; on one side chord and
///   tangents; across 0 lines through an end point (below) / (above) whose slope bounds every secant
///   slope to that end point (for 3 the tightest such line, for others `u^p/(u − l)`, see
///   ``acrossZeroLines(l:u:)``);
/// - negative integers `−1 ... −64`: singular at 0, so an interval holding 0 has the image `[−∞, ∞]`
///   and constant infinite lines; `x > 0` convex; `x < 0` convex (even) or concave (odd);
/// - real `p` in `(0, 64]`: ONNX gives NaN for `x < 0`; the IR value is `max(x, 0)^p` (0 below 0, the
///   limit at 0), non-decreasing; convex for `p > 1`, concave on `x >= 0` for `p < 1` (lines as ``Sqrt``).
public struct Pow: SmoothActivation {
    public let outputSize: Int
    public let exponent: Double

    public init(size: Int, exponent: Double) {
        precondition(Pow.unsupportedReason(exponent) == nil, "Pow: unsupported exponent \(exponent)")
        self.outputSize = size
        self.exponent = exponent
    }

    /// Why the exponent `p` is not supported on computed tensors, or nil.
    public static func unsupportedReason(_ p: Double) -> String? {
        guard p.isFinite else { return "the exponent \(p) is not finite" }
        if p == 0 || p == 1 { return "the exponent \(p) is an identity or constant, not an activation" }
        if p == p.rounded() {
            return abs(p) <= 64 ? nil : "integer exponents beyond ±64 are not supported (got \(p))"
        }
        if p < 0 { return "negative non-integer exponents (got \(p)) are not supported" }
        return p <= 64 ? nil : "real exponents beyond 64 are not supported (got \(p))"
    }

    var isInteger: Bool { exponent == exponent.rounded() }
    var integer: Int { Int(exponent) }

    public var kind: String { "Pow" }
    public func resized(_ size: Int) -> any ElementwiseActivation { Pow(size: size, exponent: exponent) }
    /// Written as `Pow(x, p)` with the exponent as a constant input.
    public var onnxForm: ONNXActivationForm { ONNXActivationForm(opType: "Pow", scalarInputs: [exponent]) }

    public func value(_ x: Double) -> Double {
        if isInteger { return Foundation.pow(x, exponent) }
        return x > 0 ? Foundation.pow(x, exponent) : (x.isNaN ? x : 0)
    }

    public func derivative(_ x: Double) -> Double {
        if isInteger { return exponent * Foundation.pow(x, exponent - 1) }
        return x > 0 ? exponent * Foundation.pow(x, exponent - 1) : 0
    }

    public func secondDerivative(_ x: Double) -> Double {
        if isInteger { return exponent * (exponent - 1) * Foundation.pow(x, exponent - 2) }
        return x > 0 ? exponent * (exponent - 1) * Foundation.pow(x, exponent - 2) : 0
    }

    public func imageBounds(_ l: Double, _ u: Double) -> (lower: Double, upper: Double) {
        guard l <= u else { return (-.infinity, .infinity) }
        let fl = value(l), fu = value(u)
        if !isInteger || integer % 2 != 0 && integer > 0 { return (fl, fu) }           // non-decreasing
        if integer > 0 { return (l <= 0 && u >= 0 ? 0 : min(fl, fu), max(fl, fu)) }     // even: minimum 0 at 0
        guard l > 0 || u < 0 else { return (-.infinity, .infinity) }                     // pole at 0
        return (min(fl, fu), max(fl, fu))                                                // monotone on each side
    }

    public func smoothLines(l: Double, u: Double) -> (lower: SmoothLine, upper: SmoothLine) {
        let fl = value(l), fu = value(u)
        if !isInteger {
            if exponent > 1 {
                // max(x, 0)^p is convex on all of ℝ (a convex non-decreasing map of the convex max(x, 0)).
                return u <= 0 ? (.fixed(slope: 0, intercept: 0), .fixed(slope: 0, intercept: 0)) : SmoothPieces.convex(l, u, fl, fu)
            }
            return Sqrt.concavePowerLines(l: l, u: u, fl: fl, fu: fu)
        }
        let n = integer
        if n > 0 && n % 2 == 0 { return SmoothPieces.convex(l, u, fl, fu) }
        if n > 0 {
            if l >= 0 { return SmoothPieces.convex(l, u, fl, fu) }
            if u <= 0 { return SmoothPieces.concave(l, u, fl, fu) }
            return acrossZeroLines(l: l, u: u)
        }
        if l > 0 { return SmoothPieces.convex(l, u, fl, fu) }
        if u < 0 { return n % 2 == 0 ? SmoothPieces.convex(l, u, fl, fu) : SmoothPieces.concave(l, u, fl, fu) }
        return (.fixed(slope: 0, intercept: -.infinity), .fixed(slope: 0, intercept: .infinity))
    }

    /// Odd `n >= 3` on `l < 0 < u`. Upper: the line through `(u, f(u))` with slope `s` lies above `f` on
    /// `[l, u]` iff `s <= (f(u) − f(x))/(u − x)` for all `x < u`, the mean of `f' >= 0` over `[x, u]`.
    /// For `x >= 0` (convex part) that mean is at least the chord slope of `[0, u]`, `u^(n−1)`; for
    /// `x < 0` it is at least `(∫₀ᵘ f')/(u − x) >= u^n/(u − l)`; so `s = u^n/(u − l)` (`<= u^(n−1)`) works.
    /// For `n = 3` the secant slope is `u² + ux + x²`, smallest at `x = −u/2` (`3u²/4`) or at `l`, which
    /// is the tightest such line. The lower line mirrors it (`f` is odd).
    func acrossZeroLines(l: Double, u: Double) -> (lower: SmoothLine, upper: SmoothLine) {
        let fl = value(l), fu = value(u)
        let su: Double, sl: Double
        if integer == 3 {
            su = -u / 2 >= l ? 0.75 * u * u : u * u + u * l + l * l
            sl = -l / 2 <= u ? 0.75 * l * l : l * l + l * u + u * u
        } else {
            su = fu / (u - l)
            sl = -fl / (u - l)
        }
        return (.fixed(slope: sl, intercept: fl - sl * l), .fixed(slope: su, intercept: fu - su * u))
    }
}
