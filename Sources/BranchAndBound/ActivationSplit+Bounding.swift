import Attacks
import Bounds
import Foundation
import LinearAlgebra
import LPBounds
import NNGraph
import VNNLib

extension ActivationSplitBranchAndBound {
    /// What bounding a child decided.
    enum ChildResult: Sendable {
        /// Every disjunct is refuted on the child, or its split constraints are contradictory. `needed`: the
        /// child's sign decisions whose multiplier β is positive in the refuting bound (with
        /// ``ActivationSplitOptions/nogoods``; nil when not asked for or not from a bound).
        case refuted(needed: [SplitDecision]? = nil)
        /// A concrete input in the unsafe set (to be validated by the caller).
        case counterexample([Double])
        /// Still undecided: to be split further.
        case open(Domain, candidate: [Double])
        /// Undecided, and no unstable neuron is left to split (the child, for a longer optimisation).
        case unsplittable(Child)
    }

    /// Bounds the children in ``ActivationSplitOptions/workers`` shares at once, each share one batched
    /// pass with one BLAS thread (the Swift work between BLAS calls is a large part of a batch's time).
    func boundInParallel(_ children: [Child], objective: SpecObjective, box: IntervalMatrix, deadline: Date) -> [ChildResult] {
        let workers = max(1, min(options.workers, children.count / max(1, options.minimumChildrenPerWorker)))
        if workers == 1 { return bound(children, objective: objective, box: box, optimisation: options.optimisation, deadline: deadline) }
        return inParallel(count: children.count, threads: workers) { range in
            bound(Array(children[range]), objective: objective, box: box, optimisation: options.optimisation, deadline: deadline)
        }.flatMap { $0 }
    }

    /// Bounds all children in one batched pass: intermediate bounds with the splits applied, then
    /// the objective with optimised α and β warm-started from each parent.
    func bound(_ children: [Child], objective: SpecObjective, box: IntervalMatrix, optimisation: BoundOptimisation,
               deadline: Date) -> [ChildResult] {
        let k = children.count
        let input = Self.inputBoxes(children, box: box)
        let known = stackedBounds(children)
        // A child keeps its parent's bounds up to the value its new split changed (bounds of earlier
        // values do not depend on it); later values are recomputed with the split applied.
        let inter = crown.intermediateBounds(input: input, known: known,
                                             reuseThroughPerRow: children.map { $0.newSplit ?? -1 }, deadline: deadline)
        // A child whose bounds cross is infeasible (its splits contradict each other); crossings within
        // rounding noise do not count.
        var empty = [Bool](repeating: false, count: k)
        for (_, b) in inter {
            let n = b.cols
            for c in 0..<k where !empty[c] {
                for j in 0..<n {
                    let l = b.lower.data[c * n + j], u = b.upper.data[c * n + j]
                    if l > u + 1e-9 * (1 + abs(u)) { empty[c] = true; break }
                }
            }
        }
        let pass = objectivePass(children, bounds: inter, input: input, objective: objective, optimisation: optimisation)
        var results = children.indices.map { c -> ChildResult in
            if empty[c] { return .refuted() }
            return decide(child: children[c], index: c, rows: pass.activeRows.count, position: pass.position, activeRows: pass.activeRows,
                          objective: objective, result: pass.result, parameters: pass.parameters, bounds: inter, box: box)
        }
        if options.nogoods {
            for c in children.indices where !empty[c] {
                if case .refuted = results[c] {
                    results[c] = .refuted(needed: Self.positiveMultipliers(children[c], index: c, rows: pass.activeRows.count,
                                                                           parameters: pass.parameters))
                }
            }
        }
        if options.filteredBranching > 1 && Date() < deadline { filterBranches(&results, objective: objective, box: box) }
        return results
    }

    /// The children's input boxes, one row per child (`box`, the case's box, for a child without its own).
    static func inputBoxes(_ children: [Child], box: IntervalMatrix) -> IntervalMatrix {
        guard children.contains(where: { $0.box != nil }) else {
            return IntervalMatrix(lower: box.lower.repeatingRows(children.count), upper: box.upper.repeatingRows(children.count))
        }
        return IntervalMatrix(lower: Matrix.vstack(children.map { ($0.box ?? box).lower }),
                              upper: Matrix.vstack(children.map { ($0.box ?? box).upper }))
    }

    /// The children's known bounds, one row per child, for the values every child has bounds of.
    func stackedBounds(_ children: [Child]) -> [ValueID: IntervalMatrix] {
        var stacked = [ValueID: IntervalMatrix]()
        for v in crown.boundedValues {
            let parts = children.compactMap { $0.bounds[v] }
            guard parts.count == children.count else { continue }
            stacked[v] = IntervalMatrix(lower: Matrix.vstack(parts.map(\.lower)), upper: Matrix.vstack(parts.map(\.upper)))
        }
        return stacked
    }

    /// The objective's optimised bound on a batch of children (rows of the disjuncts still open somewhere
    /// in the batch, α/β warm-started from each parent).
    struct ObjectivePass {
        var result: ParameterisedBound
        var parameters: BoundParameters
        /// The objective rows bounded, and each one's position among them.
        var activeRows: [Int]
        var position: [Int: Int]
    }

    /// One ``ObjectivePass``: `bounds` must hold sound bounds (splits applied) of every child, stacked.
    func objectivePass(_ children: [Child], bounds inter: [ValueID: IntervalMatrix], input: IntervalMatrix,
                       objective: SpecObjective, optimisation: BoundOptimisation) -> ObjectivePass {
        let k = children.count, m = objective.rowCount
        var pattern = SplitPattern()
        for v in splittable where children.contains(where: { $0.splits[v] != nil }) {
            let n = network.size(of: v)
            var s = Matrix(rows: k, cols: n)
            for (c, child) in children.enumerated() {
                if let signs = child.splits[v] { for j in 0..<n { s.data[c * n + j] = signs[j] } }
            }
            pattern[v] = s
        }
        // Only the rows of disjuncts still open somewhere in the batch are bounded.
        var activeRows = Array(Set(children.flatMap { $0.open.flatMap { objective.rowsOfDisjunct[$0] } })).sorted()
        if activeRows.isEmpty { activeRows = m > 0 ? [0] : [] }
        let ma = activeRows.count
        let matrix = Matrix(rows: ma, cols: objective.matrix.cols, data: activeRows.flatMap { objective.matrix.row($0) })
        let constant = activeRows.map { objective.constant[$0] }
        let rowDomain = (0..<(k * ma)).map { $0 / max(ma, 1) }
        let fresh = crown.initialParameters(rowDomain: rowDomain, bounds: inter, splits: pattern)
        let start = Self.warmStart(fresh, children: children, activeRows: activeRows)
        let (result, parameters) = crown.optimisedLowerBound(of: network.output, objective: matrix,
                                                              constant: constant, input: input, bounds: inter,
                                                              splits: pattern, start: start, options: optimisation)
        var position = [Int: Int]()
        for (t, r) in activeRows.enumerated() { position[r] = t }
        return ObjectivePass(result: result, parameters: parameters, activeRows: activeRows, position: position)
    }

    /// Refutes, reports a counterexample, or makes the open domain (with its branching choice) for child `c`.
    private func decide(child: Child, index c: Int, rows m: Int, position: [Int: Int], activeRows: [Int], objective: SpecObjective,
                        result: ParameterisedBound, parameters: BoundParameters, bounds: [ValueID: IntervalMatrix],
                        box: IntervalMatrix) -> ChildResult {
        let n0 = network.inputSize
        var open = [Int](), openRows = [Int](), worst = Double.infinity
        let ownBox = child.box ?? box
        var clipped: (lower: [Double], upper: [Double])?
        for k in child.open {
            let rows = objective.rowsOfDisjunct[k]
            if !rows.isEmpty && rows.contains(where: { result.lower[c * m + position[$0]!] > 0 }) { continue }
            if options.domainClipping && !rows.isEmpty {
                // The points of the domain's box where all of this disjunct's rows may be <= 0 (each row's
                // linear bound holds on the whole box under the domain's splits); none: refuted here.
                var lo = ownBox.lower.data, hi = ownBox.upper.data
                var feasible = true
                for r in rows where feasible {
                    let row = c * m + position[r]!
                    feasible = BoxClipping.clip(lower: &lo, upper: &hi, a: result.inputCoefficients.data[(row * n0)..<((row + 1) * n0)],
                                                c: result.inputConstant[row])
                }
                guard feasible else { continue }
                if let (l, u) = clipped {
                    clipped = ((0..<n0).map { min(l[$0], lo[$0]) }, (0..<n0).map { max(u[$0], hi[$0]) })
                } else {
                    clipped = (lo, hi)
                }
            }
            open.append(k)
            openRows += rows.map { position[$0]! }
            for r in rows { worst = min(worst, result.lower[c * m + position[r]!]) }
        }
        if open.isEmpty { return .refuted() }
        // The union of the open disjuncts' clipped boxes: every point of the domain outside it is safe.
        var domainBox = child.box
        if let (l, u) = clipped, l != ownBox.lower.data || u != ownBox.upper.data {
            domainBox = IntervalMatrix(lower: Matrix(rows: 1, cols: n0, data: l), upper: Matrix(rows: 1, cols: n0, data: u))
        }
        let here = domainBox ?? box
        // Candidate: the input corner minimising the lowest open row's linear bound.
        let pick = openRows.min { result.lower[c * m + $0] < result.lower[c * m + $1] } ?? 0
        var candidate = [Double](repeating: 0, count: n0)
        for j in 0..<n0 {
            let a = result.inputCoefficients.data[(c * m + pick) * n0 + j]
            candidate[j] = a >= 0 ? here.lower.data[j] : here.upper.data[j]
        }
        if openRows.isEmpty { candidate = (0..<n0).map { 0.5 * (here.lower.data[$0] + here.upper.data[$0]) } }
        if objective.specCase.contains(candidate), let y = try? network.evaluate(candidate), objective.specCase.isViolated(by: y) {
            return .counterexample(candidate)
        }
        var own = [ValueID: IntervalMatrix]()
        for (v, b) in bounds { own[v] = IntervalMatrix(lower: b.lower.rows(c..<(c + 1)), upper: b.upper.rows(c..<(c + 1))) }
        let ranked = rankBranches(index: c, rows: m, openRows: openRows, result: result, bounds: own, candidate: candidate,
                                  count: max(1, options.filteredBranching))
        guard let branch = ranked.first else {
            var settled = child
            settled.bounds = own
            settled.box = domainBox
            return .unsplittable(settled)
        }
        var mine = parameters.rows(c * m..<(c + 1) * m)
        mine.rows = activeRows
        let doubles = own.values.reduce(0) { $0 + 2 * $1.cols } + mine.count + child.splits.values.reduce(0) { $0 + $1.count }
            + 4 * child.offsetSplits.count + (domainBox == nil ? 0 : 2 * n0)
        let domain = Domain(splits: child.splits, offsetSplits: child.offsetSplits, bounds: own, parameters: mine,
                            priority: worst, open: open, branch: branch, box: domainBox, alternatives: ranked.count > 1 ? ranked : [],
                            bytes: 8 * doubles + 256)
        return .open(domain, candidate: candidate)
    }

    /// The starting α, β and tangent parameters of a batch: each child's parent values for the rows it had, fresh
    /// values elsewhere (rows are the objective rows in `activeRows`, `activeRows.count` per child).
    static func warmStart(_ fresh: BoundParameters, children: [Child], activeRows: [Int]) -> BoundParameters {
        var start = fresh
        let ma = activeRows.count
        func fill(_ stacked: inout Matrix, from parent: (Child) -> Matrix?) {
            let n = stacked.cols
            for (c, child) in children.enumerated() {
                guard let p = parent(child), let rows = child.parameters?.rows else { continue }
                var index = [Int: Int]()
                for (t, r) in rows.enumerated() { index[r] = t }
                for (t, r) in activeRows.enumerated() {
                    guard let from = index[r], from < p.rows else { continue }
                    for j in 0..<n { stacked.data[(c * ma + t) * n + j] = p.data[from * n + j] }
                }
            }
        }
        for (i, p) in fresh.lower {
            var stacked = p
            fill(&stacked) { $0.parameters?.lower[i] }
            start.lower[i] = stacked
        }
        for (i, p) in fresh.upper {
            var stacked = p
            fill(&stacked) { $0.parameters?.upper[i] }
            start.upper[i] = stacked
        }
        for (v, b) in fresh.beta {
            var stacked = b
            fill(&stacked) { $0.parameters?.beta[v] }
            start.beta[v] = stacked
        }
        return start
    }

    /// The neurons with a breakpoint strictly inside their interval whose relaxation gap weighs most in the
    /// open rows' bounds (BaBSR-like), best first, at most `count`: for each inner breakpoint `t` with
    /// slope change `w`, the triangle height `|w|·(t − l)(u − t)/(u − l)` (ReLU: the upper chord's
    /// intercept), times the coefficients that use the loose line (negative ones for a convex kink,
    /// positive for a concave one). Ties and all-zero scores fall back to interval width times
    /// coefficient size. Splits are at breakpoints, so a split neuron's clamped interval has no
    /// breakpoint inside on that side. With ``ActivationSplitOptions/generalNeurons``, the best smooth or
    /// bilinear split takes its place by its score.
    func rankBranches(index c: Int, rows m: Int, openRows: [Int], result: ParameterisedBound,
                      bounds: [ValueID: IntervalMatrix], candidate: [Double], count: Int = 1) -> [Branch] {
        var best = [(branch: Branch, score: Double)]()
        func offer(_ branch: Branch, _ score: Double) {
            guard best.count < count || score > best[best.count - 1].score else { return }
            let at = best.firstIndex { $0.score < score } ?? best.count
            best.insert((branch, score), at: at)
            if best.count > count { best.removeLast() }
        }
        for (i, node) in network.nodes.enumerated() {
            guard let act = node.op as? any PiecewiseLinearActivation else { continue }
            let v = node.inputs[0]
            guard let b = bounds[v], let a = result.activationCoefficients[i] else { continue }
            let pieces = act.pieces
            let n = b.cols
            for j in 0..<n {
                let l = b.lower.data[j], u = b.upper.data[j]
                for (k, t) in pieces.breakpoints.enumerated() where l < t && u > t {
                    let w = pieces.slopes[k + 1] - pieces.slopes[k]
                    let height = abs(w) * (t - l) * (u - t) / (u - l)
                    var score = 0.0, size = 0.0
                    for r in openRows {
                        let coef = a.data[(c * m + r) * n + j]
                        score += (w > 0 ? max(-coef, 0) : max(coef, 0)) * height
                        size += abs(coef)
                    }
                    offer((v, j, t), score + 1e-6 * size * (u - l) + 1e-12 * (u - l))
                }
            }
        }
        if options.generalNeurons,
           let general = generalBranch(index: c, rows: m, openRows: openRows, result: result, bounds: bounds, candidate: candidate) {
            offer((general.value, general.neuron, general.point), general.score)
        }
        return best.map(\.branch)
    }

    /// Decides a domain whose piecewise-linear neurons are all linear on their intervals by an LP over its exact linear pieces
    /// (GLPK, ``ObjectiveLP``): each open disjunct is refuted when the LP is infeasible or its bound
    /// is positive; an LP optimum that violates the property on concrete evaluation is a
    /// counterexample. Nil when the LP decides nothing (or fails).
    /// The LP stops at `deadline` (an unfinished LP decides nothing: nil).
    func decideByLP(_ child: Child, objective: SpecObjective, lp: ObjectiveLP, deadline: Date) -> ChildResult? {
        var splits = child.offsetSplits
        for (v, signs) in child.splits {
            for (j, s) in signs.enumerated() where s != 0 { splits.append(NeuronSplit(value: v, neuron: j, active: s > 0)) }
        }
        let specCase = objective.specCase
        // The child's clipped box: the points of the case's box outside it are proven safe already.
        let box = child.box.map { InputBox(lower: $0.lower.data, upper: $0.upper.data) } ?? specCase.box
        for k in child.open {
            guard let bound = try? lp.minimumOfMaximum(specCase.disjuncts[k], box: box, bounds: child.bounds, splits: splits,
                                                       deadline: deadline, inputConstraints: specCase.inputConstraints) else {
                return nil
            }
            if bound.status == .infeasible || bound.lowerBound > 0 { continue }
            // The LP's point may sit outside the box by the solver's tolerance: clamp it, then check it.
            if let raw = bound.input, raw.count == network.inputSize {
                let x = raw.indices.map { min(max(raw[$0], box.lower[$0]), box.upper[$0]) }
                if specCase.contains(x), let y = try? network.evaluate(x), specCase.isViolated(by: y) { return .counterexample(x) }
            }
            return nil
        }
        return .refuted()
    }

    /// Short PGD runs from the bound minimisers of the most promising open domains.
    func leafAttack(_ results: [ChildResult], specCase: SpecCase, deadline: Date) -> [Double]? {
        guard options.leafAttackDomains > 0 else { return nil }
        var starts = [(Double, [Double])]()
        for case .open(let d, let x) in results { starts.append((d.priority, x)) }
        starts.sort { $0.0 < $1.0 }
        var attack = SpecPGDOptions()
        attack.restarts = 2
        attack.steps = 20
        for (k, start) in starts.prefix(options.leafAttackDomains).enumerated() where Date() < deadline {
            attack.seed = UInt64(k)
            if let x = specPGD(network, specCase, options: attack, deadline: deadline, start: start.1),
               specCase.contains(x), specCase.isViolated(by: (try? network.evaluate(x)) ?? []) {
                return x
            }
        }
        return nil
    }
}
