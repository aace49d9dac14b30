import Foundation
import LP
import NNGraph

/// A bound on a linear objective over a network's triangle relaxation, tightened toward the optimum of
/// the exact mixed-integer program by a best-first branch-and-bound over the unstable ReLUs' phases: the
/// relaxation is loaded into GLPK once (``BoundChangeSession``), a node's fixed phases are bound changes
/// (``PhaseBounds``), and each node's dual simplex restarts from the previous basis. This is how
/// intermediate bounds get MILP-refined (as alpha-beta-CROWN refines them with Gurobi) with no MILP solver.
///
/// Sound for the reason ``MILPCertificate``'s search is: the triangle rows hold on the program's bounds,
/// which contain every node's region, and a fixed phase is exact on its side, so each node's program
/// contains its region and its proven bound (GLPK's duals, rounding subtracted) holds there; a split covers
/// its node's region by its two closed phases; so the least bound over the leaves — open nodes at their
/// parent's bound, settled ones at their own, infeasible (certified) ones left out — holds on the whole region.
struct PhaseSearch {
    let lp: NetworkLP
    private let session: BoundChangeSession
    private var phases: PhaseBounds

    /// The result of one search.
    struct Outcome {
        /// Proven lower bound of the objective (`+∞` when every node was certified infeasible).
        var bound: Double
        /// Nodes solved.
        var nodes = 0
        /// The root node's optimal basis (nil when the root was not solved to optimality): a start for the next
        /// search's root whose objective is alike (``minimum(of:constant:nodeLimit:enough:dualBranching:parentBasis:startBasis:deadline:)``).
        var rootBasis: SimplexBasis? = nil
        /// Every node was certified infeasible: the region is empty.
        var empty: Bool { bound == .infinity }
    }

    /// Loads `lp`; nil when it has an unstable piecewise-linear neuron other than a plain ReLU (whose
    /// phases bounds cannot fix).
    /// - Throws: `LPError` for a program GLPK cannot take.
    init?(_ lp: NetworkLP) throws {
        guard lp.otherUnstableNeurons == 0 else { return nil }
        self.lp = lp
        session = try BoundChangeSession(lp.program)
        phases = PhaseBounds(base: lp.program)
    }

    /// A proven lower bound of `Σ terms + constant` over the region, from at most `nodeLimit` node solves.
    /// The search stops early once its bound passes `enough` (a node whose bound passes it is not branched;
    /// below the root, its dual simplex stops at it), or at `deadline`. A solve that fails or runs out of time leaves its
    /// node at the parent's bound.
    /// - Throws: `LPError` for a GLPK failure or an objective GLPK cannot take.
    /// `dualBranching`: split the ReLU whose LP point lies farthest from its graph weighted by the dual of its
    /// triangle's upper row (an estimate of how much fixing its phase raises the bound); off: farthest alone.
    /// `parentBasis`: each node's dual simplex starts from its parent's optimal basis (about a quarter fewer pivots
    /// per node on mnistfc's 256x4 network); off: from the basis of the node solved last.
    /// `startBasis`: the root's dual simplex starts from this basis (taken from this search's session, e.g. the
    /// previous search's ``Outcome/rootBasis``); nil: from the basis of the node solved last.
    mutating func minimum(of terms: [(Int, Double)], constant: Double, nodeLimit: Int, enough: Double? = nil,
                          dualBranching: Bool = true, parentBasis: Bool = true, startBasis: SimplexBasis? = nil,
                          deadline: Date? = nil) throws -> Outcome {
        try session.setObjective(terms, constant: constant, sense: .minimise)
        // With `parentBasis` each open node keeps its parent's optimal basis: a child differs from the parent by
        // one phase (a bound change, after which that basis stays dual feasible), while the basis GLPK holds is the
        // last node's, whose phases may differ in many places. Only the simplex's path changes, not the bound.
        var open: [(bound: Double, splits: [NeuronSplit], basis: SimplexBasis?)] = [(-.infinity, [], startBasis)]
        var rootBasis: SimplexBasis?
        var settled = Double.infinity  // least bound of the leaves that need no further branching
        var nodes = 0
        while let k = open.indices.min(by: { open[$0].bound < open[$1].bound }) {
            let node = open[k]
            if node.bound >= settled { break }
            if let enough, node.bound > enough { break }
            if nodes >= nodeLimit { break }
            if let deadline, Date() >= deadline { break }
            open.remove(at: k)
            nodes += 1
            // Phases that contradict the program's (sound) bounds leave the node's region empty.
            guard try phases.apply(node.splits, lp.rectifiers, to: session) else { continue }
            if let basis = node.basis { session.restoreBasis(basis) }
            // The root is solved to its optimum, so the search is never looser than the LP relaxation alone.
            let solved = SolvedBound(try session.solveForProvenBound(timeLimitSeconds: secondsLeft(deadline),
                                                                     cutoff: nodes == 1 ? nil : enough), sense: .minimise)
            switch solved.status {
            case .infeasible:
                continue
            case .cutOff:
                settled = min(settled, max(solved.bound, node.bound))
                continue
            case .timeLimit, .unbounded, .unproven:
                open.append(node)  // no better bound proven here: it keeps its parent's
                return Outcome(bound: min(settled, open.map(\.bound).min()!), nodes: nodes, rootBasis: rootBasis)
            case .optimal:
                break
            }
            if nodes == 1 { rootBasis = session.basis() }  // the relaxation's optimum: no phase fixed
            let bound = max(solved.bound, node.bound)
            if let enough, bound > enough {
                settled = min(settled, bound)
                continue
            }
            // A point on every ReLU's graph is a point of the network: branching cannot raise this node's bound.
            guard let point = solved.point,
                  let (value, neuron, active) = lp.rectifierOffGraph(splits: node.splits, point: point, dual: dualBranching ? session.rowDual : nil) else {
                settled = min(settled, bound)
                continue
            }
            let basis = parentBasis ? session.basis() : nil
            for side in [active, !active] {
                open.append((bound, node.splits + [NeuronSplit(value: value, neuron: neuron, active: side, point: 0)], basis))
            }
        }
        return Outcome(bound: min(settled, open.map(\.bound).min() ?? .infinity), nodes: nodes, rootBasis: rootBasis)
    }
}
