import Attacks
import Foundation
import LinearAlgebra
import NNGraph

/// A lower bound of the local Lipschitz constant of `c·y` over a region: the largest dual norm of the
/// gradient found at points of the region. Every reported value is the norm of the exact reverse-mode
/// gradient (Network.gradient) evaluated at a point that was projected into the region, so it is a
/// true gradient norm there (up to the rounding of the evaluation), never an extrapolation.
///
/// The search is gradient ascent on `‖∇(c·y)(x)‖_*`: its gradient `H·s` (`H` the Hessian, `s` the
/// norm's subgradient at `∇(c·y)`) is estimated by the central difference
/// `(∇(c·y)(x + h s) − ∇(c·y)(x − h s)) / 2h` with a finite `h`, which also works for ReLU networks,
/// whose Hessian is zero almost everywhere but whose gradient changes across activation boundaries
/// within distance `h`. Steps are steepest-ascent steps in the input norm with shrinking length, from
/// the origin and seeded random starts.
struct GradientSearch {
    let network: Network
    let region: LipschitzRegion
    var starts = 16
    var steps = 24
    var seed: UInt64 = 1

    struct Best { var value: Double; var point: [Double] }

    /// Stops early at `deadline` (the best point so far is kept).
    func run(objective c: [Double], deadline: Date? = nil) -> Best {
        var rng = SplitMix(seed: seed)
        let n = region.dimension
        let span = (0..<n).map { region.upper[$0] - region.lower[$0] }
        let scale = max(span.max() ?? 0, 0) / 2
        var points = [region.origin]
        for _ in 1..<starts {
            var x = (0..<n).map { region.lower[$0] + span[$0] * rng.unit() }
            region.project(&x)
            points.append(x)
        }
        var best = Best(value: -1, point: region.origin)
        guard scale > 0 else {
            let g = gradients(points.prefix(1).map { $0 }, c)[0]
            return Best(value: region.norm.dual(g), point: region.origin)
        }
        for step in 0...steps {
            let g = gradients(points, c)
            for (k, x) in points.enumerated() {
                let v = region.norm.dual(g[k])
                if v > best.value { best = Best(value: v, point: x) }
            }
            if step == steps { break }
            if let deadline, Date() >= deadline { break }
            let h = 0.1 * scale, length = scale * 0.5 * (1 - Double(step) / Double(steps + 1))
            var probes = [[Double]]()
            for (k, x) in points.enumerated() {
                let s = subgradient(g[k])
                var plus = x, minus = x
                for j in 0..<n { plus[j] += h * s[j]; minus[j] -= h * s[j] }
                region.project(&plus)
                region.project(&minus)
                probes.append(plus)
                probes.append(minus)
            }
            let pg = gradients(probes, c)
            for k in points.indices {
                var ascent = (0..<n).map { j in pg[2 * k][j] - pg[2 * k + 1][j] }
                if ascent.allSatisfy({ $0 == 0 }) { ascent = (0..<n).map { _ in rng.unit() - 0.5 } }
                var x = points[k]
                let dir = subgradient(ascent)
                for j in 0..<n { x[j] += length * dir[j] }
                region.project(&x)
                points[k] = x
            }
        }
        return best
    }

    /// Input gradients of `c·y` at the points.
    func gradients(_ points: [[Double]], _ c: [Double]) -> [[Double]] {
        let x = Matrix(rowVectors: points)
        let grad = network.gradient(x) { out in
            var g = Matrix(rows: out.rows, cols: out.cols)
            for r in 0..<out.rows { g.data.replaceSubrange((r * out.cols)..<((r + 1) * out.cols), with: c) }
            return g
        }.gradient
        return (0..<points.count).map { grad.row($0) }
    }

    /// `s` with `s·g = ‖g‖_*` and `‖s‖ ≤ 1` in the input norm: also the unit step of steepest ascent
    /// along `g` in that norm.
    func subgradient(_ g: [Double]) -> [Double] {
        switch region.norm {
        case .linf: return g.map { $0 > 0 ? 1 : ($0 < 0 ? -1 : 0) }
        case .l2:
            let length = g.reduce(0) { $0 + $1 * $1 }.squareRoot()
            return length > 0 ? g.map { $0 / length } : g
        case .l1:
            var s = [Double](repeating: 0, count: g.count)
            if let j = g.indices.max(by: { abs(g[$0]) < abs(g[$1]) }) { s[j] = g[j] >= 0 ? 1 : -1 }
            return s
        }
    }
}
