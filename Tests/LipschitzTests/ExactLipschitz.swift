import LP
import LinearAlgebra
import NNGraph

/// The exact local Lipschitz constant of a small ReLU MLP (Affine, ReLU, Affine, ...) over a box, by
/// depth-first enumeration of activation patterns with a GLPK feasibility check per partial pattern:
/// on a pattern the network is affine, `∇(c·y) = c·W_L·D·…·D·W_1`, and the constant is the largest
/// dual norm over the patterns that occur in the box.
///
/// A pattern counts as `interior` when its region holds a point at which every pre-activation is at
/// least `margin` away from 0 (a full-dimensional piece: its gradient is a true gradient, so the
/// maximum over these is at most the Lipschitz constant), and as `closed` when it is feasible with
/// the non-strict inequalities (the maximum over these is at least the constant).
enum ExactLipschitz {
    static let margin = 1e-7

    struct Result { var interior: Double; var closed: Double; var patterns: Int }

    static func compute(_ network: Network, lower: [Double], upper: [Double], objective c: [Double],
                        dual: ([Double]) -> Double) throws -> Result {
        var layers = [(w: Matrix, b: [Double])]()
        for node in network.nodes {
            if let a = node.op as? Affine { layers.append((a.weight, a.bias)) }
        }
        let n = lower.count
        var result = Result(interior: 0, closed: 0, patterns: 0)
        // Constraints so far: rows (coefficients over x, constant, sign) meaning sign·(a·x + b) ≥ t.
        typealias Row = (a: [Double], b: Double, sign: Double)
        func slack(_ rows: [Row]) throws -> Double {
            var lp = LinearProgram(sense: .maximise)
            for j in 0..<n { lp.addVariable(lower: lower[j], upper: upper[j]) }
            let t = lp.addVariable(lower: -1, upper: 1, objective: 1)
            for r in rows {
                var terms = (0..<n).map { (variable: $0, coefficient: r.sign * r.a[$0]) }
                terms.append((variable: t, coefficient: -1))
                lp.addConstraint(terms, lower: -r.sign * r.b)
            }
            if rows.isEmpty { return 1 }
            switch try lp.solve() {
            case .optimal(let objective, _): return objective
            default: return -1
            }
        }
        // map: the affine map from x to the current layer's input (rows = neurons of that value).
        func visit(layer: Int, map: Matrix, offset: [Double], rows: [Row], minSlack: Double) throws {
            let (w, b) = layers[layer]
            let pre = w.multiplied(by: map, transposeOther: true)  // out x n
            var preOffset = b
            for i in 0..<w.rows { for k in 0..<w.cols { preOffset[i] += w[i, k] * offset[k] } }
            if layer == layers.count - 1 {
                // Gradient of c·y: c·pre (pre is out x n).
                var g = [Double](repeating: 0, count: n)
                for i in 0..<w.rows { for j in 0..<n { g[j] += c[i] * pre[i, j] } }
                let v = dual(g)
                result.patterns += 1
                result.closed = max(result.closed, v)
                if minSlack >= margin { result.interior = max(result.interior, v) }
                return
            }
            func assign(_ i: Int, _ rows: [Row], _ active: [Bool], _ s: Double) throws {
                if i == w.rows {
                    var nextMap = Matrix(rows: n, cols: w.rows)
                    var nextOffset = [Double](repeating: 0, count: w.rows)
                    for k in 0..<w.rows where active[k] {
                        for j in 0..<n { nextMap[j, k] = pre[k, j] }
                        nextOffset[k] = preOffset[k]
                    }
                    try visit(layer: layer + 1, map: nextMap, offset: nextOffset, rows: rows, minSlack: s)
                    return
                }
                for on in [true, false] {
                    let row: Row = (pre.row(i), preOffset[i], on ? 1 : -1)
                    let extended = rows + [row]
                    let t = try slack(extended)
                    if t >= -margin { try assign(i + 1, extended, active + [on], min(s, t)) }
                }
            }
            try assign(0, rows, [], minSlack)
        }
        try visit(layer: 0, map: Matrix.identity(n), offset: [Double](repeating: 0, count: n), rows: [], minSlack: 1)
        return result
    }
}
