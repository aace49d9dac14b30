import Dispatch
import Foundation
import LP
import NNGraph

/// The two LPs of one neuron.
struct NeuronSolve: Sendable {
    var neuron: Int
    var lower = -Double.infinity
    var upper = Double.infinity
    /// LPs solved, failed ones included (with a phase search, every node it solved).
    var solves = 0
    var failures = 0
    /// An LP was (confirmed) infeasible: the region is empty.
    var infeasible = false
}

/// Disjoint slots of one result array written by several threads (each index by one thread only).
private struct SharedSlots<Element>: @unchecked Sendable {
    let base: UnsafeMutableBufferPointer<Element>
    func set(_ i: Int, _ value: Element) { base[i] = value }
}

extension BoundRefinement {
    /// Minimises and maximises each neuron of `value` over `lp`, on up to `concurrency` threads.
    /// Each GLPK problem is created, solved and freed on one thread (GLPK's rule).
    /// `warmStart`: one problem per thread, loaded once, only the objective changing between solves
    /// (``LPSession``); off: a fresh problem per LP, solved by the dual simplex from scratch (as before
    /// issue 16; for ablation). A program GLPK rejects makes every LP count as failed.
    func solveNeurons(_ lp: NetworkLP, value: ValueID, neurons: [Int], concurrency: Int, warmStart: Bool,
                      phaseNodes: Int = 0, phaseDualBranching: Bool = true, phaseParentBasis: Bool = true,
                      phaseSideBasis: Bool = true, deadline: Date?) -> [NeuronSolve] {
        let program = lp.program
        let expressions = neurons.map { lp.expression(of: value, neuron: $0) }
        let phased = phaseNodes > 0 && lp.otherUnstableNeurons == 0
        // Where every node reading the value is piecewise linear with its only breakpoint at 0, a bound past 0 makes the
        // neuron stable, and a tighter one changes no relaxation: each side's search may stop there.
        let readers = lp.linearized.network.nodes.filter { $0.inputs.contains(value) }
        let enough: Double? = readers.allSatisfy({ ($0.op as? any PiecewiseLinearActivation)?.pieces.breakpoints == [0] }) ? 0 : nil
        @Sendable func work(_ indices: [Int], _ store: (Int, NeuronSolve) -> Void) {
            if phased, var search = try? PhaseSearch(lp) {
                var sideBases: [SimplexBasis?] = [nil, nil]  // the last minimum's root basis, the last maximum's
                for i in indices { store(i, searchPhases(i, &search, &sideBases)) }
                return
            }
            let session = warmStart ? try? LPSession(program) : nil
            for i in indices { store(i, solve(i, session)) }
        }
        /// Both sides by ``PhaseSearch``: the maximum is minus the minimum of the negated objective (exact).
        /// A side stops once its bound shows the neuron stable (`enough`: the lower bound above 0, the upper below).
        /// With `phaseSideBasis`, each side's root starts from the root basis of the same side of the neuron searched
        /// before: the maximum's root would otherwise start where the same neuron's minimum ended, the far side of
        /// the polytope (half the first LP's pivots on mnistfc's 256x6 network; only the simplex's path changes).
        @Sendable func searchPhases(_ i: Int, _ search: inout PhaseSearch, _ sideBases: inout [SimplexBasis?]) -> NeuronSolve {
            var result = NeuronSolve(neuron: neurons[i])
            let (terms, constant) = expressions[i]
            for (side, sign) in [1.0, -1.0].enumerated() {
                if let deadline, Date() >= deadline { break }
                guard let outcome = try? search.minimum(of: terms.map { ($0.0, sign * $0.1) }, constant: sign * constant,
                                                        nodeLimit: phaseNodes, enough: enough,
                                                        dualBranching: phaseDualBranching, parentBasis: phaseParentBasis,
                                                        startBasis: phaseSideBasis ? sideBases[side] : nil, deadline: deadline)
                else { result.solves += 1; result.failures += 1; continue }
                result.solves += max(1, outcome.nodes)
                if let basis = outcome.rootBasis { sideBases[side] = basis }
                if outcome.empty { result.infeasible = true; break }
                if sign > 0 { result.lower = outcome.bound } else { result.upper = -outcome.bound }
            }
            return result
        }
        @Sendable func solve(_ i: Int, _ shared: LPSession?) -> NeuronSolve {
            var result = NeuronSolve(neuron: neurons[i])
            for sense in [LinearProgram.Sense.minimise, .maximise] {
                let left = secondsLeft(deadline)
                if let left, left <= 0 { break }
                result.solves += 1
                guard let session = shared ?? (warmStart ? nil : try? LPSession(program, warmStart: false)),
                      let proven = try? session.solveForProvenBound(objective: expressions[i].terms, constant: expressions[i].constant,
                                                                    sense: sense, timeLimitSeconds: left)
                else { result.failures += 1; continue }
                let solved = SolvedBound(proven, sense: sense)
                if solved.status == .infeasible { result.infeasible = true; break }
                if sense == .minimise { result.lower = solved.bound } else { result.upper = solved.bound }
            }
            return result
        }
        let threads = max(1, min(concurrency, neurons.count))
        var results = neurons.map { NeuronSolve(neuron: $0) }
        results.withUnsafeMutableBufferPointer { buffer in
            let slots = SharedSlots(base: buffer)
            if threads == 1 { work(Array(neurons.indices), slots.set); return }
            DispatchQueue.concurrentPerform(iterations: threads) { worker in
                work(Array(stride(from: worker, to: neurons.count, by: threads)), slots.set)
            }
        }
        return results
    }
}
