import Dispatch
import Foundation
import LP
import NNGraph

/// The two LPs of one neuron.
struct NeuronSolve: Sendable {
    var neuron: Int
    var lower = -Double.infinity
    var upper = Double.infinity
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
    /// Each program is built, solved and freed inside one call on one thread (GLPK's rule).
    func solveNeurons(_ lp: NetworkLP, value: ValueID, neurons: [Int], concurrency: Int, deadline: Date?) -> [NeuronSolve] {
        let program = lp.program
        let expressions = neurons.map { lp.expression(of: value, neuron: $0) }
        @Sendable func work(_ i: Int) -> NeuronSolve {
            var result = NeuronSolve(neuron: neurons[i])
            var p = program
            for sense in [LinearProgram.Sense.minimise, .maximise] {
                let left = secondsLeft(deadline)
                if let left, left <= 0 { break }
                p.setObjective(expressions[i].terms, constant: expressions[i].constant, sense: sense)
                do {
                    let solved = try p.solveForBound(timeLimit: left,
                                                     context: "LP bound of value \(value)[\(neurons[i])]")
                    result.solves += 1
                    if solved.status == .infeasible { result.infeasible = true; break }
                    if sense == .minimise { result.lower = solved.bound } else { result.upper = solved.bound }
                } catch {
                    result.solves += 1
                    result.failures += 1
                }
            }
            return result
        }
        let threads = max(1, min(concurrency, neurons.count))
        if threads == 1 { return neurons.indices.map(work) }
        var results = neurons.map { NeuronSolve(neuron: $0) }
        results.withUnsafeMutableBufferPointer { buffer in
            let slots = SharedSlots(base: buffer)
            DispatchQueue.concurrentPerform(iterations: threads) { worker in
                for i in stride(from: worker, to: neurons.count, by: threads) { slots.set(i, work(i)) }
            }
        }
        return results
    }
}
