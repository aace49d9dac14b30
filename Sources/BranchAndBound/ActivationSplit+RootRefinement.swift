import Bounds
import Foundation
import LinearAlgebra
import LPBounds
import NNGraph
import VNNLib

extension ActivationSplitBranchAndBound {
    /// The root's intermediate bounds tightened by LP (``BoundRefinement``, warm-started GLPK re-solves) on
    /// the unstable neurons that weigh most in the root's objective bound, as alpha-beta-CROWN refines the
    /// intermediate layers of deep networks before branching. The neurons are ranked by the same
    /// relaxation-gap score that picks the branch (``rankBranches(index:rows:openRows:result:bounds:candidate:count:)``,
    /// with the root's optimised α), at most ``ActivationSplitOptions/rootLPNeurons`` of them, within
    /// ``ActivationSplitOptions/rootLPShare`` of the time left, on networks with at most
    /// ``ActivationSplitOptions/domainLPNeuronLimit`` activation neurons.
    ///
    /// Sound because each LP bound holds on the whole box (``BoundRefinement`` proves it from GLPK's duals and
    /// intersects it with the bounds given), and every domain's bounds start from the root's.
    /// - Returns: nil when nothing was tightened (or refinement does not apply).
    func refinedRootBounds(_ root: Domain, objective: SpecObjective, box: IntervalMatrix, deadline: Date,
                           statistics: inout BranchAndBoundStatistics) -> [ValueID: IntervalMatrix]? {
        guard options.rootLPShare > 0, options.rootLPNeurons > 0 else { return nil }
        // The LP's rows are built outside any deadline: only for networks whose LP is small (as for the LP points).
        let size = network.nodes.filter { $0.op is any ElementwiseActivation }.reduce(0) { $0 + $1.op.outputSize }
        guard size <= options.domainLPNeuronLimit else { return nil }
        let until = Date().addingTimeInterval(max(0, deadline.timeIntervalSinceNow) * options.rootLPShare)
        let child = Child(splits: [:], offsetSplits: [], bounds: root.bounds, parameters: root.parameters, open: root.open, newSplit: nil)
        var ranking = BoundOptimisation()
        ranking.iterations = 1
        let pass = objectivePass([child], bounds: root.bounds, input: box, objective: objective, optimisation: ranking)
        let openRows = root.open.flatMap { objective.rowsOfDisjunct[$0].compactMap { pass.position[$0] } }
        let centre = (0..<box.cols).map { 0.5 * (box.lower.data[$0] + box.upper.data[$0]) }  // smooth neurons' scores evaluate here
        let ranked = rankBranches(index: 0, rows: pass.activeRows.count, openRows: openRows, result: pass.result,
                                  bounds: root.bounds, candidate: centre, count: options.rootLPNeurons)
        var neurons = [ValueID: Set<Int>]()
        for branch in ranked where branch.point == 0 && root.bounds[branch.value] != nil { neurons[branch.value, default: []].insert(branch.neuron) }
        guard !neurons.isEmpty, let refinement = try? BoundRefinement(network: network) else { return nil }
        var settings = BoundRefinementOptions(concurrency: max(1, options.workers), warmStart: options.rootLPWarmStart)
        settings.neurons = neurons
        let started = Date(), cpuStarted = Self.processCPUSeconds()
        let outcome = try? refinement.refine(box: InputBox(lower: box.lower.data, upper: box.upper.data), bounds: root.bounds,
                                             options: settings, deadline: until,
                                             inputConstraints: options.lagrangianCouplings ? objective.specCase.inputConstraints : [])
        if let outcome {
            // Process CPU time as well as wall time: on a shared machine only the former measures the LPs.
            let seconds = Date().timeIntervalSince(started)
            let cpu = Self.processCPUSeconds() - cpuStarted
            statistics.notes["root LP refinement"] = "\(outcome.neurons.count) of \(ranked.count) neurons, \(outcome.solves) LPs "
                + "(\(outcome.failures) failed) in \(String(format: "%.2f", seconds)) s wall, \(String(format: "%.2f", cpu)) s CPU, "
                + "\(String(format: "%.1f", Double(outcome.solves) / max(cpu, 1e-9))) LPs per CPU second (building the programs included)"
        }
        guard let refined = outcome, !refined.isEmpty, !refined.neurons.isEmpty else { return nil }
        // Keep the values the root had, each intersected with the root's own (never looser).
        var out = root.bounds
        for (value, b) in root.bounds {
            guard let r = refined.bounds[value] else { continue }
            var t = b
            for j in 0..<b.cols {
                t.lower.data[j] = max(b.lower.data[j], r.lower.data[j])
                t.upper.data[j] = min(b.upper.data[j], r.upper.data[j])
            }
            out[value] = t
        }
        return out
    }

    /// CPU time used by this process so far (all threads), in seconds.
    static func processCPUSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
        return Double(t.tv_sec) + 1e-9 * Double(t.tv_nsec)
    }
}
