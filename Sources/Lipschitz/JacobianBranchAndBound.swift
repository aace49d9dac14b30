import Foundation
import LinearAlgebra

/// Options of the derivative branch-and-bound (defaults documented with their reason).
public struct JacobianBranchOptions: Sendable {
    /// Subdomains bounded together in one batched backward pass (one BLAS product per layer).
    public var batch: Int = 32
    /// Stop after this many subdomains have been bounded (memory stays at a few MB per thousand).
    public var maxDomains: Int = 4000
    /// Stop when the upper bound is within this factor of a known lower bound (`upper ≤ lower·(1+gap)`).
    public var relativeGap: Double = 1e-3
    /// The root is also bounded by the forward pass when the network has at most this many inputs (its
    /// cost is that of as many subdomains; on 784-input mnistfc it tightened nothing and took 1–2 s).
    public var forwardInputLimit = 256
    /// How each subdomain is bounded: the interval pass alone, or also linear bound propagation through
    /// the Jacobian graph (``LinearJacobian``, Shi et al.; the default). Both are sound; the linear
    /// bound costs `2·inputs + 2·(unstable neurons)` rows per domain and is far tighter on deep networks.
    public var relaxation: JacobianRelaxation = .linear

    public init(batch: Int = 32, maxDomains: Int = 4000, relativeGap: Double = 1e-3) {
        self.batch = batch
        self.maxDomains = maxDomains
        self.relativeGap = relativeGap
    }
}

/// How subdomains of the Jacobian branch-and-bound are bounded.
public enum JacobianRelaxation: String, Sendable, CaseIterable {
    /// Interval arithmetic through the Jacobian graph (the baseline of Shi et al.).
    case interval
    /// Interval arithmetic, then linear bound propagation with per-neuron relaxations (``LinearJacobian``),
    /// intersected.
    case linear
}

/// Branch-and-bound over the derivative choices of unstable neurons, for one objective row `c`: bounds
/// the largest ``measure`` of the gradient row over all derivative values.
///
/// Why splitting to the interval ends is sound: for fixed values of all other diagonal entries, the
/// Jacobian row `c·J_L·D·…·J_1` is affine in any single entry of any `D`, so its dual norm (a convex
/// function) is convex in that entry, and its maximum over the entry's interval `[low, high]` is at
/// `low` or at `high`. Replacing the interval by its two ends therefore keeps the maximum of the norm
/// over the box of derivative values, and the maximum over the two children is an upper bound for the
/// parent. With every unstable neuron fixed, a subdomain's interval rows are points (up to rounding),
/// so the bound converges to the maximum over the vertices of that box — an upper bound of the local
/// Lipschitz constant, which is a maximum over the (smaller) set of activation patterns the region
/// reaches.
struct JacobianBranchAndBound {
    let graph: JacobianNetwork
    let derivatives: RegionDerivatives
    /// The quantity bounded from above over a subdomain, from the interval ends of its gradient row:
    /// a dual norm (Lipschitz), or minus one entry's lower end (monotonicity). It must be convex in the
    /// gradient row so that the split argument below holds (norms and linear functions are).
    let measure: @Sendable (ArraySlice<Double>, ArraySlice<Double>) -> Double
    /// Passed to ``IntervalJacobian/signAware`` (sign proofs).
    var signAware = false
    /// Intersect the root's enclosure with the forward pass (``IntervalJacobian/forward(objective:derivatives:)``)
    /// up to this many inputs (``JacobianBranchOptions/forwardInputLimit``).
    var forwardInputLimit = 256
    /// Set from ``JacobianBranchOptions/relaxation`` by ``run(objective:knownLower:options:deadline:)``.
    var relaxation = JacobianRelaxation.linear
    /// With ``JacobianRelaxation/linear``: the norm whose linear relaxation (the chord of `|·|` per entry,
    /// for ℓ1) also bounds the measure; nil for other measures (entrywise bounds only).
    var linearNorm: InputNorm?

    init(graph: JacobianNetwork, derivatives: RegionDerivatives, norm: InputNorm) {
        self.init(graph: graph, derivatives: derivatives) { norm.dualUpperBound(lower: $0, upper: $1) }
        linearNorm = norm
    }

    init(graph: JacobianNetwork, derivatives: RegionDerivatives, measure: @escaping @Sendable (ArraySlice<Double>, ArraySlice<Double>) -> Double) {
        self.graph = graph
        self.derivatives = derivatives
        self.measure = measure
    }

    struct Fix { var node: Int; var neuron: Int; var value: Double }

    struct Domain {
        var fixes: [Fix]
        var bound: Double
        /// The neuron to split next (largest width score), or nil when every derivative is a point.
        var split: (node: Int, neuron: Int)?
    }

    struct Outcome {
        var upper: Double
        var initial: Double
        var domains: Int
        /// True when no open subdomain remains to split: the bound is the maximum over all vertices.
        var complete: Bool
    }

    /// Bounds the given subdomains in one batched pass.
    func evaluate(_ fixLists: [[Fix]], objective c: [Double]) -> [Domain] {
        let rows = fixLists.count
        var objective = Matrix(rows: rows, cols: c.count)
        for r in 0..<rows { objective.data.replaceSubrange((r * c.count)..<((r + 1) * c.count), with: c) }
        var d = [Int: (low: Matrix, high: Matrix)]()
        for (node, range) in derivatives.ranges {
            let n = range.low.count
            var low = Matrix(rows: rows, cols: n), high = low
            for r in 0..<rows {
                low.data.replaceSubrange((r * n)..<((r + 1) * n), with: range.low)
                high.data.replaceSubrange((r * n)..<((r + 1) * n), with: range.high)
            }
            d[node] = (low, high)
        }
        for (r, fixes) in fixLists.enumerated() {
            for f in fixes {
                let n = d[f.node]!.low.cols
                d[f.node]!.low.data[r * n + f.neuron] = f.value
                d[f.node]!.high.data[r * n + f.neuron] = f.value
            }
        }
        let jacobian = IntervalJacobian(graph: graph, signAware: signAware)
        let result = jacobian.backward(objective: objective, derivatives: d)
        var lower = result.gradient.lower, upper = result.gradient.upper
        if fixLists.count == 1 && fixLists[0].isEmpty && graph.network.inputSize <= forwardInputLimit {
            // The root: intersect with the forward pass (both enclose the same gradient).
            let f = jacobian.forward(objective: objective, derivatives: derivatives.ranges)
            let (fl, fu) = (f.lower, f.upper)
            for k in 0..<lower.data.count {
                lower.data[k] = max(lower.data[k], fl.data[k])
                upper.data[k] = min(upper.data[k], fu.data[k])
            }
        }
        var l1: [Double]?
        if relaxation == .linear {
            l1 = LinearJacobian(graph: graph).tighten(lower: &lower, upper: &upper, objective: c, derivatives: d,
                                                      intervals: result.values, norm: linearNorm)
        }
        let n = lower.cols
        return fixLists.enumerated().map { r, fixes in
            var bound = measure(lower.data[(r * n)..<((r + 1) * n)], upper.data[(r * n)..<((r + 1) * n)])
            if let l1 { bound = min(bound, l1[r]) }
            var best: (node: Int, neuron: Int)?
            var bestScore = 0.0
            for (node, score) in result.scores {
                let m = score.cols
                for j in 0..<m where score.data[r * m + j] > bestScore {
                    bestScore = score.data[r * m + j]
                    best = (node, j)
                }
            }
            return Domain(fixes: fixes, bound: bound, split: best)
        }
    }

    /// Runs until the deadline, the domain limit, a gap of `options.relativeGap` to `knownLower` (for a
    /// target to prove, pass it with a gap of 0), or until no subdomain can be split.
    func run(objective c: [Double], knownLower: Double, options: JacobianBranchOptions, deadline: Date?) -> Outcome {
        var this = self
        this.forwardInputLimit = options.forwardInputLimit
        this.relaxation = options.relaxation
        // Linear bounds cost about 2·inputs rows per domain: keep a batch near 2048 rows.
        let batch = options.relaxation == .linear
            ? max(1, min(options.batch, LinearJacobian.rowChunk / (2 * graph.network.inputSize))) : options.batch
        let root = this.evaluate([[]], objective: c)[0]
        var heap = DomainHeap()
        heap.push(root)
        var count = 1
        while let top = heap.top, top.split != nil {
            if let deadline, Date() >= deadline { break }
            if count >= options.maxDomains { break }
            if top.bound <= knownLower * (1 + options.relativeGap) { break }
            var children = [[Fix]]()
            while children.count < 2 * batch, let next = heap.top, let split = next.split {
                _ = heap.pop()
                let range = derivatives.ranges[split.node]!
                for value in [range.low[split.neuron], range.high[split.neuron]] {
                    children.append(next.fixes + [Fix(node: split.node, neuron: split.neuron, value: value)])
                }
            }
            for child in this.evaluate(children, objective: c) { heap.push(child) }
            count += children.count
        }
        let upper = heap.top?.bound ?? root.bound
        return Outcome(upper: min(upper, root.bound), initial: root.bound, domains: count, complete: heap.top?.split == nil)
    }
}

/// A binary max-heap of subdomains by bound.
struct DomainHeap {
    private var items = [JacobianBranchAndBound.Domain]()

    var top: JacobianBranchAndBound.Domain? { items.first }

    mutating func push(_ d: JacobianBranchAndBound.Domain) {
        items.append(d)
        var i = items.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard items[parent].bound < items[i].bound else { break }
            items.swapAt(parent, i)
            i = parent
        }
    }

    mutating func pop() -> JacobianBranchAndBound.Domain? {
        guard !items.isEmpty else { return nil }
        items.swapAt(0, items.count - 1)
        let last = items.removeLast()
        var i = 0
        while true {
            let l = 2 * i + 1, r = l + 1
            var largest = i
            if l < items.count && items[l].bound > items[largest].bound { largest = l }
            if r < items.count && items[r].bound > items[largest].bound { largest = r }
            if largest == i { break }
            items.swapAt(i, largest)
            i = largest
        }
        return last
    }
}
