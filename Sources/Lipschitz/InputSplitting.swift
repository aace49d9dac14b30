import Bounds
import Foundation
import LinearAlgebra
import NNGraph

/// Branch-and-bound over the input box, for networks with few inputs (ACAS Xu-like): the box is cut
/// in two along one input, and each part gets its own CROWN pre-activation bounds (so fewer unstable
/// neurons) and its own interval pass through the Jacobian graph. A bound over the region is the
/// largest bound over the parts, since every Clarke gradient of the region is one of some part (the
/// parts are closed boxes covering it). Parts are bounded in batches (CROWN and the interval pass take
/// one row per part), the worst first.
struct InputSplitting {
    let graph: JacobianNetwork
    let measure: @Sendable (ArraySlice<Double>, ArraySlice<Double>) -> Double
    var signAware = false
    var batch = 16
    /// Also bound each part linearly through the Jacobian graph (``LinearJacobian``), and with
    /// ``linearNorm`` `.linf` use the chord relaxation of the ℓ1 norm.
    var relaxation = JacobianRelaxation.linear
    var linearNorm: InputNorm?

    struct Part {
        var lower: [Double]
        var upper: [Double]
        var bound: Double
        /// The input to cut next: largest `width · max(|g_lo|, |g_hi|)` of the gradient enclosure.
        var cut: Int
    }

    /// Bounds of the given boxes, in one batched pass.
    func evaluate(_ boxes: [(lower: [Double], upper: [Double])], objective c: [Double], deadline: Date?) -> [Part] {
        let rows = boxes.count, n = graph.network.inputSize
        let input = IntervalMatrix(lower: Matrix(rows: rows, cols: n, data: boxes.flatMap(\.lower)),
                                   upper: Matrix(rows: rows, cols: n, data: boxes.flatMap(\.upper)))
        let bounds = CROWN(network: graph.network).intermediateBounds(input: input, deadline: deadline)
        var d = [Int: (low: Matrix, high: Matrix)]()
        for i in graph.activationNodes {
            let v = graph.preActivation(ofNode: i)
            let size = graph.network.size(of: v)
            let b = bounds[v]
            let lower = b?.lower.data ?? [Double](repeating: -.infinity, count: rows * size)
            let upper = b?.upper.data ?? [Double](repeating: .infinity, count: rows * size)
            let r = DerivativeRange.bounds(graph.network.nodes[i].op, lower: lower, upper: upper)!
            d[i] = (Matrix(rows: rows, cols: size, data: r.low), Matrix(rows: rows, cols: size, data: r.high))
        }
        var objective = Matrix(rows: rows, cols: c.count)
        for r in 0..<rows { objective.data.replaceSubrange((r * c.count)..<((r + 1) * c.count), with: c) }
        let jacobian = IntervalJacobian(graph: graph, signAware: signAware)
        let pass = jacobian.backward(objective: objective, derivatives: d)
        var lo = pass.gradient.lower, hi = pass.gradient.upper
        var l1: [Double]?
        if relaxation == .linear {
            l1 = LinearJacobian(graph: graph).tighten(lower: &lo, upper: &hi, objective: c, derivatives: d,
                                                      intervals: pass.values, norm: linearNorm)
        }
        // Intersect each part's enclosure with the forward pass (cheap with few inputs; both hold).
        for r in 0..<rows {
            var ranges = [Int: (low: [Double], high: [Double])]()
            for (node, m) in d { ranges[node] = (m.low.row(r), m.high.row(r)) }
            let f = jacobian.forward(objective: Matrix(rows: 1, cols: c.count, data: c), derivatives: ranges)
            let (fl, fu) = (f.lower, f.upper)
            for j in 0..<n {
                lo.data[r * n + j] = max(lo.data[r * n + j], fl.data[j])
                hi.data[r * n + j] = min(hi.data[r * n + j], fu.data[j])
            }
        }
        return boxes.enumerated().map { r, box in
            let slice = (r * n)..<((r + 1) * n)
            var cut = 0, best = -1.0
            for j in 0..<n {
                let score = (box.upper[j] - box.lower[j]) * max(abs(lo.data[r * n + j]), abs(hi.data[r * n + j]), 1e-300)
                if score > best { best = score; cut = j }
            }
            let bound = min(measure(lo.data[slice], hi.data[slice]), l1?[r] ?? .infinity)
            return Part(lower: box.lower, upper: box.upper, bound: bound, cut: cut)
        }
    }

    /// Splits until the deadline, `maxParts`, or the worst part's bound is at most `target`.
    func run(lower: [Double], upper: [Double], objective c: [Double], target: Double, maxParts: Int,
             deadline: Date?) -> (upper: Double, parts: Int) {
        var parts = evaluate([(lower, upper)], objective: c, deadline: deadline)
        var count = 1
        while count < maxParts, let worst = parts.max(by: { $0.bound < $1.bound }), worst.bound > target {
            if let deadline, Date() >= deadline { break }
            parts.sort { $0.bound > $1.bound }
            let chosen = parts.prefix(batch).filter { $0.bound > target }
            parts.removeFirst(chosen.count)
            var boxes = [(lower: [Double], upper: [Double])]()
            for p in chosen {
                let j = p.cut, mid = 0.5 * (p.lower[j] + p.upper[j])
                guard mid > p.lower[j] && mid < p.upper[j] else { parts.append(p); continue }
                var left = p.upper, right = p.lower
                left[j] = mid
                right[j] = mid
                boxes.append((p.lower, left))
                boxes.append((right, p.upper))
            }
            if boxes.isEmpty { break }
            parts += evaluate(boxes, objective: c, deadline: deadline)
            count += boxes.count
        }
        return (parts.map(\.bound).max() ?? .infinity, count)
    }
}
