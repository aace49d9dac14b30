import Bounds
import Foundation
import LinearAlgebra
import LPBounds
import NNGraph
import VNNLib

extension ActivationSplitBranchAndBound {
    /// The root's intermediate bounds tightened by MILP (``ActivationSplitOptions/rootMILPShare``: every unstable
    /// neuron, value by value, by ``BoundRefinement`` with ``BoundRefinementOptions/phaseNodes``), or by LP
    /// (``BoundRefinement``, warm-started GLPK re-solves) on
    /// the unstable neurons that weigh most in the root's objective bound, as alpha-beta-CROWN refines the
    /// intermediate layers of deep networks before branching. The neurons are ranked by the same
    /// relaxation-gap score that picks the branch (``rankBranches(index:rows:openRows:result:bounds:candidate:count:)``,
    /// with the root's optimised α), at most ``ActivationSplitOptions/rootLPNeurons`` of them, within
    /// ``ActivationSplitOptions/rootLPShare`` of the time left, on networks with at most
    /// ``ActivationSplitOptions/domainLPNeuronLimit`` activation neurons.
    ///
    /// Sound because each LP bound holds on the whole box (``BoundRefinement`` proves it from GLPK's duals and
    /// intersects it with the bounds given), and every domain's bounds start from the root's.
    ///
    /// With ``ActivationSplitOptions/rootRefinementCheck``, the root is bounded again (``ActivationSplitOptions/rootOptimisation``)
    /// after each value the refinement tightens, and the refinement ends as soon as that bound refutes the root:
    /// later values and passes could only tighten bounds that already decide the case.
    /// - Returns: nil when nothing was tightened (or refinement does not apply); else the refined bounds, and the
    ///   root's results when a check refuted it (nil otherwise: the caller bounds the root again).
    func refinedRootBounds(_ root: Domain, objective: SpecObjective, box: IntervalMatrix, deadline: Date,
                           statistics: inout BranchAndBoundStatistics) -> (bounds: [ValueID: IntervalMatrix], refuted: [ChildResult]?)? {
        let milp = options.rootMILPShare > 0 && options.rootMILPNodes > 0
        guard milp || (options.rootLPShare > 0 && options.rootLPNeurons > 0) else { return nil }
        // The LP's rows are built outside any deadline: only for networks whose LP is small (as for the LP points).
        let size = network.nodes.filter { $0.op is any ElementwiseActivation }.reduce(0) { $0 + $1.op.outputSize }
        guard size <= options.domainLPNeuronLimit else { return nil }
        let share = milp ? options.rootMILPShare : options.rootLPShare
        let until = Date().addingTimeInterval(max(0, deadline.timeIntervalSinceNow) * share)
        var settings = BoundRefinementOptions(concurrency: max(1, options.workers), warmStart: options.rootLPWarmStart)
        let alpha = options.rootRefinementAlpha && options.optimiseRootIntermediates
        if alpha { settings.alphaPropagation = options.intermediateOptimisation }
        if milp {
            settings.phaseNodes = options.rootMILPNodes
            settings.phaseDualBranching = options.rootMILPDualBranching
            settings.phaseParentBasis = options.rootMILPParentBasis
            settings.phaseSideBasis = options.rootMILPSideBasis
        } else {
            guard let neurons = rootNeuronsToRefine(root, objective: objective, box: box) else { return nil }
            settings.neurons = neurons
        }
        guard let refinement = try? BoundRefinement(network: network) else { return nil }
        let started = Date(), cpuStarted = Self.processCPUSeconds()
        let inputBox = InputBox(lower: box.lower.data, upper: box.upper.data)
        let constraints = options.lagrangianCouplings ? objective.specCase.inputConstraints : []
        // The check's bound: the root's, from the bounds so far (each intersected with the root's), as the caller
        // bounds it after the refinement.
        var refuted: [ChildResult]?
        var checks = 0, checkSeconds = 0.0
        let check: (([ValueID: IntervalMatrix]) -> Bool)? = !options.rootRefinementCheck ? nil : { bounds in
            guard Date() < deadline else { return false }
            let began = Date()
            defer { checks += 1; checkSeconds += Date().timeIntervalSince(began) }
            let child = Child(splits: [:], offsetSplits: [], bounds: Self.intersected(root.bounds, with: bounds),
                              parameters: root.parameters, open: root.open, newSplit: nil, box: root.box)
            let results = self.bound([child], objective: objective, box: box, optimisation: self.options.rootOptimisation,
                                     deadline: deadline)
            guard case .refuted? = results.first else { return false }
            refuted = results
            return true
        }
        var outcome = try? refinement.refine(box: inputBox, bounds: root.bounds, options: settings, deadline: until,
                                             inputConstraints: constraints, stop: check)
        // MILP: while the share lasts, search again from the bounds so far with four times the nodes (each pass
        // starts from tighter bounds; its bounds hold on the box, as the first pass's do), until a pass tightens
        // nothing or the searches are as large as 2¹⁶ nodes.
        var passes = 1
        while milp, let last = outcome, !last.isEmpty, !last.stoppedByDeadline, !last.stoppedByCaller, Date() < until,
              settings.phaseNodes < 1 << 16 {
            settings.phaseNodes *= 4
            guard let next = try? refinement.refine(box: inputBox, bounds: last.bounds, options: settings, deadline: until,
                                                    inputConstraints: constraints, stop: check), !next.isEmpty else { break }
            let tightened = next.bounds.contains { v, b in
                guard let a = last.bounds[v] else { return false }
                return zip(b.lower.data, a.lower.data).contains { $0 > $1 } || zip(b.upper.data, a.upper.data).contains { $0 < $1 }
            }
            passes += 1
            var merged = next
            merged.neurons = last.neurons + next.neurons
            merged.solves += last.solves
            merged.failures += last.failures
            outcome = merged
            if next.stoppedByCaller { break }
            if !tightened { break }
        }
        if let outcome {
            // Process CPU time as well as wall time: on a shared machine only the former measures the LPs.
            let seconds = Date().timeIntervalSince(started)
            let cpu = Self.processCPUSeconds() - cpuStarted
            statistics.notes[milp ? "root MILP refinement" : "root LP refinement"] = (milp ? "\(passes) pass\(passes == 1 ? "" : "es"), " : "") + "\(outcome.neurons.count) neurons, \(outcome.solves) LPs "
                + "(\(outcome.failures) failed) in \(String(format: "%.2f", seconds)) s wall, \(String(format: "%.2f", cpu)) s CPU, "
                + "\(String(format: "%.1f", Double(outcome.solves) / max(cpu, 1e-9))) LPs per CPU second (building the programs included)"
            if checks > 0 {
                statistics.notes["root refinement checks"] = "\(checks) in \(String(format: "%.2f", checkSeconds)) s"
                    + (refuted != nil ? ", the last refuted the root" : "")
            }
        }
        guard let refined = outcome, !refined.isEmpty, !refined.neurons.isEmpty else { return nil }
        // Keep the values the root had, each intersected with the root's own (never looser).
        var out = Self.intersected(root.bounds, with: refined.bounds)
        if alpha, refuted == nil, let last = refined.neurons.last?.value {
            out = reoptimised(out, after: last, box: box, deadline: deadline)
        }
        func unstable(_ bounds: [ValueID: IntervalMatrix]) -> String {
            bounds.keys.sorted().compactMap { v in
                guard v > 0, let b = bounds[v] else { return nil }
                return String((0..<b.cols).filter { b.lower.data[$0] < 0 && b.upper.data[$0] > 0 }.count)
            }.joined(separator: " ")
        }
        statistics.notes["unstable neurons per value before and after refinement"] = "\(unstable(root.bounds)) -> \(unstable(out))"
        return (out, refuted)
    }

    /// `bounds` with the values after `after` re-optimised by alpha-CROWN from them (the values up to `after` as
    /// given), each intersected with its bound in `bounds`. The refinement propagates by alpha-CROWN after each
    /// value it finishes; the values after the one the deadline stopped in have not seen that value's tightened
    /// bounds (and on a deep network the last values' root bounds leave every neuron unstable).
    ///
    /// Sound: alpha-CROWN's bounds hold for any slopes, from sound bounds of the earlier values on the box.
    private func reoptimised(_ bounds: [ValueID: IntervalMatrix], after: ValueID, box: IntervalMatrix,
                             deadline: Date) -> [ValueID: IntervalMatrix] {
        var settings = options.intermediateOptimisation
        settings.deadline = min(settings.deadline ?? deadline, deadline)
        let again = crown.optimisedIntermediateBounds(input: box, known: bounds, options: settings, after: after)
        return Self.intersected(bounds, with: again)
    }

    /// Each value of `bounds` intersected with its bound in `other` where it has one (values only in `other` are
    /// left out): the intersection of two sound bounds is sound, and never looser than `bounds`.
    static func intersected(_ bounds: [ValueID: IntervalMatrix], with other: [ValueID: IntervalMatrix]) -> [ValueID: IntervalMatrix] {
        var out = bounds
        for (value, b) in bounds {
            guard let r = other[value] else { continue }
            var t = b
            for j in 0..<b.cols {
                t.lower.data[j] = max(b.lower.data[j], r.lower.data[j])
                t.upper.data[j] = min(b.upper.data[j], r.upper.data[j])
            }
            out[value] = t
        }
        return out
    }

    /// The unstable neurons the LP refinement takes: the ``ActivationSplitOptions/rootLPNeurons`` best by the
    /// branching score under the root's optimised α; nil when there are none.
    private func rootNeuronsToRefine(_ root: Domain, objective: SpecObjective, box: IntervalMatrix) -> [ValueID: Set<Int>]? {
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
        return neurons.isEmpty ? nil : neurons
    }

    /// CPU time used by this process so far (all threads), in seconds.
    static func processCPUSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
        return Double(t.tv_sec) + 1e-9 * Double(t.tv_nsec)
    }
}
