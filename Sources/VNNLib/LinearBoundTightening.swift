/// Bounds of each input implied by a box and linear constraints over the inputs, by interval
/// reasoning on one constraint at a time (bound propagation as in LP presolve).
///
/// For `Σ_k c_k x_k + d <= 0` and one `k` with `c_k ≠ 0`: `c_k x_k <= -d - Σ_{j≠k} min(c_j x_j)`
/// over the box, which bounds `x_k` above (`c_k > 0`) or below (`c_k < 0`). Every point that
/// satisfies the constraints inside the box satisfies the new bounds: tightening never removes a
/// point of the region, so bounds computed over the tightened box still cover the region. Each new
/// bound is moved outward by a bound on the floating-point rounding of its sum (`2n·ε·Σ|terms|`)
/// so that this holds in floating point too. Strict constraints are read as their closure.
public enum LinearBoundTightening {
    /// Passes over all constraints at most (each pass only tightens; a fixed point usually comes after 2).
    public static let maximumPasses = 20

    /// Tightens `lower` and `upper` in place by `constraints` (dense over the inputs).
    public static func tighten(lower: inout [Double], upper: inout [Double], by constraints: [LinearConstraint]) {
        for _ in 0..<maximumPasses {
            var changed = false
            for c in constraints {
                for k in c.coefficients.indices where c.coefficients[k] != 0 {
                    guard let bound = bound(of: k, c, lower, upper) else { continue }
                    if c.coefficients[k] > 0, bound < upper[k] {
                        upper[k] = bound
                        changed = true
                    } else if c.coefficients[k] < 0, bound > lower[k] {
                        lower[k] = bound
                        changed = true
                    }
                }
            }
            if !changed { return }
        }
    }

    /// The bound on `x_k` implied by `c` over the box (upper if `c_k > 0`, lower if `c_k < 0`),
    /// rounded outward; nil when another term is unbounded.
    static func bound(of k: Int, _ c: LinearConstraint, _ lower: [Double], _ upper: [Double]) -> Double? {
        var rest = c.constant, magnitude = abs(c.constant), terms = 1
        for (j, a) in c.coefficients.enumerated() where j != k && a != 0 {
            let least = a > 0 ? a * lower[j] : a * upper[j]
            guard least.isFinite else { return nil }
            rest += least
            magnitude += abs(least)
            terms += 1
        }
        let ck = c.coefficients[k]
        let value = -rest / ck
        if terms == 1 {
            // One correctly rounded division (exact for a coefficient of ±1).
            if abs(ck) == 1 { return value }
            return ck > 0 ? value.nextUp : value.nextDown
        }
        // Rounding of the sum (at most terms·ε·magnitude) and of the division (one more ε).
        let slack = (2 * Double(terms + 1) * Double.ulpOfOne) * (magnitude / abs(ck) + abs(value)) + Double.leastNormalMagnitude
        let result = ck > 0 ? value + slack : value - slack
        return result.isFinite ? result : nil
    }
}
