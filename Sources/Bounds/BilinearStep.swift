import LinearAlgebra
import NNGraph

/// The planes a backward step through a bilinear node used at every (row, element), kept for the
/// parameter gradient: coefficients on both inputs, the constant, and their derivatives with respect
/// to the combination parameter of the side used (all `rows x n`).
struct BilinearLines {
    var x: Matrix, y: Matrix, constant: Matrix
    var dx: Matrix, dy: Matrix, dConstant: Matrix
}

extension CROWN {
    /// The initial (and fixed) combination of both McCormick planes of each side.
    static let defaultPlaneCombination = 0.5

    /// One backward step through a bilinear node `z = x ⊙ y` for a lower bound: a non-negative
    /// coefficient takes the row's lower McCormick plane, a negative one its upper plane
    /// (``McCormick/plane(lower:lambda:lx:ux:ly:uy:)``, combination `lambdaLower`/`lambdaUpper`
    /// per row and element, or the fixed 0.5). Returns the coefficients on `x` and on `y`; adds `A·c` to the
    /// constant and records the step's rounding (the coefficients' products, the constant sum, each plane's
    /// defect) in `ledger`. A plane with a non-finite part (an unbounded input) marks the row unbounded.
    func bilinearStep(_ a: Matrix, boundsX bx: IntervalMatrix, boundsY by: IntervalMatrix, magnitudesX hx: Matrix,
                      magnitudesY hy: Matrix, rowDomain: [Int], lambdaLower: Matrix?, lambdaUpper: Matrix?,
                      constant: inout [Double], unbounded: inout [Bool], ledger: inout RoundingLedger, record: Bool)
        -> (x: Matrix, y: Matrix, lines: BilinearLines?) {
        let n = a.cols, rows = a.rows
        var outX = Matrix(rows: rows, cols: n), outY = outX
        var lines = record ? BilinearLines(x: outX, y: outX, constant: outX, dx: outX, dy: outX, dConstant: outX) : nil
        for r in 0..<rows {
            let base = rowDomain[r] * n
            var acc = 0.0, scaled = 0.0, intercepts = 0.0, defect = 0.0
            for j in 0..<n {
                let e = r * n + j, k = base + j
                let coef = a.data[e]
                if coef == 0 { continue }
                let isLower = coef >= 0
                let lambda = (isLower ? lambdaLower : lambdaUpper)?.data[e] ?? Self.defaultPlaneCombination
                let p = McCormick.plane(lower: isLower, lambda: lambda, lx: bx.lower.data[k], ux: bx.upper.data[k],
                                          ly: by.lower.data[k], uy: by.upper.data[k])
                guard p.x.isFinite && p.y.isFinite && p.constant.isFinite else { unbounded[r] = true; continue }
                outX.data[e] = coef * p.x
                outY.data[e] = coef * p.y
                let term = coef * p.constant
                acc += term
                intercepts += abs(term)
                defect += abs(coef) * p.defect
                scaled += abs(outX.data[e]) * hx.data[k] + abs(outY.data[e]) * hy.data[k]
                if record {
                    lines!.x.data[e] = p.x; lines!.y.data[e] = p.y; lines!.constant.data[e] = p.constant
                    lines!.dx.data[e] = p.dx; lines!.dy.data[e] = p.dy; lines!.dConstant.data[e] = p.dConstant
                }
            }
            constant[r] += acc
            ledger.activation(row: r, scaled: scaled, intercepts: intercepts, defects: defect, n: 2 * n, constant: constant[r])
        }
        return (outX, outY, lines)
    }
}
