import Bounds
import LinearAlgebra
import NNGraph

extension ActivationSplitBranchAndBound {
    /// The best split among neurons of smooth activations and inputs of products (GenBaB, Shi et al.,
    /// "Neural Network Verification with Branch-and-Bound for General Nonlinearities", TACAS 2025), with
    /// its score in bound units, comparable with ``chooseBranch(child:index:rows:openRows:result:bounds:)``'s
    /// (the open rows' coefficient on the node's output times a relaxation gap).
    ///
    /// - Smooth activation on `[l, u]`, split at the table's point `p` (``BranchingPointTable``):
    ///   **BBPS** estimates the bound gain from the coefficients `a` of the open rows on the neuron's
    ///   output: the neuron enters a row's bound as `a·(s·z + c)` (the lower line where `a ≥ 0`, the upper
    ///   one elsewhere), `z` concretised over its interval, `a·c + min(a·s·l, a·s·u)`; re-relaxing on
    ///   `[l, p]` and `[p, u]` changes the line, and the score is the smaller of the two children's summed
    ///   gains (both children must improve). The children's lines are concretised over the parent's
    ///   interval too: as in GenBaB, `z` itself stays bounded through the input, so only the change of
    ///   line is credited, not the narrower interval (which would favour every wide neuron alike). With ``GeneralBranchScore/gap`` the score is the coefficients
    ///   times half the largest distance between the lines.
    /// - Product `x ⊙ y`: McCormick's largest gap is `wx·wy/4`, times the coefficients; the wider input
    ///   is split at its midpoint.
    /// Neurons narrower than ``ActivationSplitOptions/minimumRelativeWidth`` are left alone, so the search
    /// stops splitting them. Splits cover their parent whatever the point, so any choice is sound; the
    /// score only orders the search.
    func generalBranch(index c: Int, rows m: Int, openRows: [Int], result: ParameterisedBound,
                       bounds: [ValueID: IntervalMatrix]) -> (value: ValueID, neuron: Int, point: Double, score: Double)? {
        var best: (value: ValueID, neuron: Int, point: Double, score: Double)?
        func consider(_ v: ValueID, _ j: Int, _ l: Double, _ u: Double, _ point: Double, _ score: Double) {
            guard score.isFinite, score > (best?.score ?? 0), splitsWell(l, u), point > l, point < u else { return }
            best = (v, j, point, score)
        }
        for (i, node) in network.nodes.enumerated() {
            guard let a = result.activationCoefficients[i] else { continue }
            if let act = node.op as? any ElementwiseActivation, !(act is any PiecewiseLinearActivation) {
                let v = node.inputs[0]
                guard let b = bounds[v] else { continue }
                let n = b.cols
                let coefficients = (0..<n).map { j in openRows.map { a.data[(c * m + $0) * n + j] } }
                for (j, score, point) in smoothScores(act, lower: b.lower.data, upper: b.upper.data, coefficients: coefficients) {
                    consider(v, j, b.lower.data[j], b.upper.data[j], point, score)
                }
            } else if node.op is any BilinearOperator {
                let (vx, vy) = (node.inputs[0], node.inputs[1])
                guard let bx = bounds[vx], let by = bounds[vy] else { continue }
                let n = bx.cols
                for j in 0..<n {
                    let (lx, ux, ly, uy) = (bx.lower.data[j], bx.upper.data[j], by.lower.data[j], by.upper.data[j])
                    let weight = openRows.reduce(0.0) { $0 + abs(a.data[(c * m + $1) * n + j]) }
                    let score = weight * (ux - lx) * (uy - ly) / 4
                    if ux - lx >= uy - ly { consider(vx, j, lx, ux, 0.5 * (lx + ux), score) }
                    else { consider(vy, j, ly, uy, 0.5 * (ly + uy), score) }
                }
            }
        }
        return best
    }

    /// Per neuron of a smooth activation: its score and split point (see ``generalBranch(index:rows:openRows:result:bounds:)``);
    /// `coefficients[j]` are the open rows' coefficients on neuron `j`'s output.
    func smoothScores(_ act: any ElementwiseActivation, lower l: [Double], upper u: [Double],
                      coefficients: [[Double]]) -> [(neuron: Int, score: Double, point: Double)] {
        let n = l.count
        let table = options.branchingPoints == .table ? BranchingPointTables.shared.table(for: act) : nil
        let points = (0..<n).map { j in table?.point(l[j], u[j]) ?? 0.5 * (l[j] + u[j]) }
        let parent = act.relaxations(lower: l, upper: u, variant: 0)
        // A neuron's fixed gap: the largest distance between its lines (at an end, as both are lines).
        func gap(_ j: Int) -> Double {
            let d = { (x: Double) in (parent.upperSlope[j] - parent.lowerSlope[j]) * x + parent.upperIntercept[j] - parent.lowerIntercept[j] }
            return 0.5 * max(d(l[j]), d(u[j]))
        }
        guard options.generalScore == .bbps else {
            return (0..<n).map { j in (j, coefficients[j].reduce(0) { $0 + abs($1) } * gap(j), points[j]) }
        }
        let left = act.relaxations(lower: l, upper: points, variant: 0)
        let right = act.relaxations(lower: points, upper: u, variant: 0)
        // The neuron's term in a row's bound with coefficient `w`, its input concretised over [lo, hi].
        func term(_ w: Double, _ rx: RelaxationArrays, _ j: Int, _ lo: Double, _ hi: Double) -> Double {
            let (s, c) = w >= 0 ? (rx.lowerSlope[j], rx.lowerIntercept[j]) : (rx.upperSlope[j], rx.upperIntercept[j])
            return w * c + min(w * s * lo, w * s * hi)
        }
        return (0..<n).map { j in
            var gainLeft = 0.0, gainRight = 0.0, size = 0.0
            for w in coefficients[j] where w != 0 {
                let before = term(w, parent, j, l[j], u[j])
                gainLeft += gain(term(w, left, j, l[j], u[j]), over: before)
                gainRight += gain(term(w, right, j, l[j], u[j]), over: before)
                size += abs(w)
            }
            // A tiny share of the gap score breaks ties (and keeps splitting where BBPS sees no gain).
            return (j, max(0, min(gainLeft, gainRight)) + 1e-6 * size * gap(j), points[j])
        }
    }

    /// `after − before` as a number: an unbounded term that becomes bounded gains a lot, one that stays
    /// unbounded gains nothing.
    private func gain(_ after: Double, over before: Double) -> Double {
        if after.isNaN || after == -.infinity { return 0 }
        if before.isNaN || before == -.infinity { return 1e30 }
        return after - before
    }

    private func splitsWell(_ l: Double, _ u: Double) -> Bool {
        l.isFinite && u.isFinite && u - l > options.minimumRelativeWidth * (1 + abs(l) + abs(u))
    }
}
