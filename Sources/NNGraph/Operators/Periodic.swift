import Foundation
import LinearAlgebra

/// Ranges of `sin` and `cos` on intervals, and the relaxation lines both use.
///
/// A function `f` of period `2π` whose critical points are `c_k = offset + kπ` with `f(c_k) = (−1)^k`
/// (`sin`: offset `π/2`; `cos`: offset 0). On `[l, u]` its extremes are at `l`, `u` or a critical
/// point inside. The critical points are computed in `Double` (`offset + k·π̃`, `π̃` the `Double`
/// nearest π), off by at most `|k|·|π − π̃| + 2u|c_k| < 3·10⁻¹⁶|c_k|` plus rounding, so a critical point
/// within `δ = 10⁻¹⁴ + 10⁻¹⁵|c|` of the interval is counted as inside (counting too many only widens
/// the range). Intervals wider than `2π` (with a margin), or with an end beyond `10¹²` in magnitude,
/// get `[−1, 1]`.
enum Periodic {
    static func range(_ l: Double, _ u: Double, offset: Double, f: (Double) -> Double) -> (lower: Double, upper: Double) {
        guard l.isFinite && u.isFinite && l <= u else { return (-1, 1) }
        guard max(abs(l), abs(u)) < 1e12, u - l < 2 * Double.pi * (1 - 1e-9) else { return (-1, 1) }
        var lo = min(f(l), f(u)), hi = max(f(l), f(u))
        let kMin = Int(((l - offset) / Double.pi).rounded(.down)) - 1
        let kMax = Int(((u - offset) / Double.pi).rounded(.up)) + 1
        for k in kMin...kMax {
            let c = offset + Double(k) * Double.pi
            let delta = 1e-14 + 1e-15 * abs(c)
            guard c >= l - delta && c <= u + delta else { continue }
            if k % 2 == 0 { hi = 1 } else { lo = -1 }
        }
        return (max(lo, -1), min(hi, 1))
    }

    /// Lines of a periodic `f` on `[l, u]` given the ranges of `f` and of `f'` and the curvature
    /// (`f'' = −f` for sin and cos, so `f` is convex where `f < 0` and concave where `f > 0`):
    /// - computed range of `f` below 0 (its largest value `< 0`, and the value error is relative, so `f`
    ///   is negative on all of `[l, u]`): convex, tangents at `t` in `[l, u]` below and the chord above;
    ///   above 0: the mirror image;
    /// - otherwise each side is the best (at the midpoint) of three lines valid for any `f` whose
    ///   derivative lies in `[dmin, dmax]` on `[l, u]` (`f(x) − f(l) = ∫ f'`): slope `dmin` through
    ///   `(l, f(l))` below and through `(u, f(u))` above; slope `dmax` through `(u, f(u))` below and
    ///   through `(l, f(l))` above; and the constant lines of the range.
    static func lines(l: Double, u: Double, f: (Double) -> Double, range: (lower: Double, upper: Double),
                      slopes: (lower: Double, upper: Double)) -> (lower: SmoothLine, upper: SmoothLine) {
        let fl = f(l), fu = f(u)
        if range.upper < 0 { return SmoothPieces.convex(l, u, fl, fu) }
        if range.lower > 0 { return SmoothPieces.concave(l, u, fl, fu) }
        let m = 0.5 * (l + u)
        let (dmin, dmax) = slopes
        let lowers: [(Double, Double)] = [(dmin, fl - dmin * l), (dmax, fu - dmax * u), (0, range.lower)]
        let uppers: [(Double, Double)] = [(dmin, fu - dmin * u), (dmax, fl - dmax * l), (0, range.upper)]
        let lower = lowers.max { $0.0 * m + $0.1 < $1.0 * m + $1.1 }!
        let upper = uppers.min { $0.0 * m + $0.1 < $1.0 * m + $1.1 }!
        return (.fixed(slope: lower.0, intercept: lower.1), .fixed(slope: upper.0, intercept: upper.1))
    }
}

/// `y = sin x` (ONNX `Sin`). Not monotone: the interval map finds the extremes at `π/2 + kπ`
/// (``Periodic``); lines as in ``Periodic/lines(l:u:f:range:slopes:)`` with `f' = cos`.
public struct Sin: SmoothActivation {
    public let outputSize: Int
    public init(size: Int) { self.outputSize = size }
    public var kind: String { "Sin" }
    public func resized(_ size: Int) -> any ElementwiseActivation { Sin(size: size) }
    public var onnxForm: ONNXActivationForm { ONNXActivationForm(opType: "Sin") }
    public func value(_ x: Double) -> Double { Foundation.sin(x) }
    public func derivative(_ x: Double) -> Double { Foundation.cos(x) }
    public func secondDerivative(_ x: Double) -> Double { -Foundation.sin(x) }

    public func imageBounds(_ l: Double, _ u: Double) -> (lower: Double, upper: Double) {
        Periodic.range(l, u, offset: Double.pi / 2, f: value)
    }

    public func smoothLines(l: Double, u: Double) -> (lower: SmoothLine, upper: SmoothLine) {
        Periodic.lines(l: l, u: u, f: value, range: imageBounds(l, u), slopes: Periodic.range(l, u, offset: 0, f: Foundation.cos))
    }
}

/// `y = cos x` (ONNX `Cos`). Extremes at `kπ` (``Periodic``); `f' = −sin`.
public struct Cos: SmoothActivation {
    public let outputSize: Int
    public init(size: Int) { self.outputSize = size }
    public var kind: String { "Cos" }
    public func resized(_ size: Int) -> any ElementwiseActivation { Cos(size: size) }
    public var onnxForm: ONNXActivationForm { ONNXActivationForm(opType: "Cos") }
    public func value(_ x: Double) -> Double { Foundation.cos(x) }
    public func derivative(_ x: Double) -> Double { -Foundation.sin(x) }
    public func secondDerivative(_ x: Double) -> Double { -Foundation.cos(x) }

    public func imageBounds(_ l: Double, _ u: Double) -> (lower: Double, upper: Double) {
        Periodic.range(l, u, offset: 0, f: value)
    }

    public func smoothLines(l: Double, u: Double) -> (lower: SmoothLine, upper: SmoothLine) {
        let s = Periodic.range(l, u, offset: Double.pi / 2, f: Foundation.sin)
        return Periodic.lines(l: l, u: u, f: value, range: imageBounds(l, u), slopes: (-s.upper, -s.lower))
    }
}
