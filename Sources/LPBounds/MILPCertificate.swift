import Bounds
import Foundation
import LinearAlgebra
import LP
import NNGraph
import VNNLib

/// The result of certifying one disjunct with ``MILPCertificate``.
public struct MILPCertification: Sendable, Equatable {
    /// How the search ended.
    public enum Outcome: Sendable, Equatable {
        /// Every node was closed by a proven LP bound: no input of the box satisfies all rows.
        case proven
        /// A node's LP point, evaluated concretely, satisfies every row: a counterexample.
        case counterexample([Double])
        /// Not proven, and why (deadline, node limit, or a region whose LP cannot be closed).
        case unfinished(String)
    }

    /// How the search ended.
    public var outcome: Outcome
    /// LPs solved (nodes bounded), the root included.
    public var nodes: Int = 0
    /// The most ReLU phases fixed at one node.
    public var depth: Int = 0
    /// The most nodes waiting on the depth-first stack at once.
    public var largestStack: Int = 0
}

/// Proves `min over the box of max_k (c_k·y + d_k) > 0` rigorously, by a depth-first
/// branch-and-bound over the phases of piecewise-linear neurons (ReLU: active/inactive) in which every
/// node is bounded by a proven LP bound.
///
/// A node is a set of fixed phases (``NeuronSplit``s). Its program is ``NetworkLP`` with the triangle
/// relaxation on the sound intermediate bounds (the MILP's, optionally tightened per node by CROWN
/// with the node's phases fixed) and the fixed phases encoded exactly; its feasible set contains
/// every (input, values) pair of the node's region. The node's LP minimises `t ≥ c_k·y + d_k` and is
/// bounded by ``LinearProgram/solveForProvenBound(timeLimitSeconds:)`` (weak duality from GLPK's
/// duals with rounding error subtracted; infeasibility only when certified). A node is closed when that
/// bound is `> 0` or its region is proven empty; otherwise it is split on an unstable, unfixed ReLU —
/// the one whose LP point lies farthest above the ReLU graph (`y − max(0, z)`; searching by bound changes,
/// weighted by the dual of the ReLU's triangle upper row), else the one with the
/// largest triangle height `u·(−l)/(u − l)` — into `z ≥ 0` and `z ≤ 0`, which cover it. The child on
/// the LP point's side is explored first.
///
/// Complete: with every unstable ReLU fixed the program is exact on its linear region, so a node
/// that cannot be closed then has a proven bound `<= 0`. Its LP point is checked concretely: a
/// counterexample, or else (an optimum at the boundary 0, or rounding) the search stops unfinished.
/// Nothing GLPK reports is trusted except through the proven bounds.
struct MILPCertificate {
    let linearized: LinearizedNetwork
    /// Per-node intermediate bounds by CROWN (nil: the root's bounds, clamped by the phases, everywhere).
    let crown: CROWN?
    /// Stop (unfinished) after this many nodes.
    let maxNodes: Int
    /// Asked before every node: a reason ends the search unfinished (``MILPVerifier/Options/stop``).
    var stop: (@Sendable () -> String?)? = nil
    /// Search by bound changes on one loaded program where possible (``certifyByBoundChanges(_:box:bounds:deadline:inputConstraints:)``).
    var boundChanges = false
    /// In that search, the distance of a ReLU's LP point from its graph is weighted by its triangle row's dual
    /// (``NetworkLP/rectifierOffGraph(splits:point:dual:)``).
    var dualBranching = true
    /// In that search, each node's dual simplex starts from its parent's optimal basis (``BoundChangeSession/restoreBasis(_:)``).
    var parentBasis = true

    private struct Node {
        var splits: [NeuronSplit]
        /// Sound bounds on the node's region (one row each).
        var bounds: [ValueID: IntervalMatrix]
        /// The value split last: bounds of values up to it need no recomputation (nil: none to recompute).
        var newSplit: ValueID?
    }

    init(linearized: LinearizedNetwork, tightenNodes: Bool, maxNodes: Int) {
        self.linearized = linearized
        crown = tightenNodes ? CROWN(network: linearized.network, tryRelaxationVariants: false) : nil
        self.maxNodes = maxNodes
    }

    /// Certifies that no input of `box` satisfies every row of `rows` (one disjunct), given sound intermediate bounds on the box (row 0 of each), before `deadline`.
    /// - Throws: ``LPBoundsError`` for rows or bounds that do not fit the network, or a solver failure.
    /// `inputConstraints` (linear constraints over the inputs) are rows of every node's LP: the region
    /// is the box ∩ those constraints, and a node whose LP they make infeasible (certified) is closed.
    func certify(_ rows: [LinearConstraint], box: InputBox, bounds: [ValueID: IntervalMatrix],
                 deadline: Date?, inputConstraints: [LinearConstraint] = []) throws -> MILPCertification {
        let network = linearized.network
        let input = try box.validated(inputSize: network.inputSize).interval
        for (k, row) in rows.enumerated() where row.coefficients.count != network.outputSize {
            throw LPBoundsError.invalidObjective(row: k, expected: network.outputSize, got: row.coefficients.count)
        }
        // Every input satisfies an empty conjunction.
        if rows.isEmpty { return MILPCertification(outcome: .counterexample(box.lower)) }
        if boundChanges, let result = try certifyByBoundChanges(rows, box: box, bounds: bounds, deadline: deadline,
                                                                inputConstraints: inputConstraints) {
            return result
        }
        var result = MILPCertification(outcome: .proven)
        var stack = [Node(splits: [], bounds: bounds, newSplit: nil)]
        // Nodes' bounds hold on the region, as the LPs' rows restrict them to it.
        let crown = self.crown?.coupled(with: InputCouplings(inputConstraints, box: box))
        while var node = stack.popLast() {
            if let why = interruption(after: result.nodes, deadline: deadline) {
                result.outcome = .unfinished(why)
                return result
            }
            if let crown, let v = node.newSplit {
                let tightened = crown.intermediateBounds(input: input, known: node.bounds, reuseThrough: v)
                for (value, b) in tightened { node.bounds[value] = b }
            }
            result.nodes += 1
            result.depth = max(result.depth, node.splits.count)
            var lp = try NetworkLP(linearized, box: box, known: selectRow(node.bounds, row: 0, network: network),
                                   splits: SplitTable(node.splits, network: network), encoding: .relaxation,
                                   targets: [network.output], inputConstraints: inputConstraints)
            if lp.isEmpty { continue }  // the phases contradict sound bounds: no input reaches this node
            let t = lp.addMaximumVariable(rows)
            lp.program.setObjective([(t, 1)], constant: 0, sense: .minimise)
            // Only "is the minimum above 0?" closes the node: the dual simplex may stop once it is.
            let solved = try lp.program.solveForBound(timeLimit: secondsLeft(deadline),
                                                      context: "certification LP at depth \(node.splits.count)", cutoff: 0)
            if solved.status == .infeasible || solved.bound > 0 { continue }
            if solved.status == .timeLimit {
                result.outcome = .unfinished("deadline")
                return result
            }
            let point = solved.point
            if let values = point {
                let x = RegionProjection.pulled(lp.inputPoint(values), box: box, constraints: inputConstraints)
                if inputConstraints.allSatisfy({ $0.holds(x) }), let y = try? network.evaluate(x),
                   rows.allSatisfy({ $0.residual(y) <= 0 }) {
                    result.outcome = .counterexample(x)
                    return result
                }
            }
            guard let (value, neuron, splitPoint, activeFirst) = branch(lp, point: point) else {
                let what = solved.status == .optimal
                    ? "LP optimum \(solved.value.map { "\($0)" } ?? "?") with proven bound \(solved.bound) <= 0"
                    : "an LP with no proven bound (\(solved.status))"
                result.outcome = .unfinished("a linear region with \(node.splits.count) fixed phases has \(what), "
                                             + "and its point does not violate the property (an optimum at the boundary 0?)")
                return result
            }
            var children = [Node]()
            for active in [!activeFirst, activeFirst] {  // pushed last, popped first
                var child = Node(splits: node.splits + [NeuronSplit(value: value, neuron: neuron, active: active, point: splitPoint)],
                                 bounds: node.bounds, newSplit: value)
                if var b = child.bounds[value] {
                    if active {
                        b.lower.data[neuron] = max(b.lower.data[neuron], splitPoint)
                    } else {
                        b.upper.data[neuron] = min(b.upper.data[neuron], splitPoint)
                    }
                    child.bounds[value] = b
                }
                children.append(child)
            }
            stack += children
            result.largestStack = max(result.largestStack, stack.count)
        }
        return result
    }

    /// Why the search must stop before its next node (deadline, ``stop``, node limit), or nil to go on.
    func interruption(after nodes: Int, deadline: Date?) -> String? {
        if let deadline, Date() >= deadline { return "deadline" }
        if let why = stop?() { return why }
        return nodes >= maxNodes ? "node limit \(maxNodes)" : nil
    }

    /// The neuron of `lp` to split (its input value and neuron), the breakpoint to split at, and whether
    /// the side `z ≥ point` holds the LP point; nil when every piecewise-linear neuron the program contains
    /// is linear on its interval or shares its input's variable. Preferred: the neuron whose LP point
    /// lies farthest from the activation's graph (`|y − f(z)|`), split at its breakpoint nearest `z`;
    /// else the largest triangle height `|w|·(t − l)(u − t)/(u − l)` over its inner breakpoints `t`.
    private func branch(_ lp: NetworkLP, point: [Double]?) -> (ValueID, Int, Double, Bool)? {
        let network = linearized.network
        var farthest: (gap: Double, value: ValueID, neuron: Int, point: Double, active: Bool)?
        var tallest: (height: Double, value: ValueID, neuron: Int, point: Double, active: Bool)?
        for (i, node) in network.nodes.enumerated() {
            guard let act = node.op as? any PiecewiseLinearActivation else { continue }
            let v = node.inputs[0]
            guard let zs = lp.columns[v], let ys = lp.columns[i + 1], let b = lp.bounds[v] else { continue }
            let pieces = act.pieces
            for j in zs.indices {
                let (l, u) = (b.lower[j], b.upper[j])
                guard zs[j] >= 0, ys[j] >= 0, ys[j] != zs[j] else { continue }
                let kinks = PiecewiseNeuron(pieces: pieces, l: l, u: u).kinks
                guard !kinks.isEmpty else { continue }
                let z = point?[zs[j]] ?? 0
                let nearest = kinks.min { abs($0.point - z) < abs($1.point - z) }!.point
                if let point {
                    let gap = abs(point[ys[j]] - act.value(z))
                    if gap > (farthest?.gap ?? 1e-9) { farthest = (gap, v, j, nearest, z >= nearest) }
                }
                for kink in kinks {
                    let t = kink.point
                    let height = l.isFinite && u.isFinite ? abs(kink.weight) * (t - l) * (u - t) / (u - l) : .infinity
                    if height > (tallest?.height ?? -1) { tallest = (height, v, j, t, z >= t) }
                }
            }
        }
        if let f = farthest { return (f.value, f.neuron, f.point, f.active) }
        return tallest.map { ($0.value, $0.neuron, $0.point, $0.active) }
    }
}
