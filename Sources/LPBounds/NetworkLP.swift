import Bounds
import LP
import NNGraph
import VNNLib

/// How activations enter a program built by ``NetworkLP``.
enum ActivationEncoding {
    /// LP relaxation: a piecewise-linear activation is written with ReLUs of shifted inputs
    /// (``PiecewiseNeuron``) and each unstable ReLU becomes a triangle (`y ≥ 0`, `y ≥ z`,
    /// `y ≤ u(z − l)/(u − l)`); other activations → their two relaxation lines
    /// (``ElementwiseActivation/relaxations(lower:upper:variant:)``, widened by their defects).
    case relaxation
    /// Exact MILP: each of those ReLUs → big-M with one binary `δ` (`y ≥ 0`, `y ≥ z`,
    /// `y ≤ z − l(1 − δ)`, `y ≤ uδ`); an activation that is not piecewise linear is an error.
    case bigM
}

/// A linear (or mixed-integer) program whose feasible set contains every (input, values) pair of the
/// network on an input box, restricted by ReLU splits.
///
/// Variables: one per input; one per neuron of every other needed value, except that a neuron equal to
/// an earlier one (a copy through a linear map such as ``Reshape``, or a stable active ReLU) shares its
/// variable, and stable inactive ReLU outputs share one variable fixed at 0. Linear nodes become equality
/// rows built from their exact sparse Jacobians. Each variable's bounds are interval bounds seeded with
/// the caller's bounds (both sound, so their intersection is), tightened by the splits.
struct NetworkLP {
    /// The program without objective.
    var program = LinearProgram(sense: .minimise)
    /// The variable of every neuron of every materialised value; -1 for a neuron nothing needs.
    private(set) var columns = [ValueID: [Int]]()
    /// Bounds of every materialised value (seeded interval bounds ∩ caller's bounds ∩ splits).
    private(set) var bounds = [ValueID: ValueBounds]()
    /// True when a split contradicts sound bounds: the region is empty and `program` is incomplete.
    private(set) var isEmpty = false
    /// Binary variables of the big-M encoding.
    private(set) var binaryCount = 0
    /// The unstable ReLUs (plain rectifiers, breakpoint 0) by input value and neuron: their input and
    /// output variables and the row `y − z ≥ 0`, so that a phase can be fixed by bounds alone
    /// (``MILPCertificate``'s warm search). Other unstable piecewise-linear neurons are counted in
    /// ``otherUnstableNeurons``.
    private(set) var rectifiers = [ValueID: [Int: UnstableRectifier]]()
    private(set) var otherUnstableNeurons = 0
    let linearized: LinearizedNetwork
    private let alsoRelaxOn: [ValueID: ValueBounds]
    private var zeroVariable: Int?
    private var scratch = [Double]()

    /// Coefficients below this magnitude are dropped from rows, their largest possible contribution
    /// moved into the row's bounds (GLPK rejects coefficients below 1e-30 and scales badly near it).
    static let negligible = 1e-20

    /// Builds the program for computing `targets`. A target produced by a linear node is not itself
    /// materialised when `composeTargets`: use ``expression(of:neuron:)`` for it.
    /// `alsoRelaxOn`: further sound bounds of activation inputs (e.g. the looser bounds a refinement
    /// started from); non-ReLU activations get their relaxation lines on these intervals too, since
    /// S-shaped relaxations on a narrower interval are not always inside those on a wider one.
    /// `inputConstraints`: linear constraints over the inputs (a VNN-LIB 2.0 case's couplings, see
    /// ``SpecCase/inputConstraints``), added as rows over the input variables (``addInputRows(_:)``).
    init(_ linearized: LinearizedNetwork, box: InputBox, known: [ValueID: ValueBounds], splits: SplitTable,
         encoding: ActivationEncoding, targets: [ValueID], composeTargets: Bool = true,
         alsoRelaxOn: [ValueID: ValueBounds] = [:], inputConstraints: [LinearConstraint] = []) throws {
        self.linearized = linearized
        self.alsoRelaxOn = alsoRelaxOn
        let network = linearized.network
        var roots = [ValueID]()
        for t in targets {
            if composeTargets, t > 0, linearized.maps[t - 1] != nil { roots += network.nodes[t - 1].inputs } else { roots.append(t) }
        }
        let boxBounds = try box.validated(inputSize: network.inputSize)
        let order = linearized.ancestors(of: roots)
        for value in order {
            guard try addBounds(of: value, box: boxBounds, known: known[value], splits: splits) else {
                isEmpty = true
                return
            }
        }
        let needed = neededNeurons(order, roots: roots, splits: splits)
        for value in order { try addVariables(of: value, needed: needed[value]!, encoding: encoding) }
        try addInputRows(inputConstraints)
    }

    /// Adds `Σ a_i x_i <= −d` for each input constraint `Σ a_i x_i + d <= 0` (a strict `< 0` read as
    /// its closure, which only enlarges the region: sound for bounds and `unsat`). The row is widened
    /// by the rounding error of evaluating the constraint in floating point over the box
    /// (`γ(n+1)·(|d| + Σ|a_i|·max|x_i|)`, bounded above by `(n+2)·2⁻⁵²·…`), so every input that ``LinearConstraint/holds(_:)`` accepts
    /// stays feasible. The rows are ordinary rows of the program: the proven bounds
    /// (``LinearProgram/provenLagrangianBound(multipliers:)``) use their duals like any other row's.
    private mutating func addInputRows(_ constraints: [LinearConstraint]) throws {
        let inputs = columns[0]!
        for (k, c) in constraints.enumerated() {
            guard c.coefficients.count == inputs.count else {
                throw LPBoundsError.invalidInputConstraint(row: k, expected: inputs.count, got: c.coefficients.count)
            }
            let terms = c.coefficients.indices.filter { c.coefficients[$0] != 0 }.map { (inputs[$0], c.coefficients[$0]) }
            // (n + 2)·2⁻⁵² exceeds γ(n + 1) = (n + 1)·2⁻⁵³/(1 − (n + 1)·2⁻⁵³) for any realistic n.
            let slack = Double(terms.count + 2) * Double.ulpOfOne * magnitude((terms, c.constant))
            addRow(terms, lower: -.infinity, upper: -c.constant + slack)
        }
    }

    /// Which neurons the program must contain: every neuron of the roots and of the input, every
    /// split neuron, and, backwards, whatever a needed neuron reads. An activation that is constant on its
    /// input's interval (a stable inactive ReLU) reads nothing, so e.g. the inputs of a layer's inactive
    /// ReLUs get no rows.
    private func neededNeurons(_ order: [ValueID], roots: [ValueID], splits: SplitTable) -> [ValueID: [Bool]] {
        let network = linearized.network
        var needed = [ValueID: [Bool]]()
        for v in order { needed[v] = [Bool](repeating: v == 0, count: network.size(of: v)) }
        for r in roots { needed[r] = [Bool](repeating: true, count: network.size(of: r)) }
        for (v, limits) in splits.limits where needed[v] != nil { for j in limits.keys { needed[v]![j] = true } }
        for v in order.reversed() where v > 0 {
            let node = network.nodes[v - 1], own = needed[v]!
            guard own.contains(true) else { continue }
            if let map = linearized.maps[v - 1] {
                for j in own.indices where own[j] {
                    for e in map.entries(of: j) { needed[node.inputs[map.slot[e]]]![map.column[e]] = true }
                }
            } else {
                let z = node.inputs[0], pre = bounds[z]!
                let pieces = (node.op as? any PiecewiseLinearActivation)?.pieces
                for j in own.indices where own[j] {
                    if let pieces, PiecewiseNeuron(pieces: pieces, l: pre.lower[j], u: pre.upper[j]).isConstant { continue }
                    needed[z]![j] = true
                }
            }
        }
        return needed
    }

    /// Seeded interval bounds of `value`, with splits applied. Returns false when a split contradicts them.
    private mutating func addBounds(of value: ValueID, box: ValueBounds, known: ValueBounds?, splits: SplitTable) throws -> Bool {
        var b: ValueBounds
        if value == 0 {
            b = box.intersected(with: known)
        } else {
            let node = linearized.network.nodes[value - 1]
            let image = RoundingError.outwardInterval(node.op, node.inputs.map { bounds[$0]!.interval })
            b = ValueBounds(lower: image.lower.data, upper: image.upper.data).intersected(with: known)
        }
        // Sound bounds below (above) a split's point prove the region has no point on its side.
        guard splits.apply(to: &b, of: value) else { return false }
        bounds[value] = b
        return true
    }

    mutating func newVariable(lower: Double, upper: Double, isInteger: Bool = false) -> Int {
        scratch.append(0)
        return program.addVariable(lower: lower, upper: upper, isInteger: isInteger)
    }

    /// Narrows a shared variable to bounds that another (equal) neuron has.
    private mutating func narrow(_ variable: Int, lower: Double, upper: Double) {
        var v = program.variables[variable]
        let (l, u) = (max(v.lower, lower), min(v.upper, upper))
        if l <= u { v.lower = l; v.upper = u } else { v.lower = min(v.lower, lower); v.upper = max(v.upper, upper) }
        program.variables[variable] = v
    }

    /// Variables and rows of the `needed` neurons of `value` (others get the column -1).
    private mutating func addVariables(of value: ValueID, needed: [Bool], encoding: ActivationEncoding) throws {
        let b = bounds[value]!
        if value == 0 {
            columns[0] = (0..<b.lower.count).map { newVariable(lower: b.lower[$0], upper: b.upper[$0]) }
            return
        }
        let node = linearized.network.nodes[value - 1]
        var out = [Int]()
        out.reserveCapacity(b.lower.count)
        if let map = linearized.maps[value - 1] {
            let inputs = node.inputs.map { columns[$0]! }
            for j in 0..<map.outputSize {
                guard needed[j] else { out.append(-1); continue }
                if let (slot, column) = map.copiedInput(of: j) {
                    let shared = inputs[slot][column]
                    narrow(shared, lower: b.lower[j], upper: b.upper[j])
                    out.append(shared)
                    continue
                }
                let y = newVariable(lower: b.lower[j], upper: b.upper[j])
                var terms = [(y, -1.0)]
                for e in map.entries(of: j) { terms.append((inputs[map.slot[e]][map.column[e]], map.value[e])) }
                addRow(terms, lower: -map.constant[j], upper: -map.constant[j])
                out.append(y)
            }
        } else if let act = node.op as? any PiecewiseLinearActivation {
            let z = columns[node.inputs[0]]!, pre = bounds[node.inputs[0]]!
            let pieces = act.pieces
            for j in 0..<b.lower.count {
                guard needed[j] else { out.append(-1); continue }
                let (l, u) = (pre.lower[j], pre.upper[j])
                let neuron = PiecewiseNeuron(pieces: pieces, l: l, u: u)
                // (Constant first: `neededNeurons` leaves z unmaterialised exactly then.)
                if neuron.isConstant && neuron.constant == 0 {
                    out.append(zero())
                } else if neuron.isConstant {
                    out.append(newVariable(lower: neuron.constant - neuron.slack, upper: neuron.constant + neuron.slack))
                } else if neuron.isIdentity {
                    narrow(z[j], lower: b.lower[j], upper: b.upper[j])
                    out.append(z[j])
                } else if neuron.isRectifier {
                    let row = program.constraints.count
                    let (y, upper) = try addUnstableReLU(z: z[j], shift: 0, l: l, u: u, yBounds: (b.lower[j], b.upper[j]),
                                                         encoding: encoding, value: node.inputs[0], neuron: j, node: node.name)
                    out.append(y)
                    rectifiers[node.inputs[0], default: [:]][j] = UnstableRectifier(z: z[j], y: y, row: row, upperRow: upper)
                } else {
                    otherUnstableNeurons += 1
                    let y = newVariable(lower: b.lower[j], upper: b.upper[j])
                    var terms = [(y, 1.0), (z[j], -neuron.slope)]
                    for kink in neuron.kinks {
                        let (r, _) = try addUnstableReLU(z: z[j], shift: kink.point, l: l, u: u, yBounds: (0, .infinity),
                                                    encoding: encoding, value: node.inputs[0], neuron: j, node: node.name)
                        terms.append((r, -kink.weight))
                    }
                    addRow(terms, lower: neuron.constant - neuron.slack, upper: neuron.constant + neuron.slack)
                    if neuron.kinks.count > 1 { addHullRows(y: y, z: z[j], act, l: l, u: u) }
                    out.append(y)
                }
            }
        } else if let act = node.op as? any ElementwiseActivation {
            if encoding == .bigM { throw LPBoundsError.notPiecewiseLinear(node: node.name, kind: node.op.kind) }
            let z = columns[node.inputs[0]]!, pre = bounds[node.inputs[0]]!
            for j in 0..<b.lower.count {
                guard needed[j] else { out.append(-1); continue }
                let (l, u) = (pre.lower[j], pre.upper[j])
                let y = newVariable(lower: b.lower[j], upper: b.upper[j])
                var intervals = [(l, u)]
                if let other = alsoRelaxOn[node.inputs[0]], (other.lower[j], other.upper[j]) != (l, u) {
                    intervals.append((other.lower[j], other.upper[j]))
                }
                for (lo, hi) in intervals where lo.isFinite && hi.isFinite && lo <= hi {
                    let r = act.relaxations(lower: [lo], upper: [hi])
                    // Each line loosened by its rounding defect (Docs/soundness.md).
                    let defects = act.lineDefects(lower: [lo], upper: [hi], relaxation: r)
                    addRow([(y, 1), (z[j], -r.lowerSlope[0])], lower: r.lowerIntercept[0] - defects.lower[0], upper: .infinity)
                    addRow([(y, 1), (z[j], -r.upperSlope[0])], lower: -.infinity, upper: r.upperIntercept[0] + defects.upper[0])
                }
                out.append(y)
            }
        }
        columns[value] = out
    }

    /// With several breakpoints inside `[l, u]` the ReLUs' triangles together are looser than the convex
    /// hull of the graph; the hull's facets `y ≥ s·z + c` (lower segments) and `y ≤ s·z + c` (upper), each
    /// widened by its rounding defect, are valid on `[l, u]` and make the LP at least as tight as any
    /// linear relaxation bound propagation uses.
    private mutating func addHullRows(y: Int, z: Int, _ act: any PiecewiseLinearActivation, l: Double, u: Double) {
        guard l.isFinite && u.isFinite else { return }
        let hull = HullRelaxation(pieces: act.pieces, l: l, u: u, value: act.value)
        for lower in [true, false] {
            for s in hull.segmentSlopes(lower: lower) {
                let c = hull.intercept(lower: lower, slope: s).c
                let defect = HullRelaxation.defect(lowerLine: lower, s: s, c: c, points: hull.xs, value: act.value,
                                                   valueError: act.valueRoundingError)
                if lower {
                    addRow([(y, 1), (z, -s)], lower: c - defect, upper: .infinity)
                } else {
                    addRow([(y, 1), (z, -s)], lower: -.infinity, upper: c + defect)
                }
            }
        }
    }

    /// The variable of `r = relu(z − shift)` where `z` has bounds `l < shift < u`: `r ≥ 0`, `r ≥ z − shift`,
    /// and the triangle's upper line (LP; its row is returned) or the big-M rows with one binary (MILP). The shifted bounds
    /// `L = l − shift`, `U = u − shift` are widened by their rounding, so they stay sound.
    private mutating func addUnstableReLU(z: Int, shift: Double, l: Double, u: Double, yBounds: (Double, Double),
                                          encoding: ActivationEncoding, value: ValueID, neuron: Int,
                                          node: String) throws -> (y: Int, upperRow: Int?) {
        let unit = LineDefect.unit
        let lo = shift == 0 ? l : (l - shift) - 2 * unit * abs(l - shift)
        let hi = shift == 0 ? u : (u - shift) + 2 * unit * abs(u - shift)
        let y = newVariable(lower: max(0, yBounds.0), upper: min(yBounds.1, max(hi, 0)))
        addRow([(y, 1), (z, -1)], lower: -shift, upper: .infinity)  // y >= z - shift
        switch encoding {
        case .relaxation:
            guard lo.isFinite && hi.isFinite else { return (y, nil) }
            let slope = hi / (hi - lo)
            // y <= slope (z - shift - lo); a negligible slope leaves y <= hi, which the variable bound states.
            let defect = ReLU.defect(lowerLine: false, l: lo, u: hi, s: slope, c: -slope * lo)
            // With a shift, `lo + shift` and the product round once more than the line the defect checks.
            let rhs = shift == 0 ? -slope * lo : -slope * (lo + shift)
            let extra = shift == 0 ? 0 : 4 * unit * (abs(rhs) + abs(slope * lo))
            guard slope > 1e-9 else { return (y, nil) }
            addRow([(y, 1), (z, -slope)], lower: -.infinity, upper: rhs + defect + extra)
            return (y, program.constraints.count - 1)
        case .bigM:
            guard lo.isFinite && hi.isFinite else { throw LPBoundsError.unboundedNeuron(value: value, neuron: neuron, node: node) }
            let delta = newVariable(lower: 0, upper: 1, isInteger: true)
            binaryCount += 1
            let rhs = -lo - shift
            let extra = shift == 0 ? 0 : 2 * unit * abs(rhs)
            addRow([(y, 1), (z, -1), (delta, -lo)], lower: -.infinity, upper: rhs + extra)  // y <= z - shift - lo (1 - δ)
            addRow([(y, 1), (delta, -hi)], lower: -.infinity, upper: 0)                                  // y <= hi δ
        }
        return (y, nil)
    }

    /// The shared variable fixed at 0.
    private mutating func zero() -> Int {
        if let zeroVariable { return zeroVariable }
        let v = newVariable(lower: 0, upper: 0)
        zeroVariable = v
        return v
    }

    /// Appends `lower <= Σ terms <= upper`, merging repeated variables and dropping negligible
    /// coefficients (their largest contribution over the variable's bounds widens the row instead).
    mutating func addRow(_ terms: [(Int, Double)], lower: Double, upper: Double) {
        var touched = [Int]()
        touched.reserveCapacity(terms.count)
        for (variable, coefficient) in terms {
            if scratch[variable] == 0 { touched.append(variable) }
            scratch[variable] += coefficient
        }
        var row = [LinearProgram.Term]()
        row.reserveCapacity(touched.count)
        var slack = 0.0
        for variable in touched {
            let c = scratch[variable]
            scratch[variable] = 0
            if abs(c) >= Self.negligible {
                row.append(LinearProgram.Term(variable: variable, coefficient: c))
            } else if c != 0 {
                let v = program.variables[variable]
                slack += abs(c) * max(abs(v.lower), abs(v.upper))
            }
        }
        program.constraints.append(LinearProgram.Constraint(terms: row, lower: lower - slack, upper: upper + slack))
    }

    /// Neuron `neuron` of `value` as a linear expression in the program's variables: its variable, or,
    /// for a composed target, its Jacobian row over its inputs' variables.
    func expression(of value: ValueID, neuron: Int) -> (terms: [(Int, Double)], constant: Double) {
        if let own = columns[value] { return ([(own[neuron], 1)], 0) }
        let map = linearized.maps[value - 1]!
        let inputs = linearized.network.nodes[value - 1].inputs.map { columns[$0]! }
        let terms = map.entries(of: neuron).map { (inputs[map.slot[$0]][map.column[$0]], map.value[$0]) }
        return (terms, map.constant[neuron])
    }

    /// `Σ_j coefficients[j] · value[j] + constant` as one expression (repeated variables merged).
    func expression(of value: ValueID, coefficients: [Double], constant: Double) -> (terms: [(Int, Double)], constant: Double) {
        var merged = [Int: Double]()
        var total = constant
        for (j, c) in coefficients.enumerated() where c != 0 {
            let (terms, k) = expression(of: value, neuron: j)
            total += c * k
            for (variable, a) in terms { merged[variable, default: 0] += c * a }
        }
        return (merged.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }, total)
    }

    /// The input part (variables of value 0) of a solution.
    func inputPoint(_ values: [Double]) -> [Double] { columns[0]!.map { values[$0] } }
}

/// An unstable ReLU `y = max(0, z)` of a ``NetworkLP``: the variables of `z` and `y` and the index of
/// its row `y − z ≥ 0` (the row ``NetworkLP`` adds first for it).
struct UnstableRectifier {
    var z: Int
    var y: Int
    var row: Int
    /// The triangle's upper row `y ≤ s(z − l)`, when the relaxation has one.
    var upperRow: Int? = nil
}
