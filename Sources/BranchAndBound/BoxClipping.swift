/// Shrinks an input box to the part where a linear lower bound does not yet rule out a violation.
///
/// A constraint row is certified by `objective(x) >= a·x + c` on the box; a counterexample needs
/// `objective(x) <= 0`, so it must satisfy `a·x + c <= 0`. Every point of the box outside that
/// half-space is safe for this row, and the box can be cut to the bounding box of the rest
/// (the input-domain clipping of alpha-beta-CROWN's input split). Sound: only points that the bound
/// proves safe are removed.
enum BoxClipping {
    /// Cuts `lower...upper` to the bounding box of `{x in box : a·x + c <= 0}`. Returns false when
    /// that set is empty (the row is refuted on the whole box).
    static func clip(lower: inout [Double], upper: inout [Double], a: ArraySlice<Double>, c: Double) -> Bool {
        let n = lower.count
        let base = a.startIndex
        // Minimum of a·x over the box, and each term's share of it.
        var minimum = c
        for j in 0..<n {
            let aj = a[base + j]
            minimum += aj >= 0 ? aj * lower[j] : aj * upper[j]
        }
        if minimum > 0 { return false }
        for j in 0..<n {
            let aj = a[base + j]
            if aj == 0 { continue }
            let own = aj >= 0 ? aj * lower[j] : aj * upper[j]
            // aj * x_j <= -(minimum - own), i.e. the rest at its minimum leaves this much room.
            let room = own - minimum
            if aj > 0 {
                let limit = room / aj
                if limit < upper[j] { upper[j] = max(limit, lower[j]) }
            } else {
                let limit = room / aj
                if limit > lower[j] { lower[j] = min(limit, upper[j]) }
            }
        }
        return true
    }
}
