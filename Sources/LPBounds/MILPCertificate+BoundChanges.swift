import Bounds
import Foundation
import LP
import NNGraph
import VNNLib

/// The certification search of ``MILPCertificate`` with one program for all its nodes: the triangle
/// relaxation on the given bounds is loaded into GLPK once (``BoundChangeSession``), and a node's fixed
/// phases become bound changes — inactive: `z ≤ 0` and `y ≤ 0` (so `y = 0`, as `y ≥ 0`); active: `z ≥ 0`
/// and the row `y − z ≥ 0` closed to `y − z = 0` — so each node's dual simplex restarts from the previous
/// node's basis and stops once the bound passes 0 (``LinearProgram/solveForProvenBound(timeLimitSeconds:cutoff:)``).
///
/// Sound for the same reason as the search with fresh programs: the triangle rows hold on the given
/// bounds, which contain every node's region, and the fixed phases are exact on it, so each node's
/// program contains its region, and every bound is proven from the duals of the program as it stands
/// at that solve. The nodes' intermediate bounds are not tightened (the rows stay those of the given
/// bounds), so a search may need more nodes than with fresh programs, each much cheaper.
extension MILPCertificate {
    /// ``certify(_:box:bounds:deadline:inputConstraints:)`` by bound changes, or nil when the program has
    /// an unstable piecewise-linear neuron other than a plain ReLU (whose phases bounds cannot fix).
    func certifyByBoundChanges(_ rows: [LinearConstraint], box: InputBox, bounds: [ValueID: IntervalMatrix],
                               deadline: Date?, inputConstraints: [LinearConstraint]) throws -> MILPCertification? {
        let network = linearized.network
        var lp = try NetworkLP(linearized, box: box, known: selectRow(bounds, row: 0, network: network),
                               splits: SplitTable([], network: network), encoding: .relaxation,
                               targets: [network.output], inputConstraints: inputConstraints)
        guard !lp.isEmpty, lp.otherUnstableNeurons == 0 else { return nil }
        let t = lp.addMaximumVariable(rows)
        lp.program.setObjective([(t, 1)], constant: 0, sense: .minimise)
        let base = lp.program
        let session: BoundChangeSession
        do { session = try BoundChangeSession(base) } catch let error as LPError {
            throw LPBoundsError.solver(error, context: "certification LP")
        }
        var fixed = PhaseBounds(base: base)
        var result = MILPCertification(outcome: .proven)
        var stack: [[NeuronSplit]] = [[]]
        while let splits = stack.popLast() {
            if let why = interruption(after: result.nodes, deadline: deadline) {
                result.outcome = .unfinished(why)
                return result
            }
            result.nodes += 1
            result.depth = max(result.depth, splits.count)
            // Phases that contradict the given (sound) bounds leave the node's region empty.
            do {
                guard try fixed.apply(splits, lp.rectifiers, to: session) else { continue }
            } catch let error as LPError {
                throw LPBoundsError.solver(error, context: "certification LP at depth \(splits.count)")
            }
            let solved: SolvedBound
            do {
                solved = SolvedBound(try session.solveForProvenBound(timeLimitSeconds: secondsLeft(deadline), cutoff: 0), sense: .minimise)
            } catch let error as LPError {
                throw LPBoundsError.solver(error, context: "certification LP at depth \(splits.count)")
            }
            if solved.status == .infeasible || solved.bound > 0 { continue }
            if solved.status == .timeLimit {
                result.outcome = .unfinished("deadline")
                return result
            }
            if let values = solved.point {
                let x = RegionProjection.pulled(lp.inputPoint(values), box: box, constraints: inputConstraints)
                if inputConstraints.allSatisfy({ $0.holds(x) }), let y = try? network.evaluate(x),
                   rows.allSatisfy({ $0.residual(y) <= 0 }) {
                    result.outcome = .counterexample(x)
                    return result
                }
            }
            guard let (value, neuron, active) = Self.rectifierToSplit(lp, splits: splits, point: solved.point) else {
                result.outcome = .unfinished("a linear region with \(splits.count) fixed phases has a proven bound "
                                             + "\(solved.bound) <= 0, and its point does not violate the property")
                return result
            }
            for side in [!active, active] {  // pushed last, popped first
                stack.append(splits + [NeuronSplit(value: value, neuron: neuron, active: side, point: 0)])
            }
            result.largestStack = max(result.largestStack, stack.count)
        }
        return result
    }

    /// The unfixed unstable ReLU to split, as in ``MILPCertificate``: the one whose LP point lies
    /// farthest above its graph (`y − max(0, z)`), else the largest triangle height `u·(−l)/(u − l)` on
    /// the given bounds; and whether the LP point lies on its active side.
    private static func rectifierToSplit(_ lp: NetworkLP, splits: [NeuronSplit], point: [Double]?)
        -> (ValueID, Int, Bool)? {
        let taken = Set(splits.map { SplitKey(value: $0.value, neuron: $0.neuron) })
        var farthest: (gap: Double, value: ValueID, neuron: Int, active: Bool)?
        var tallest: (height: Double, value: ValueID, neuron: Int, active: Bool)?
        for (value, neurons) in lp.rectifiers {
            guard let b = lp.bounds[value] else { continue }
            for (j, r) in neurons where !taken.contains(SplitKey(value: value, neuron: j)) {
                let z = point?[r.z] ?? 0
                if let point {
                    let gap = abs(point[r.y] - max(0, z))
                    if gap > (farthest?.gap ?? 1e-9) || (gap == farthest?.gap && (value, j) < (farthest!.value, farthest!.neuron)) {
                        farthest = (gap, value, j, z >= 0)
                    }
                }
                let (l, u) = (b.lower[j], b.upper[j])
                let height = l.isFinite && u.isFinite ? u * (-l) / (u - l) : .infinity
                if height > (tallest?.height ?? -1) || (height == tallest?.height && (value, j) < (tallest!.value, tallest!.neuron)) {
                    tallest = (height, value, j, z >= 0)
                }
            }
        }
        if let f = farthest { return (f.value, f.neuron, f.active) }
        return tallest.map { ($0.value, $0.neuron, $0.active) }
    }
}

private struct SplitKey: Hashable {
    var value: ValueID
    var neuron: Int
}

/// The bounds a set of fixed ReLU phases puts on a loaded program, and the changes from the bounds set
/// last: only variables and rows whose bounds differ are touched.
private struct PhaseBounds {
    let base: LinearProgram
    private var variables = [Int: (Double, Double)]()
    private var rows = [Int: (Double, Double)]()

    init(base: LinearProgram) { self.base = base }

    /// Sets the bounds of `splits` (every other variable and row back to `base`'s); false when a phase
    /// contradicts the bounds (the node's region is empty; nothing is solved).
    mutating func apply(_ splits: [NeuronSplit], _ rectifiers: [ValueID: [Int: UnstableRectifier]],
                        to session: BoundChangeSession) throws -> Bool {
        var wantVariables = [Int: (Double, Double)](), wantRows = [Int: (Double, Double)]()
        func narrow(_ j: Int, lower: Double = -.infinity, upper: Double = .infinity) {
            let (l, u) = wantVariables[j] ?? (base.variables[j].lower, base.variables[j].upper)
            wantVariables[j] = (max(l, lower), min(u, upper))
        }
        for split in splits {
            guard let r = rectifiers[split.value]?[split.neuron] else { return false }
            if split.active {
                narrow(r.z, lower: 0)
                let row = base.constraints[r.row]
                wantRows[r.row] = (row.lower, min(row.upper, row.lower))  // y − z ≥ 0 closed to y − z = 0
            } else {
                narrow(r.z, upper: 0)
                narrow(r.y, upper: 0)
            }
        }
        if wantVariables.values.contains(where: { $0.0 > $0.1 }) { return false }
        for j in Set(variables.keys).union(wantVariables.keys) where !Self.same(variables[j], wantVariables[j]) {
            let (l, u) = wantVariables[j] ?? (base.variables[j].lower, base.variables[j].upper)
            try session.setBounds(variable: j, lower: l, upper: u)
        }
        for i in Set(rows.keys).union(wantRows.keys) where !Self.same(rows[i], wantRows[i]) {
            let (l, u) = wantRows[i] ?? (base.constraints[i].lower, base.constraints[i].upper)
            try session.setBounds(row: i, lower: l, upper: u)
        }
        variables = wantVariables
        rows = wantRows
        return true
    }

    private static func same(_ a: (Double, Double)?, _ b: (Double, Double)?) -> Bool {
        switch (a, b) {
        case (nil, nil): return true
        case let (x?, y?): return x == y
        default: return false
        }
    }
}
