import LinearAlgebra
import NNGraph

/// Bounds on the floating-point error of bound computations, so that a bound computed in `Double`
/// holds for the network evaluated in exact arithmetic on its stored weights (Docs/soundness.md).
///
/// Model (IEEE 754 binary64, round to nearest): every operation `a ∘ b` returns `(a ∘ b)(1 + δ)`
/// with `|δ| <= u = 2⁻⁵³`, and a sum of `n` products computed in any order (blocked BLAS, FMA or
/// not) differs from the exact sum by at most `γ(n)·Σ|aᵢbᵢ|`, `γ(n) = n·u / (1 − n·u)` (Higham,
/// *Accuracy and Stability of Numerical Algorithms*, 2nd ed., §3.1 and Lemma 3.5). Every bound in
/// this module is moved outward by such an error term, computed from magnitudes of the same
/// quantities, so no rounding mode needs to change.
public enum RoundingError {
    /// The unit roundoff `u = 2⁻⁵³` of `Double`.
    public static let unit = Double.ulpOfOne / 2

    /// `γ(n) = n·u / (1 − n·u)`: the relative error bound of a length-`n` dot product.
    public static func gamma(_ n: Int) -> Double {
        let nu = Double(n) * unit
        precondition(nu < 0.01, "RoundingError: \(n) terms is beyond the error model")
        return nu / (1 - nu)
    }

    /// Factor applied to an error term that was itself computed in floating point: the term is a
    /// sum of at most ~10⁸ non-negative products, so its relative error is far below 10⁻⁶.
    static let termSafety = 1 + 1e-6

    /// Per domain, `max(|lower|, |upper|)` of every entry: a bound on the magnitude of every value
    /// in the interval.
    public static func magnitude(_ interval: IntervalMatrix) -> Matrix {
        var m = interval.upper
        for k in 0..<m.data.count { m.data[k] = max(abs(interval.lower.data[k]), abs(interval.upper.data[k])) }
        return m
    }

    /// The number of summands per dot product a linear operator can form, forward (input sizes)
    /// or backward (output size), plus the few extra roundings of bias and centre/radius steps.
    static func terms(of op: any Operator, inputSizes: [Int]) -> Int {
        max(inputSizes.reduce(0, +), op.outputSize) + 4
    }

    /// For a linear operator `y = Σ Jᵢxᵢ + b` and input magnitudes `h`, per domain and output
    /// neuron: `γ(N)·(Σ|Jᵢ|hᵢ + |b|)` with `N` from ``terms(of:inputSizes:)``. This bounds the
    /// rounding error of evaluating the operator, of its interval image, and — paired with the
    /// coefficients `A` on its output as `Σ|A|·image` — of pulling `A` back through it.
    ///
    /// `|J|h + |b|` is read off the operator's own interval map on the symmetric box `[−h, h]`:
    /// its image is `[b − |J|h, b + |J|h]`, whose larger end magnitude is exactly `|b| + |J|h`; the
    /// rounding in that evaluation is at most `2γ(N)` relative, so the result is raised by `3γ(N)`.
    public static func linearImageError(_ op: any Operator, inputMagnitudes h: [Matrix]) -> Matrix {
        let g = gamma(terms(of: op, inputSizes: h.map(\.cols)))
        let symmetric = h.map { m -> IntervalMatrix in
            var lower = m
            for k in 0..<lower.data.count { lower.data[k] = -lower.data[k] }
            return IntervalMatrix(lower: lower, upper: m)
        }
        var image = magnitude(op.interval(symmetric))
        let scale = g * (1 + 3 * g) * termSafety
        for k in 0..<image.data.count { image.data[k] *= scale }
        return image
    }

    /// The operator's interval image moved outward by its rounding error: linear operators by
    /// ``linearImageError(_:inputMagnitudes:)``; an activation by its own
    /// ``ElementwiseActivation/valueRoundingError`` of the value (0 for ReLU, which only compares).
    public static func outwardInterval(_ op: any Operator, _ inputs: [IntervalMatrix]) -> IntervalMatrix {
        outwardIntervalAndImage(op, inputs).interval
    }

    /// ``outwardInterval(_:_:)`` and, for a linear operator, the rounding image it used
    /// (``linearImageError(_:inputMagnitudes:)`` of the inputs), which backward passes reuse.
    static func outwardIntervalAndImage(_ op: any Operator, _ inputs: [IntervalMatrix]) -> (interval: IntervalMatrix, image: Matrix?) {
        var out = op.interval(inputs)
        var image: Matrix?
        if op is any LinearOperator {
            let e = linearImageError(op, inputMagnitudes: inputs.map(magnitude))
            image = e
            for k in 0..<e.data.count {
                out.lower.data[k] -= e.data[k]
                out.upper.data[k] += e.data[k]
            }
        } else if let act = op as? any ElementwiseActivation, act.valueRoundingError > 0 {
            let slack = act.valueRoundingError
            for k in 0..<out.lower.data.count {
                out.lower.data[k] -= slack * abs(out.lower.data[k]) + Double.leastNormalMagnitude
                out.upper.data[k] += slack * abs(out.upper.data[k]) + Double.leastNormalMagnitude
            }
        }
        // An infinite input bound makes some of this arithmetic NaN (∞ − ∞, 0·∞): such an end is unknown,
        // so it is −∞ (lower) or +∞ (upper). A NaN must never reach a comparison that would read it as
        // a bound (e.g. `u > 0` false would call a ReLU inactive).
        for k in 0..<out.lower.data.count where out.lower.data[k].isNaN || out.upper.data[k].isNaN {
            if out.lower.data[k].isNaN { out.lower.data[k] = -.infinity }
            if out.upper.data[k].isNaN { out.upper.data[k] = .infinity }
        }
        return (out, image)
    }
}
