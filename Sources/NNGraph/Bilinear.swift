import LinearAlgebra

/// An operator of two inputs that is bilinear elementwise, `z_j = x_j · y_j` (after the loader has
/// brought both to one shape): products of two computed tensors (SiLU's `x·σ(x)`, attention's
/// `Q·Kᵀ` and `softmax·V`, normalisations). It owns its relaxation as activations do: bound propagation
/// asks it for McCormick planes, never for its type.
///
/// McCormick (1976): on `x ∈ [lx, ux]`, `y ∈ [ly, uy]`
/// - `z ≥ ly·x + lx·y − lx·ly` (from `(x − lx)(y − ly) ≥ 0`), `z ≥ uy·x + ux·y − ux·uy` (from `(ux − x)(uy − y) ≥ 0`);
/// - `z ≤ uy·x + lx·y − lx·uy` (from `(x − lx)(uy − y) ≥ 0`), `z ≤ ly·x + ux·y − ux·ly` (from `(ux − x)(y − ly) ≥ 0`).
/// Any convex combination of the two lower (upper) planes is a lower (upper) plane: the parameter of
/// each side picks it (`λ` weighs the first plane), which alpha-CROWN may optimise.
public protocol BilinearOperator: Operator {}

/// One plane `z ≷ a·x + b·y + c` for one element, with the derivatives of its coefficients with respect
/// to the combination parameter, and its rounding defect.
public struct BilinearPlane: Sendable, Equatable {
    public var x: Double, y: Double, constant: Double
    public var dx: Double, dy: Double, dConstant: Double
    /// How far the computed plane may lie on the wrong side of `x·y` on the box through rounding.
    public var defect: Double
}

/// The McCormick planes of `x·y` (see ``BilinearOperator``).
public enum McCormick {
    /// The plane of one element for the lower (upper) side, combination `λ ∈ [0, 1]` (clamped) of the
    /// two McCormick planes of that side, on `x ∈ [lx, ux]`, `y ∈ [ly, uy]`. With infinite bounds the
    /// plane has infinite coefficients or constant, which the caller turns into an infinite bound.
    ///
    /// The planes hold in exact arithmetic with exact coefficients; the computed coefficients are
    /// `λ·a₁ + (1 − λ)·a₂` (three roundings each) and the constant a combination of two rounded products,
    /// so the defect is `6u·(|λa₁| + |(1 − λ)a₂|)·h` summed over both inputs plus `6u·(|λc₁| + |(1 − λ)c₂|)`
    /// (`h` the input's magnitude), a bound on `|computed − exact|` at any point of the box.
    public static func plane(lower: Bool, lambda: Double, lx: Double, ux: Double, ly: Double, uy: Double) -> BilinearPlane {
        let t = lambda.isNaN ? 0.5 : min(max(lambda, 0), 1)
        // First and second plane: (x coefficient, y coefficient, constant).
        let (a1, b1, c1): (Double, Double, Double) = lower ? (ly, lx, -lx * ly) : (uy, lx, -lx * uy)
        let (a2, b2, c2): (Double, Double, Double) = lower ? (uy, ux, -ux * uy) : (ly, ux, -ux * ly)
        let hx = max(abs(lx), abs(ux)), hy = max(abs(ly), abs(uy))
        let unit = LineDefect.unit
        let defect = 6 * unit * ((abs(t * a1) + abs((1 - t) * a2)) * hx + (abs(t * b1) + abs((1 - t) * b2)) * hy
                                 + abs(t * c1) + abs((1 - t) * c2)) + Double.leastNormalMagnitude
        return BilinearPlane(x: t * a1 + (1 - t) * a2, y: t * b1 + (1 - t) * b2, constant: t * c1 + (1 - t) * c2,
                             dx: a1 - a2, dy: b1 - b2, dConstant: c1 - c2, defect: defect)
    }
}

/// `z = x ⊙ y`: the elementwise product of two computed values of equal size.
public struct Product: BilinearOperator {
    public let outputSize: Int
    public init(size: Int) { outputSize = size }

    public var kind: String { "Mul" }
    public var arity: Int { 2 }

    public func forward(_ inputs: [Matrix]) -> Matrix {
        var out = inputs[0]
        for k in 0..<out.data.count { out.data[k] *= inputs[1].data[k] }
        return out
    }

    public func gradient(inputs: [Matrix], output: Matrix, outputGradient: Matrix) -> [Matrix] {
        var gx = outputGradient, gy = outputGradient
        for k in 0..<gx.data.count {
            gx.data[k] *= inputs[1].data[k]
            gy.data[k] *= inputs[0].data[k]
        }
        return [gx, gy]
    }

    /// The extremes of `x·y` on a box are at its corners; each product is rounded once, so the result is
    /// widened outward by `u` of its magnitude (and the least normal number, for underflow).
    public func interval(_ inputs: [IntervalMatrix]) -> IntervalMatrix {
        var out = inputs[0]
        let x = inputs[0], y = inputs[1]
        for k in 0..<out.lower.data.count {
            let corners = [x.lower.data[k] * y.lower.data[k], x.lower.data[k] * y.upper.data[k],
                           x.upper.data[k] * y.lower.data[k], x.upper.data[k] * y.upper.data[k]]
            // 0·∞ is NaN: an infinite factor makes the bound infinite on that side.
            let lo = corners.contains(where: \.isNaN) ? -Double.infinity : corners.min()!
            let hi = corners.contains(where: \.isNaN) ? Double.infinity : corners.max()!
            out.lower.data[k] = lo - LineDefect.unit * abs(lo) - Double.leastNormalMagnitude
            out.upper.data[k] = hi + LineDefect.unit * abs(hi) + Double.leastNormalMagnitude
        }
        return out
    }
}
