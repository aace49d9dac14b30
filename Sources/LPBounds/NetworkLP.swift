import Bounds
import LP
import NNGraph
import VNNLib

/// How activations enter a program built by ``NetworkLP``.
enum ActivationEncoding {
    /// LP relaxation: unstable ReLU → triangle (`y ≥ 0`, `y ≥ z`, `y ≤ u(z − l)/(u − l)`); other
    /// activations → their two relaxation lines (``ElementwiseActivation/relaxation(lower:upper:)``).
    case relaxation
    /// Exact MILP: unstable ReLU → big-M with one binary `δ` (`y ≥ 0`, `y ≥ z`, `y ≤ z − l(1 − δ)`,
    /// `y ≤ uδ`); any other activation is an error.
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
    init(_ linearized: LinearizedNetwork, box: InputBox, known: [ValueID: ValueBounds], splits: SplitTable,
         encoding: ActivationEncoding, targets: [ValueID], composeTargets: Bool = true,
         alsoRelaxOn: [ValueID: ValueBounds] = [:]) throws {
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
    }

    /// Which neurons the program must contain: every neuron of the roots and of the input, every
    /// split neuron, and, backwards, whatever a needed neuron reads. A stable inactive ReLU output is
    /// the constant 0 and reads nothing, so e.g. the inputs of a layer's inactive ReLUs get no rows.
    private func neededNeurons(_ order: [ValueID], roots: [ValueID], splits: SplitTable) -> [ValueID: [Bool]] {
        let network = linearized.network
        var needed = [ValueID: [Bool]]()
        for v in order { needed[v] = [Bool](repeating: v == 0, count: network.size(of: v)) }
        for r in roots { needed[r] = [Bool](repeating: true, count: network.size(of: r)) }
        for (v, sides) in splits.sides where needed[v] != nil { for j in sides.keys { needed[v]![j] = true } }
        for v in order.reversed() where v > 0 {
            let node = network.nodes[v - 1], own = needed[v]!
            guard own.contains(true) else { continue }
            if let map = linearized.maps[v - 1] {
                for j in own.indices where own[j] {
                    for e in map.entries(of: j) { needed[node.inputs[map.slot[e]]]![map.column[e]] = true }
                }
            } else {
                let z = node.inputs[0], pre = bounds[z]!, isReLU = node.op is ReLU
                for j in own.indices where own[j] && !(isReLU && pre.upper[j] <= 0) { needed[z]![j] = true }
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
        for (j, side) in splits.sides[value] ?? [:] {
            // Sound bounds with u < 0 (l > 0) prove the region has no point with z >= 0 (z <= 0).
            if side.active && b.upper[j] < 0 { return false }
            if side.inactive && b.lower[j] > 0 { return false }
            if side.active { b.lower[j] = max(b.lower[j], 0) }
            if side.inactive { b.upper[j] = min(b.upper[j], 0) }
        }
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
        } else if let act = node.op as? any ElementwiseActivation {
            let z = columns[node.inputs[0]]!, pre = bounds[node.inputs[0]]!
            let isReLU = act is ReLU
            if !isReLU && encoding == .bigM { throw LPBoundsError.notPiecewiseLinear(node: node.name, kind: node.op.kind) }
            for j in 0..<b.lower.count {
                guard needed[j] else { out.append(-1); continue }
                let (l, u) = (pre.lower[j], pre.upper[j])
                // (Stable inactive first: `neededNeurons` leaves z unmaterialised exactly when u <= 0.)
                if isReLU && u <= 0 {
                    out.append(zero())
                } else if isReLU && l >= 0 {
                    narrow(z[j], lower: b.lower[j], upper: b.upper[j])
                    out.append(z[j])
                } else if isReLU {
                    out.append(try addUnstableReLU(z: z[j], l: l, u: u, yBounds: (b.lower[j], b.upper[j]),
                                                   encoding: encoding, value: node.inputs[0], neuron: j, node: node.name))
                } else {
                    let y = newVariable(lower: b.lower[j], upper: b.upper[j])
                    var intervals = [(l, u)]
                    if let other = alsoRelaxOn[node.inputs[0]], (other.lower[j], other.upper[j]) != (l, u) {
                        intervals.append((other.lower[j], other.upper[j]))
                    }
                    for (lo, hi) in intervals where lo.isFinite && hi.isFinite && lo <= hi {
                        let r = act.relaxation(lower: lo, upper: hi)
                        // Each line loosened by its rounding defect (Docs/soundness.md).
                        let below = RoundingError.lineDefect(isReLU: false, lowerLine: true, l: lo, u: hi,
                                                             s: r.lowerSlope, c: r.lowerIntercept)
                        let above = RoundingError.lineDefect(isReLU: false, lowerLine: false, l: lo, u: hi,
                                                             s: r.upperSlope, c: r.upperIntercept)
                        addRow([(y, 1), (z[j], -r.lowerSlope)], lower: r.lowerIntercept - below, upper: .infinity)
                        addRow([(y, 1), (z[j], -r.upperSlope)], lower: -.infinity, upper: r.upperIntercept + above)
                    }
                    out.append(y)
                }
            }
        }
        columns[value] = out
    }

    /// The output variable of a ReLU whose input `z` has bounds `l < 0 < u`.
    private mutating func addUnstableReLU(z: Int, l: Double, u: Double, yBounds: (Double, Double),
                                          encoding: ActivationEncoding, value: ValueID, neuron: Int,
                                          node: String) throws -> Int {
        let y = newVariable(lower: max(0, yBounds.0), upper: yBounds.1)
        addRow([(y, 1), (z, -1)], lower: 0, upper: .infinity)  // y >= z
        switch encoding {
        case .relaxation:
            guard l.isFinite && u.isFinite else { return y }
            let slope = u / (u - l)
            // y <= slope (z - l); a negligible slope leaves y <= u, which the variable bound states.
            let defect = RoundingError.lineDefect(isReLU: true, lowerLine: false, l: l, u: u, s: slope, c: -slope * l)
            if slope > 1e-9 { addRow([(y, 1), (z, -slope)], lower: -.infinity, upper: -slope * l + defect) }
        case .bigM:
            guard l.isFinite && u.isFinite else { throw LPBoundsError.unboundedNeuron(value: value, neuron: neuron, node: node) }
            let delta = newVariable(lower: 0, upper: 1, isInteger: true)
            binaryCount += 1
            addRow([(y, 1), (z, -1), (delta, -l)], lower: -.infinity, upper: -l)  // y <= z - l (1 - δ)
            addRow([(y, 1), (delta, -u)], lower: -.infinity, upper: 0)            // y <= u δ
        }
        return y
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
