import Bounds
import Foundation
import LinearAlgebra
import LP
import NNGraph
import VNNLib

/// Budget and behaviour of ``BoundRefinement``.
public struct BoundRefinementOptions: Sendable {
    /// At most this many neurons refined per value (nil: every candidate).
    public var maxNeuronsPerValue: Int?
    /// At most this many neurons refined in all (nil: no limit).
    public var maxNeurons: Int?
    /// The values to refine (nil: every value that feeds an activation). Values computed from the
    /// input by linear operators alone are skipped: LP and CROWN are both exact there.
    public var values: Set<ValueID>?
    /// Only these neurons of each value named here are refined (nil: every candidate); values not named
    /// are skipped when this is set.
    public var neurons: [ValueID: Set<Int>]?
    /// Re-run CROWN after each refined value, seeded with the bounds so far, so that later values
    /// start from the tightest bounds and fewer of their neurons remain candidates.
    public var propagateWithCROWN: Bool
    /// Threads solving neurons' LPs at once (each LP is created, solved and freed on one thread).
    public var concurrency: Int
    /// With ``propagateWithCROWN``: after each refined value, the later values' bounds are re-optimised by
    /// alpha-CROWN with these settings (``CROWN/optimisedIntermediateBounds(input:known:options:neuronLimit:after:)``)
    /// rather than recomputed by plain CROWN; nil: plain CROWN. On deep networks plain CROWN from refined early
    /// values leaves the last values as loose as they were, so every one of their neurons stays a candidate.
    public var alphaPropagation: BoundOptimisation?
    /// Keep each value's LP loaded in GLPK and re-solve it from the previous basis for each objective
    /// (``LPSession``); off: a fresh problem per LP (as before issue 16; for ablation).
    public var warmStart: Bool
    /// Each neuron's minimum and maximum are tightened toward the exact MILP's by a branch-and-bound over
    /// the unstable ReLUs' phases (``PhaseSearch``) of at most this many LP solves per side; 0: the LP
    /// relaxation's optimum alone. Programs with other unstable piecewise-linear neurons keep plain LPs.
    public var phaseNodes = 0
    /// With ``phaseNodes``: the phase search splits the ReLU farthest from its graph weighted by the dual of its
    /// triangle's upper row (``PhaseSearch``); off: the farthest alone (as before session 9 of issue 16).
    public var phaseDualBranching = true
    /// With ``phaseNodes``: each node of a phase search starts its dual simplex from its parent's optimal basis
    /// (``PhaseSearch``); off: from the basis of the node solved last (as before session 11 of issue 16).
    public var phaseParentBasis = true
    /// With ``phaseNodes``: each side's search starts its root from the root basis of the same side of the neuron
    /// searched before on that thread; off: from the basis of the node solved last (as before session 13 of issue 16).
    public var phaseSideBasis = true

    /// Options with the given budget; by default everything is refined, one LP at a time.
    public init(maxNeuronsPerValue: Int? = nil, maxNeurons: Int? = nil, values: Set<ValueID>? = nil,
                propagateWithCROWN: Bool = true, concurrency: Int = 1, warmStart: Bool = true) {
        self.warmStart = warmStart
        self.maxNeuronsPerValue = maxNeuronsPerValue
        self.maxNeurons = maxNeurons
        self.values = values
        self.propagateWithCROWN = propagateWithCROWN
        self.concurrency = concurrency
    }
}

/// The bounds of one neuron as its two LPs found them (before intersection with earlier bounds).
public struct NeuronRefinement: Sendable, Equatable {
    /// The value.
    public var value: ValueID
    /// The neuron within the value.
    public var neuron: Int
    /// Sound LP lower bound (minimum minus the safety margin); -infinity where none was proven.
    public var lower: Double
    /// Sound LP upper bound (maximum plus the safety margin); +infinity where none was proven.
    public var upper: Double
}

/// The outcome of ``BoundRefinement/refine(box:bounds:row:splits:options:deadline:)``.
public struct RefinedBounds: Sendable {
    /// Bounds of every value that feeds an activation (and every value given), one row each, each
    /// inside the bounds given. Meaningless when `isEmpty`.
    public var bounds: [ValueID: IntervalMatrix]
    /// True when the splits leave no input: an LP was infeasible, or a split contradicts the bounds.
    public var isEmpty: Bool
    /// Every neuron whose LPs were solved, in order.
    public var neurons: [NeuronRefinement]
    /// LPs solved (including failed ones).
    public var solves: Int
    /// LPs that GLPK failed on; their neurons keep their earlier bounds on that side.
    public var failures: Int
    /// True when the deadline stopped the refinement early.
    public var stoppedByDeadline: Bool
    /// True when the caller's check (`stop` of ``BoundRefinement/refine(box:bounds:row:splits:options:deadline:inputConstraints:stop:)``)
    /// ended the refinement after a value.
    public var stoppedByCaller = false
}

/// Tightens intermediate bounds with the LP relaxation of the network (triangle relaxation of ReLU,
/// two relaxation lines for other activations, linear operators exact), in the manner of the
/// "LP-all" bounds of Salman et al., "A Convex Relaxation Barrier to Tight Robustness Verification of
/// Neural Networks" (NeurIPS 2019): value by value in topological order, the most uncertain neurons
/// of the value get their minimum and maximum over the relaxation built from the bounds so far.
///
/// Soundness: the relaxation contains every (input, values) pair of the network on the box (with the
/// splits), so its minimum and maximum bound the neuron; each is widened by a safety margin for GLPK's
/// tolerances (`1e-6·(1 + |optimum|)`), and the result is intersected with the earlier bounds, so it is
/// never looser. Given the same earlier bounds, a ReLU neuron's LP bound is at least as tight as
/// CROWN's, whose linear lines lie inside the triangle.
///
/// Each value's LP is loaded into GLPK once and re-solved from the previous basis for each neuron's
/// minimum and maximum (``LPSession``); the target value itself is not a variable, its neuron is
/// optimised as the Jacobian row over the variables of the node's inputs.
public struct BoundRefinement: Sendable {
    /// The network with its linear maps in sparse form.
    public let linearized: LinearizedNetwork

    /// Prepares `network`.
    /// - Throws: ``LPBoundsError/unsupportedOperator(node:kind:)``.
    public init(network: Network) throws { linearized = try LinearizedNetwork(network: network) }

    /// Prepares an already linearized network.
    public init(linearized: LinearizedNetwork) { self.linearized = linearized }

    /// Refines `bounds` (row `row` of each batch, e.g. from ``CROWN/intermediateBounds(input:known:)``)
    /// on `box`, restricted by `splits`. Values without given bounds get CROWN bounds when
    /// `options.propagateWithCROWN`, else interval bounds.
    /// A split on a value computed after the refined one does not enter that value's LP (sound, looser).
    /// - Parameter deadline: no LP is started after it, and running LPs stop at it (keeping any bound proven).
    /// - Parameter inputConstraints: linear constraints over the inputs (``SpecCase/inputConstraints``): rows of
    ///   every LP and Lagrangian terms of the CROWN passes, so the bounds hold on `box` ∩ those constraints.
    /// - Parameter stop: called after each value that tightened anything, with the bounds so far (with
    ///   ``BoundRefinementOptions/propagateWithCROWN``, the later values already propagated from it); returning
    ///   true ends the refinement there (``RefinedBounds/stoppedByCaller``), e.g. once these bounds already decide
    ///   what the caller needs.
    /// - Throws: ``LPBoundsError`` for a box, bounds or splits that do not fit the network.
    public func refine(box: InputBox, bounds given: [ValueID: IntervalMatrix], row: Int = 0, splits: [NeuronSplit] = [],
                       options: BoundRefinementOptions = BoundRefinementOptions(), deadline: Date? = nil,
                       inputConstraints: [LinearConstraint] = [],
                       stop: (([ValueID: IntervalMatrix]) -> Bool)? = nil) throws -> RefinedBounds {
        let network = linearized.network
        let boxBounds = try box.validated(inputSize: network.inputSize)
        var current = try selectRow(given, row: row, network: network)
        let table = try SplitTable(splits, network: network)
        var result = RefinedBounds(bounds: [:], isEmpty: false, neurons: [], solves: 0, failures: 0, stoppedByDeadline: false)
        let crown = options.propagateWithCROWN
            ? CROWN(network: network).coupled(with: InputCouplings(inputConstraints, box: box)) : nil
        if let crown {
            current = propagate(crown, box: boxBounds, current)
        } else {
            let ibp = intervalBounds(network, input: boxBounds.interval)
            for node in network.nodes where node.op is any ElementwiseActivation && current[node.inputs[0]] == nil {
                let v = node.inputs[0]
                current[v] = ValueBounds(lower: ibp[v].lower.data, upper: ibp[v].upper.data).intersected(with: nil)
            }
        }
        guard applySplits(table, to: &current) else { return emptyResult(result) }
        let start = current

        let targets = refinableValues(options.values ?? options.neurons.map { Set($0.keys) })
        var remaining = options.maxNeurons ?? Int.max
        var changed = false
        var lastRefined: ValueID = 0
        for value in targets where remaining > 0 {
            if let deadline, Date() >= deadline { result.stoppedByDeadline = true; break }
            if changed, let crown {
                current = propagate(crown, box: boxBounds, current, alpha: options.alphaPropagation, after: lastRefined,
                                    deadline: deadline)
                guard applySplits(table, to: &current) else { return emptyResult(result) }
                changed = false
            }
            let lp = try NetworkLP(linearized, box: box, known: current, splits: table, encoding: .relaxation,
                                   targets: [value], alsoRelaxOn: start, inputConstraints: inputConstraints)
            if lp.isEmpty { return emptyResult(result) }
            let pre = seededBounds(lp, value).intersected(with: current[value])
            var picks = candidates(value, pre)
            if let only = options.neurons { picks = picks.filter { only[value]?.contains($0) ?? false } }
            picks = Array(picks.prefix(min(remaining, options.maxNeuronsPerValue ?? Int.max)))
            remaining -= picks.count
            guard !picks.isEmpty else { continue }
            let solved = solveNeurons(lp, value: value, neurons: picks, concurrency: options.concurrency,
                                      warmStart: options.warmStart, phaseNodes: options.phaseNodes,
                                      phaseDualBranching: options.phaseDualBranching, phaseParentBasis: options.phaseParentBasis,
                                      phaseSideBasis: options.phaseSideBasis, deadline: deadline)
            var updated = pre
            for s in solved {
                result.solves += s.solves
                result.failures += s.failures
                if s.infeasible && !table.isEmpty { return emptyResult(result) }
                if s.solves == 0 { result.stoppedByDeadline = true; continue }
                result.neurons.append(NeuronRefinement(value: value, neuron: s.neuron, lower: s.lower, upper: s.upper))
                let j = s.neuron
                if s.lower > updated.lower[j] && s.lower <= updated.upper[j] { updated.lower[j] = s.lower; changed = true }
                if s.upper < updated.upper[j] && s.upper >= updated.lower[j] { updated.upper[j] = s.upper; changed = true }
            }
            current[value] = updated
            lastRefined = value
            if let stop, changed {
                // Propagated now rather than before the next value, so that the check sees the later values too.
                if let crown {
                    current = propagate(crown, box: boxBounds, current, alpha: options.alphaPropagation, after: lastRefined,
                                        deadline: deadline)
                    guard applySplits(table, to: &current) else { return emptyResult(result) }
                    changed = false
                }
                if stop(current.mapValues(\.interval)) { result.stoppedByCaller = true; break }
            }
        }
        result.bounds = current.mapValues(\.interval)
        return result
    }

    /// Sets split neurons' bounds to their side; false when a split contradicts sound bounds.
    private func applySplits(_ table: SplitTable, to bounds: inout [ValueID: ValueBounds]) -> Bool {
        for value in table.limits.keys {
            guard var b = bounds[value] else { continue }
            guard table.apply(to: &b, of: value) else { return false }
            bounds[value] = b
        }
        return true
    }

    private func emptyResult(_ partial: RefinedBounds) -> RefinedBounds {
        var r = partial
        r.isEmpty = true
        r.bounds = [:]
        return r
    }

    /// CROWN bounds seeded with `known` (its results are intersected with them); with `alpha`, the values after
    /// `after` optimised by alpha-CROWN with those settings (stopping at `deadline`, the rest keeping CROWN's).
    private func propagate(_ crown: CROWN, box: ValueBounds, _ known: [ValueID: ValueBounds], alpha: BoundOptimisation? = nil,
                           after: ValueID = 0, deadline: Date? = nil) -> [ValueID: ValueBounds] {
        let fresh: [ValueID: IntervalMatrix]
        if var alpha {
            alpha.deadline = [alpha.deadline, deadline].compactMap { $0 }.min()
            fresh = crown.optimisedIntermediateBounds(input: box.interval, known: known.mapValues(\.interval), options: alpha,
                                                      after: after)
        } else {
            fresh = crown.intermediateBounds(input: box.interval, known: known.mapValues(\.interval))
        }
        var merged = known
        for (value, b) in fresh {
            merged[value] = ValueBounds(lower: b.lower.data, upper: b.upper.data).intersected(with: known[value])
        }
        return merged
    }

    /// Values feeding an activation (or the requested ones), minus those computed from the input by
    /// linear operators alone (no activation upstream): the LP is exact there, and so is CROWN.
    private func refinableValues(_ requested: Set<ValueID>?) -> [ValueID] {
        let network = linearized.network
        var feeding = Set<ValueID>()
        for node in network.nodes where node.op is any ElementwiseActivation { feeding.insert(node.inputs[0]) }
        var nonlinearUpstream = [Bool](repeating: false, count: network.nodes.count + 1)
        for (i, node) in network.nodes.enumerated() {
            nonlinearUpstream[i + 1] = node.op is any ElementwiseActivation || node.inputs.contains { nonlinearUpstream[$0] }
        }
        return (requested ?? feeding).sorted().filter { $0 > 0 && $0 <= network.nodes.count && nonlinearUpstream[$0] }
    }

    /// Bounds of a value the caller gave none for: the program's seeded bounds of its inputs pushed through.
    private func seededBounds(_ lp: NetworkLP, _ value: ValueID) -> ValueBounds {
        if let b = lp.bounds[value] { return b }
        let node = linearized.network.nodes[value - 1]
        let image = RoundingError.outwardInterval(node.op, node.inputs.map { lp.bounds[$0]!.interval })
        return ValueBounds(lower: image.lower.data, upper: image.upper.data).intersected(with: nil)
    }

    /// Neurons worth refining, most uncertain first. Where every consumer is piecewise linear, only
    /// neurons with a breakpoint `t` strictly inside their interval, scored by the largest triangle
    /// height `(t − l)(u − t)/(u − l)` over such breakpoints; otherwise every neuron of nonzero width,
    /// scored by its width.
    private func candidates(_ value: ValueID, _ b: ValueBounds) -> [Int] {
        let breakpoints = breakpointsOfReaders(value)
        var scored = [(neuron: Int, score: Double)]()
        for j in 0..<b.lower.count {
            let (l, u) = (b.lower[j], b.upper[j])
            if let breakpoints {
                let inside = breakpoints.filter { l < $0 && u > $0 }
                guard !inside.isEmpty else { continue }
                let height = inside.map { t in (l.isFinite && u.isFinite) ? (t - l) * (u - t) / (u - l) : .infinity }.max()!
                scored.append((j, height))
            } else if u - l > 1e-9 {
                scored.append((j, u - l))
            }
        }
        return scored.sorted { $0.score > $1.score || ($0.score == $1.score && $0.neuron < $1.neuron) }.map(\.neuron)
    }

    /// The breakpoints of the activations reading `value`, ascending; nil when one of them is not
    /// piecewise linear.
    func breakpointsOfReaders(_ value: ValueID) -> [Double]? {
        let consumers = linearized.network.nodes.filter { $0.inputs.first == value }.compactMap { $0.op as? any ElementwiseActivation }
        let piecewise = consumers.compactMap { $0 as? any PiecewiseLinearActivation }
        return piecewise.count == consumers.count ? Set(piecewise.flatMap { $0.pieces.breakpoints }).sorted() : nil
    }
}
