import VNNLib

/// The output shift `δ` a planted bump adds at its centre, chosen so that one disjunct of the
/// property's unsafe set holds there with a margin: for the disjunct's constraints
/// `C y + d <= 0` and the unplanted output `y0`, `δ` is the least-norm solution of
/// `C δ = −margin − (C y0 + d)` (every constraint then has residual `−margin`), rounded to float32.
/// For a robustness property "some `Y_j >= Y_label`" this is a multiple of `e_j − e_label`.
public struct OutputShift: Sendable, Equatable {
    /// The specification case (input box) the disjunct belongs to.
    public let caseIndex: Int
    /// The disjunct of that case made to hold.
    public let disjunctIndex: Int
    /// `δ`, float32 values, one per output.
    public let shift: [Double]

    /// Picks a disjunct of `specCase` at random among those an output shift can satisfy, and the
    /// shift that makes it hold at output `y0` with every residual `<= −margin` (checked after
    /// float32 rounding, with a tolerance of 1 % of the margin). Nil when no disjunct can be satisfied
    /// (e.g. contradictory constraints).
    public static func choose(for specCase: SpecCase, caseIndex: Int, output y0: [Double], margin: Double,
                              rng: inout PlantingRandom) -> OutputShift? {
        for d in rng.permutation(specCase.disjuncts.count) {
            guard let shift = leastNormShift(specCase.disjuncts[d], output: y0, margin: margin) else { continue }
            let shifted = zip(y0, shift).map { $0 + $1 }
            guard specCase.disjuncts[d].allSatisfy({ $0.residual(shifted) <= -0.99 * margin }) else { continue }
            return OutputShift(caseIndex: caseIndex, disjunctIndex: d, shift: shift)
        }
        return nil
    }

    /// The least-norm `δ` with `C δ = g`, rounded to float32; nil when a constraint has no output
    /// term and does not hold, or the constraints are linearly dependent.
    static func leastNormShift(_ constraints: [LinearConstraint], output y0: [Double], margin: Double) -> [Double]? {
        var rows = [[Double]](), targets = [Double]()
        for c in constraints {
            if c.coefficients.allSatisfy({ $0 == 0 }) {
                if c.constant > -margin { return nil }
                continue
            }
            rows.append(c.coefficients)
            targets.append(-margin - c.residual(y0))
        }
        let m = y0.count
        guard !rows.isEmpty else { return [Double](repeating: 0, count: m) }
        let k = rows.count
        var gram = [[Double]](repeating: [Double](repeating: 0, count: k), count: k)
        for a in 0..<k { for b in 0..<k { gram[a][b] = zip(rows[a], rows[b]).reduce(0) { $0 + $1.0 * $1.1 } } }
        guard let lambda = solve(gram, targets) else { return nil }
        var shift = [Double](repeating: 0, count: m)
        for a in 0..<k { for j in 0..<m { shift[j] += rows[a][j] * lambda[a] } }
        let rounded = shift.compactMap(Float32Values.rounded)
        return rounded.count == m ? rounded : nil
    }

    /// Solves `A x = b` by Gaussian elimination with partial pivoting; nil when `A` is (nearly) singular.
    static func solve(_ matrix: [[Double]], _ rhs: [Double]) -> [Double]? {
        var a = matrix, b = rhs
        let n = b.count
        let scale = a.indices.map { abs(a[$0][$0]) }.max() ?? 0
        guard scale > 0 else { return nil }
        for col in 0..<n {
            guard let pivot = (col..<n).max(by: { abs(a[$0][col]) < abs(a[$1][col]) }), abs(a[pivot][col]) > 1e-10 * scale else {
                return nil
            }
            a.swapAt(col, pivot)
            b.swapAt(col, pivot)
            for r in (col + 1)..<n where a[r][col] != 0 {
                let f = a[r][col] / a[col][col]
                for c in col..<n { a[r][c] -= f * a[col][c] }
                b[r] -= f * b[col]
            }
        }
        var x = [Double](repeating: 0, count: n)
        for r in stride(from: n - 1, through: 0, by: -1) {
            var s = b[r]
            for c in (r + 1)..<n { s -= a[r][c] * x[c] }
            x[r] = s / a[r][r]
        }
        return x.allSatisfy(\.isFinite) ? x : nil
    }
}
