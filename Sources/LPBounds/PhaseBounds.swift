import LP
import NNGraph

/// Fixing unstable ReLUs' phases on a program loaded once (``BoundChangeSession``), shared by the
/// searches that branch on phases: ``MILPCertificate``'s certification and ``PhaseSearch``.
extension NetworkLP {
    /// The unfixed unstable ReLU to split, as in ``MILPCertificate``: ``rectifierOffGraph(splits:point:)``,
    /// else the largest triangle height `u·(−l)/(u − l)` on the given bounds; and whether the LP point
    /// lies on its active side.
    func rectifierToSplit(splits: [NeuronSplit], point: [Double]?, dual: ((Int) -> Double)? = nil) -> (ValueID, Int, Bool)? {
        if let point, let off = rectifierOffGraph(splits: splits, point: point, dual: dual) { return off }
        let taken = Set(splits.map { SplitKey(value: $0.value, neuron: $0.neuron) })
        var tallest: (height: Double, value: ValueID, neuron: Int, active: Bool)?
        for (value, neurons) in rectifiers {
            guard let b = bounds[value] else { continue }
            for (j, r) in neurons where !taken.contains(SplitKey(value: value, neuron: j)) {
                let (l, u) = (b.lower[j], b.upper[j])
                let height = l.isFinite && u.isFinite ? u * (-l) / (u - l) : .infinity
                if height > (tallest?.height ?? -1) || (height == tallest?.height && (value, j) < (tallest!.value, tallest!.neuron)) {
                    tallest = (height, value, j, (point?[r.z] ?? 0) >= 0)
                }
            }
        }
        return tallest.map { ($0.value, $0.neuron, $0.active) }
    }

    /// The unfixed unstable ReLU whose LP point lies farthest from its graph (`|y − max(0, z)|` above
    /// 1e-9), and whether the point lies on its active side; nil when the point is on every graph.
    /// With `dual` (a row's dual value in the solution that gave `point`), the distance is weighted by
    /// `1e-6 + |dual|` of the ReLU's triangle upper row: a ReLU off its graph whose upper row does not bind
    /// moves the objective little when its phase is fixed (the choice only orders the search; any is sound).
    func rectifierOffGraph(splits: [NeuronSplit], point: [Double], dual: ((Int) -> Double)? = nil) -> (ValueID, Int, Bool)? {
        let taken = Set(splits.map { SplitKey(value: $0.value, neuron: $0.neuron) })
        var farthest: (gap: Double, value: ValueID, neuron: Int, active: Bool)?
        for (value, neurons) in rectifiers {
            for (j, r) in neurons where !taken.contains(SplitKey(value: value, neuron: j)) {
                let z = point[r.z]
                var gap = abs(point[r.y] - max(0, z))
                guard gap > 1e-9 else { continue }
                if let dual { gap *= 1e-6 + abs(r.upperRow.map(dual) ?? 0) }
                if gap > (farthest?.gap ?? 0) || (gap == farthest?.gap && (value, j) < (farthest!.value, farthest!.neuron)) {
                    farthest = (gap, value, j, z >= 0)
                }
            }
        }
        return farthest.map { ($0.value, $0.neuron, $0.active) }
    }
}

private struct SplitKey: Hashable {
    var value: ValueID
    var neuron: Int
}

/// The bounds a set of fixed ReLU phases puts on a loaded program, and the changes from the bounds set
/// last: only variables and rows whose bounds differ are touched.
struct PhaseBounds {
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
