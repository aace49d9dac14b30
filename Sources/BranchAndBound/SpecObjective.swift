import LinearAlgebra
import VNNLib

/// The output constraints of one ``SpecCase`` stacked into one objective `C y + d` (one row per
/// constraint), with the disjunct each row belongs to.
///
/// A domain is safe when every disjunct has a row whose lower bound is positive: then no point of
/// the domain satisfies all constraints of any disjunct.
public struct SpecObjective: Sendable {
    public let matrix: Matrix
    public let constant: [Double]
    /// `rowsOfDisjunct[k]` lists the rows of disjunct `k`.
    public let rowsOfDisjunct: [[Int]]
    /// The case the rows come from (for checking concrete outputs against it).
    public let specCase: SpecCase

    public init(_ specCase: SpecCase, outputCount: Int) {
        self.specCase = specCase
        var rows = [[Double]](), constant = [Double](), groups = [[Int]]()
        for conj in specCase.disjuncts {
            var group = [Int]()
            for c in conj {
                group.append(rows.count)
                rows.append(c.coefficients)
                constant.append(c.constant)
            }
            groups.append(group)
        }
        matrix = Matrix(rows: rows.count, cols: outputCount, data: rows.flatMap { $0 })
        self.constant = constant
        rowsOfDisjunct = groups
    }

    public var rowCount: Int { matrix.rows }
    public var disjunctCount: Int { rowsOfDisjunct.count }

    /// The case's margin (``SpecCase/margin(_:)``: least over disjuncts of the largest residual) of every row
    /// of `outputs`, all residuals in one matrix product. A spec with hundreds of dense constraints on
    /// thousands of outputs takes seconds constraint by constraint for hundreds of candidates; this takes
    /// milliseconds. BLAS rounds differently from the scalar sum, so a caller that needs the exact verdict
    /// of a point re-checks it (``SpecCase/isViolated(by:)``) when the margin is near zero.
    func margins(_ outputs: Matrix) -> [Double] {
        let residual = outputs.multiplied(by: matrix, transposeOther: true)
        return (0..<outputs.rows).map { i in
            var best = Double.infinity
            for group in rowsOfDisjunct {
                var worst = -Double.infinity
                for r in group { worst = max(worst, residual[i, r] + constant[r]) }
                best = min(best, worst)
            }
            return best
        }
    }

    /// Each of `disjuncts`' lower bound on row `row` of `lower` (one column per objective row): its
    /// best row's, since the disjunct is refuted when any of its rows is positive; -∞ for a disjunct
    /// without rows.
    func disjunctBounds(_ disjuncts: [Int], lower: Matrix, row: Int) -> [Double] {
        disjuncts.map { k in rowsOfDisjunct[k].map { lower[row, $0] }.max() ?? -.infinity }
    }
}
