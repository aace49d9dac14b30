import VNNLib

/// Moves a solver's point into an input region `box ∩ constraints`. GLPK returns points that satisfy
/// its rows only up to its tolerances, and an optimum usually sits on a coupling constraint's
/// boundary, so its input can miss `a·x + d <= 0` by ~1e-9: a real counterexample nearby would be
/// lost. This only proposes a candidate; the caller checks it exactly (``SpecCase/contains(_:)`` and
/// concrete evaluation), so nothing here needs to be right for soundness.
public enum RegionProjection {
    /// `x` clamped into `box`, then, for up to `rounds` sweeps, projected orthogonally onto each
    /// violated constraint with a small inward margin (so strict ones hold too) and clamped again
    /// (alternating projections, Kaczmarz). Returns the last point, inside the region or not.
    public static func pulled(_ x: [Double], box: InputBox, constraints: [LinearConstraint], rounds: Int = 20) -> [Double] {
        var p = clamped(x, box)
        for _ in 0..<rounds {
            var moved = false
            for c in constraints where !c.holds(p) {
                var norm = 0.0, scale = abs(c.constant)
                for (i, a) in c.coefficients.enumerated() { norm += a * a; scale += abs(a * p[i]) }
                guard norm > 0 else { continue }
                let step = (c.residual(p) + 1e-10 * (1 + scale)) / norm
                for (i, a) in c.coefficients.enumerated() where a != 0 { p[i] -= step * a }
                p = clamped(p, box)
                moved = true
            }
            if !moved { break }
        }
        return p
    }

    static func clamped(_ x: [Double], _ box: InputBox) -> [Double] {
        x.indices.map { min(max(x[$0], box.lower[$0]), box.upper[$0]) }
    }
}
