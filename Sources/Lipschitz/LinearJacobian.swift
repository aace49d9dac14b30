import Bounds
import Foundation
import LinearAlgebra
import NNGraph

/// Linear bound propagation through the Jacobian graph (Shi et al., "Efficiently Computing Local
/// Lipschitz Constants of Neural Networks via Bound Propagation", NeurIPS 2022).
///
/// The gradient graph of the chain rule has one value `G_v` (a row, `∂(c·y)/∂v`) per network value:
/// `G_out = c`, a linear node adds `G_{i+1}·J` to its input's `G`, and an activation node adds the
/// product `z = G_{i+1} ⊙ d` with `d` its (Clarke) derivative, `d_k ∈ [dl_k, dh_k]`. The only nonlinear
/// operations are these products. For one neuron, with `y = G_{i+1,k} ∈ [yl, yh]`:
/// - a point derivative (`dl = dh`, a stable neuron) multiplies exactly: `z = dl·y`;
/// - otherwise `min(dl·y, dh·y) ≤ z ≤ max(dl·y, dh·y)`; the upper envelope is convex in `y` and the
///   lower one concave, so the chords through the interval ends are the tightest linear bounds in `y`
///   (for ReLU, `d ∈ [0, 1]`, these are the ReLU triangle's upper lines of `max(y, 0)` and `min(y, 0)`,
///   which is how auto_LiRPA's `BoundReluGrad` relaxes the unstable case).
///
/// A linear function `Λ·G_v` is then bounded from above by pushing `Λ` through the gradient graph in
/// the network's forward order (the gradient graph runs backwards): through `J` by `Λ·Jᵀ`, through a
/// product by the chord chosen by the sign of `Λ_k`, until the output, where `G_out = c` is a constant.
/// Bounds of `y` come from the interval pass, intersected with linear bounds computed the same way
/// (from the output towards the input, as CROWN does for intermediate layers). Because correlations
/// survive every linear layer, this is far tighter than interval arithmetic on deep networks.
///
/// The norm is relaxed linearly too: `|g| ≤ a·g + b` is the chord of `|·|` over `[l, u]`, so
/// `‖G_0‖₁ ≤ a·G_0 + Σb`, one more pass with the row `a` (the ℓ∞-input Lipschitz constant).
///
/// Soundness in floating point: every coefficient row `Λ` that is computed (a BLAS product, a product
/// with a chord slope, a sum) is then treated as exact, and the difference to the exact row is bounded
/// by `err = γ(n)·|Λ|·|J|` (or `u·|Λ·s|`) per entry; since `|G_v|` is bounded entrywise by the interval
/// pass (`mag`), `err·mag` is added to the row's constant. Chord intercepts are rounded outward, and
/// the constants' sums carry `γ` of their absolute sums.
struct LinearJacobian {
    let graph: JacobianNetwork
    /// Per value: the nodes reaching the output that consume it, and at which input.
    let consumers: [[(node: Int, input: Int)]]

    /// Largest number of coefficient rows pushed through the graph at once (memory: rows × widest layer).
    static let rowChunk = 2048

    init(graph: JacobianNetwork) {
        self.graph = graph
        var uses = [[(node: Int, input: Int)]](repeating: [], count: graph.network.nodes.count + 1)
        for (i, node) in graph.network.nodes.enumerated() where graph.reachesOutput[i] {
            for (k, v) in node.inputs.enumerated() { uses[v].append((i, k)) }
        }
        consumers = uses
    }

    /// The relaxation of one activation node's products, per domain and neuron: `z ≤ su·y + bu`,
    /// `z ≥ sl·y + bl` (exact arithmetic on these stored numbers); `stable` where `dl = dh`.
    struct Relaxation {
        var su: Matrix, bu: Matrix, sl: Matrix, bl: Matrix
        var point: Matrix
        var stable: [Bool]
    }

    /// Per domain (one row of every matrix): linear bounds of `G_0` (entrywise) and, for the ℓ1 norm of
    /// `G_0`, the chord bound.
    struct Output {
        var lower: Matrix
        var upper: Matrix
        var l1: [Double]
    }

    /// Intersects the entrywise enclosure `lower...upper` of `G_0` with this pass's linear bounds (both hold,
    /// so their intersection does) and returns the ℓ1 chord bound when `norm` is ℓ∞ (its dual is ℓ1), else nil.
    func tighten(lower: inout Matrix, upper: inout Matrix, objective c: [Double],
                 derivatives: [Int: (low: Matrix, high: Matrix)], intervals: [IntervalRows?], norm: InputNorm?) -> [Double]? {
        let linear = bound(objective: c, derivatives: derivatives, intervals: intervals)
        for k in 0..<lower.data.count {
            lower.data[k] = max(lower.data[k], linear.lower.data[k])
            upper.data[k] = min(upper.data[k], linear.upper.data[k])
        }
        return norm == .linf ? linear.l1 : nil
    }

    /// - Parameters:
    ///   - objective: the row `c` (the same for every domain).
    ///   - derivatives: per activation node, `D × size` derivative ends (one row per domain).
    ///   - intervals: the interval pass's enclosures of every `G_v` (``IntervalJacobian/Result/values``),
    ///     `D` rows each.
    func bound(objective c: [Double], derivatives: [Int: (low: Matrix, high: Matrix)], intervals: [IntervalRows?]) -> Output {
        let network = graph.network
        let domains = derivatives.values.first?.low.rows ?? intervals[network.output]?.mid.rows ?? 1
        var mags = [Matrix?](repeating: nil, count: intervals.count)
        for (v, g) in intervals.enumerated() {
            guard let g else { continue }
            let lo = g.lower, hi = g.upper
            mags[v] = Matrix(rows: lo.rows, cols: lo.cols, data: zip(lo.data, hi.data).map { max(abs($0), abs($1)) })
        }
        var relax = [Int: Relaxation]()
        // Activations from the output towards the input: bounding G_{i+1} needs every activation after i.
        for i in graph.activationNodes.sorted(by: >) {
            let d = derivatives[i]!
            guard let g = intervals[i + 1] else { continue }
            var yl = g.lower, yh = g.upper
            let n = yl.cols
            // Rows only where the relaxation depends on the bounds: an unstable neuron whose y changes sign.
            var starts = [(domain: Int, neuron: Int)]()
            for q in 0..<domains {
                for k in 0..<n where d.low.data[q * n + k] < d.high.data[q * n + k]
                    && yl.data[q * n + k] < 0 && yh.data[q * n + k] > 0 {
                    starts.append((q, k))
                }
            }
            if !starts.isEmpty {
                let ub = entryBounds(value: i + 1, entries: starts, relax: relax, derivatives: derivatives, mags: mags, c: c)
                for (s, e) in starts.enumerated() {
                    let at = e.domain * n + e.neuron
                    yh.data[at] = min(yh.data[at], ub[2 * s])
                    yl.data[at] = max(yl.data[at], -ub[2 * s + 1])
                }
            }
            relax[i] = Self.relaxation(low: d.low, high: d.high, yl: yl, yh: yh)
        }
        // G_0: entrywise bounds, then the chord of |·| on them.
        let n0 = network.inputSize
        var lower = Matrix(rows: domains, cols: n0), upper = lower
        if let g0 = intervals[0] { lower = g0.lower; upper = g0.upper }
        let all = (0..<domains).flatMap { q in (0..<n0).map { (domain: q, neuron: $0) } }
        if intervals[0] != nil {
            let ub = entryBounds(value: 0, entries: all, relax: relax, derivatives: derivatives, mags: mags, c: c)
            for (s, e) in all.enumerated() {
                let at = e.domain * n0 + e.neuron
                upper.data[at] = min(upper.data[at], ub[2 * s])
                lower.data[at] = max(lower.data[at], -ub[2 * s + 1])
            }
        }
        var l1 = [Double](repeating: 0, count: domains)
        if intervals[0] != nil {
            var a = Matrix(rows: domains, cols: n0)
            var intercepts = [Double](repeating: 0, count: domains)
            for q in 0..<domains {
                var sum = 0.0
                for j in 0..<n0 {
                    let chord = Self.absoluteChord(lower.data[q * n0 + j], upper.data[q * n0 + j])
                    a.data[q * n0 + j] = chord.slope
                    sum += chord.intercept
                }
                // Non-negative intercepts: the sum's rounding is below γ(n0) of it.
                intercepts[q] = (sum * (1 + 2 * RoundingError.gamma(n0 + 2))).nextUp
            }
            let ub = propagate(start: 0, rows: a, domainOf: Array(0..<domains), relax: relax, derivatives: derivatives,
                               mags: mags, c: c)
            for q in 0..<domains { l1[q] = ((ub[q] + intercepts[q]) * (1 + 2 * RoundingError.unit)).nextUp }
        }
        return Output(lower: lower, upper: upper, l1: l1.map { $0.isNaN ? .infinity : $0 })
    }

    /// Upper bounds of `+G_v[k]` and `−G_v[k]` (interleaved) for each (domain, neuron), in chunks.
    func entryBounds(value v: Int, entries: [(domain: Int, neuron: Int)], relax: [Int: Relaxation],
                     derivatives: [Int: (low: Matrix, high: Matrix)], mags: [Matrix?], c: [Double]) -> [Double] {
        let n = graph.network.size(of: v)
        var out = [Double]()
        var start = 0
        while start < entries.count {
            let part = entries[start..<min(entries.count, start + Self.rowChunk / 2)]
            var rows = Matrix(rows: 2 * part.count, cols: n)
            var domainOf = [Int]()
            for (s, e) in part.enumerated() {
                rows.data[(2 * s) * n + e.neuron] = 1
                rows.data[(2 * s + 1) * n + e.neuron] = -1
                domainOf += [e.domain, e.domain]
            }
            out += propagate(start: v, rows: rows, domainOf: domainOf, relax: relax, derivatives: derivatives, mags: mags, c: c)
            start += part.count
        }
        return out.map { $0.isNaN ? .infinity : $0 }
    }

    /// An upper bound of `Λ_r·G_v` for each row `r` (over the derivative box of domain `domainOf[r]`).
    func propagate(start v0: Int, rows: Matrix, domainOf: [Int], relax: [Int: Relaxation],
                   derivatives: [Int: (low: Matrix, high: Matrix)], mags: [Matrix?], c: [Double]) -> [Double] {
        let network = graph.network
        let r = rows.rows
        let u = RoundingError.unit
        var lambda = [Matrix?](repeating: nil, count: network.nodes.count + 1)
        var sources = [Int](repeating: 0, count: network.nodes.count + 1)
        lambda[v0] = rows
        sources[v0] = 1
        var constant = [Double](repeating: 0, count: r)   // Σ λ·b, as computed
        var constantAbs = [Double](repeating: 0, count: r)  // Σ |λ·b|: bounds its rounding
        var constantTerms = 0
        var slack = [Double](repeating: 0, count: r)      // Σ err·mag, non-negative
        var result = [Double](repeating: 0, count: r)
        func magnitude(_ v: Int, _ row: Int, _ k: Int, _ cols: Int) -> Double {
            mags[v].map { $0.data[domainOf[row] * cols + k] } ?? 0
        }
        for v in v0...network.output {
            guard let l = lambda[v] else { continue }
            lambda[v] = nil
            let n = l.cols
            if sources[v] > 1 {
                // Summing the parts rounded each entry by at most (parts − 1)·u of the sum's magnitude.
                let factor = Double(sources[v]) * u * 1.01
                for row in 0..<r {
                    var e = 0.0
                    for k in 0..<n { e += abs(l.data[row * n + k]) * magnitude(v, row, k, n) }
                    slack[row] += factor * e
                }
            }
            if v == network.output {
                let m = c.count
                for row in 0..<r {
                    var dot = 0.0, abs = 0.0
                    for k in 0..<m { dot += l.data[row * m + k] * c[k]; abs += Swift.abs(l.data[row * m + k] * c[k]) }
                    result[row] = dot + RoundingError.gamma(m + 2) * abs * 1.01
                }
                continue
            }
            for (i, k) in consumers[v] {
                let next: Matrix
                if let blocks = graph.jacobians[i], let absBlocks = graph.absoluteJacobians[i] {
                    // Λ·G_v ∋ Λ·(G_{i+1}·J) = (Λ·Jᵀ)·G_{i+1}.
                    next = l.multiplied(by: blocks[k], transposeOther: true)
                    // err_r·mag = γ·|Λ_r|·(|J|ᵀ·mag): W = mag_{i+1}·|J| per domain.
                    if let m = mags[i + 1] {
                        let w = m.multiplied(by: absBlocks[k])
                        let gamma = RoundingError.gamma(n + 2) * 1.01
                        for row in 0..<r {
                            let q = domainOf[row]
                            var e = 0.0
                            for j in 0..<n { e += abs(l.data[row * n + j]) * w.data[q * n + j] }
                            slack[row] += gamma * e
                        }
                    } else {
                        // No enclosure of G_{i+1}: the rounding cannot be bounded, so neither can the row.
                        for row in 0..<r { slack[row] = .infinity }
                    }
                } else {
                    let rel = relax[i]!
                    var out = Matrix(rows: r, cols: n)
                    for row in 0..<r {
                        let q = domainOf[row]
                        for j in 0..<n {
                            let lam = l.data[row * n + j]
                            if lam == 0 { continue }
                            let at = q * n + j
                            let s: Double, b: Double
                            if rel.stable[at] { s = rel.point.data[at]; b = 0 }
                            else if lam > 0 { s = rel.su.data[at]; b = rel.bu.data[at] }
                            else { s = rel.sl.data[at]; b = rel.bl.data[at] }
                            let coef = lam * s
                            out.data[row * n + j] = coef
                            slack[row] += u * abs(coef) * magnitude(i + 1, row, j, n)
                            if b != 0 {
                                let t = lam * b
                                constant[row] += t
                                constantAbs[row] += abs(t)
                                constantTerms += 1
                            }
                        }
                    }
                    next = out
                }
                if lambda[i + 1] == nil { lambda[i + 1] = next } else { lambda[i + 1] = lambda[i + 1]! + next }
                sources[i + 1] += 1
            }
        }
        // Each term λ·b is off by u·|λ·b|, their sum by γ(terms) of the absolute sum; slack's own rounding
        // (non-negative terms) is far below 10⁻⁶ relative.
        let gamma = RoundingError.gamma(constantTerms + 2) + u
        return (0..<r).map { row in
            let total = result[row] + constant[row] + gamma * constantAbs[row] * 1.01 + slack[row] * (1 + 1e-6)
            return (total + u * 4 * (abs(result[row]) + abs(constant[row]) + abs(total))).nextUp
        }
    }
}
