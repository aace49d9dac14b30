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
        // Depth first, the first child solved is the one just pushed, from its parent's basis; with `parentBasis` the
        // second, solved after the first's subtree, starts from the parent's basis again rather than the last leaf's.
        var stack: [(splits: [NeuronSplit], basis: SimplexBasis?)] = [([], nil)]
        while let (splits, basis) = stack.popLast() {
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
            if let basis { session.restoreBasis(basis) }
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
            guard let (value, neuron, active) = lp.rectifierToSplit(splits: splits, point: solved.point,
                                                           dual: dualBranching ? session.rowDual : nil) else {
                result.outcome = .unfinished("a linear region with \(splits.count) fixed phases has a proven bound "
                                             + "\(solved.bound) <= 0, and its point does not violate the property")
                return result
            }
            let basis = parentBasis ? session.basis() : nil
            for side in [!active, active] {  // pushed last, popped first
                stack.append((splits + [NeuronSplit(value: value, neuron: neuron, active: side, point: 0)], basis))
            }
            result.largestStack = max(result.largestStack, stack.count)
        }
        return result
    }
}
