import Bounds
import LinearAlgebra
import NNGraph

extension ActivationSplitBranchAndBound {
    /// The best split among neurons of smooth activations and inputs of products (GenBaB, Shi et al.,
    /// "Neural Network Verification with Branch-and-Bound for General Nonlinearities", TACAS 2025), with
    /// its score in bound units, comparable with ``rankBranches(index:rows:openRows:result:bounds:candidate:count:)``'s
    /// (the open rows' coefficient on the node's output times a relaxation gap).
    ///
    /// - Smooth activation on `[l, u]`, split at the table's point `p` (``BranchingPointTable``):
    ///   **BBPS** estimates the bound gain from the coefficients `a` of the open rows on the neuron's
    ///   output: the neuron enters a row's bound as `a·(s·z + c)` (the lower line where `a ≥ 0`, the upper
    ///   one elsewhere). At `z*`, the neuron's input at the domain's candidate (the input corner that
    ///   minimises its lowest open bound, where the bound is decided), re-relaxing on the half that holds
    ///   `z*` moves the line by `(s' − s)·z* + (c' − c)`; the score is that move times `a`, summed over
    ///   the open rows. (GenBaB concretises the changed bound over the input; the candidate is where the
    ///   current bound is attained, and the other half, which excludes it, gains at least as much in
    ///   practice.) With ``GeneralBranchScore/gap`` the score is the coefficients times half the largest
    ///   distance between the lines.
    /// - Product `x ⊙ y`: McCormick's largest gap is `wx·wy/4`, times the coefficients; the wider input
    ///   is split at its midpoint.
    /// Neurons narrower than ``ActivationSplitOptions/minimumRelativeWidth`` are left alone, so the search
    /// stops splitting them. Splits cover their parent whatever the point, so any choice is sound; the
    /// score only orders the search.
    func generalBranch(index c: Int, rows m: Int, openRows: [Int], result: ParameterisedBound,
                       bounds: [ValueID: IntervalMatrix], candidate: [Double]) -> (value: ValueID, neuron: Int, point: Double, score: Double)? {
        var best: (value: ValueID, neuron: Int, point: Double, score: Double)?
        var values: [Matrix]?
        func valuesAtCandidate() -> [Matrix] {
            if let values { return values }
            let v = network.evaluateAll(Matrix(rows: 1, cols: candidate.count, data: candidate))
            values = v
            return v
        }
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
                let at = options.generalScore == .bbps ? valuesAtCandidate()[v].data : b.lower.data
                for (j, score, point) in smoothScores(act, lower: b.lower.data, upper: b.upper.data, at: at, coefficients: coefficients) {
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

    /// Per neuron of a smooth activation: its score and split point (see ``generalBranch(index:rows:openRows:result:bounds:candidate:)``);
    /// `coefficients[j]` are the open rows' coefficients on neuron `j`'s output, `at[j]` its input at the
    /// domain's candidate.
    func smoothScores(_ act: any ElementwiseActivation, lower l: [Double], upper u: [Double], at: [Double],
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
        // A line's value at z for coefficient w: the lower line where w ≥ 0, the upper one elsewhere.
        func line(_ w: Double, _ rx: RelaxationArrays, _ j: Int, _ z: Double) -> Double {
            w >= 0 ? rx.lowerSlope[j] * z + rx.lowerIntercept[j] : rx.upperSlope[j] * z + rx.upperIntercept[j]
        }
        return (0..<n).map { j in
            let z = at[j].isNaN ? 0.5 * (l[j] + u[j]) : min(max(at[j], l[j]), u[j])
            let child = z <= points[j] ? left : right
            var total = 0.0, size = 0.0
            for w in coefficients[j] where w != 0 {
                total += gain(w * line(w, child, j, z), over: w * line(w, parent, j, z))
                size += abs(w)
            }
            // A tiny share of the gap score breaks ties (and keeps splitting where BBPS sees no gain).
            return (j, max(0, total) + 1e-6 * size * gap(j), points[j])
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
