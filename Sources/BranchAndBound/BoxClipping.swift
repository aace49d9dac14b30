import Bounds
/// Shrinks an input box to the part where a linear lower bound does not yet rule out a violation.
///
/// A constraint row is certified by `objective(x) >= a·x + c` on the box; a counterexample needs
/// `objective(x) <= 0`, so it must satisfy `a·x + c <= 0`. Every point of the box outside that
/// half-space is safe for this row, and the box can be cut to the bounding box of the rest
/// (the input-domain clipping of alpha-beta-CROWN's input split). Sound: only points that the bound
/// proves safe are removed — also under rounding: the minimum must exceed its own rounding error
/// `γ(n+1)(|c| + Σ|aⱼ|hⱼ)` to refute, and every cut is moved outward by that error and by the
/// rounding of the division (Docs/soundness.md).
enum BoxClipping {
    /// Cuts `lower...upper` to the bounding box of `{x in box : a·x + c <= 0}`. Returns false when
    /// that set is empty (the row is refuted on the whole box).
    static func clip(lower: inout [Double], upper: inout [Double], a: ArraySlice<Double>, c: Double) -> Bool {
        let n = lower.count
        let base = a.startIndex
        // Minimum of a·x over the box, and each term's share of it.
        var minimum = c
        var magnitude = abs(c)
        for j in 0..<n {
            let aj = a[base + j]
            minimum += aj >= 0 ? aj * lower[j] : aj * upper[j]
            magnitude += abs(aj) * max(abs(lower[j]), abs(upper[j]))
        }
        let error = 2 * RoundingError.gamma(n + 2) * magnitude
        if minimum > error { return false }
        let u = RoundingError.unit
        for j in 0..<n {
            let aj = a[base + j]
            if aj == 0 { continue }
            let own = aj >= 0 ? aj * lower[j] : aj * upper[j]
            // aj * x_j <= -(minimum - own), i.e. the rest at its minimum leaves this much room
            // (raised by the rounding of both terms, so the cut never removes a point it should keep).
            let room = own - minimum + error + 2 * u * abs(own)
            let limit = room / aj
            if aj > 0 {
                let safe = limit + 2 * u * abs(limit)
                if safe < upper[j] { upper[j] = max(safe, lower[j]) }
            } else {
                let safe = limit - 2 * u * abs(limit)
                if safe > lower[j] { lower[j] = min(safe, upper[j]) }
            }
        }
        return true
    }
}
