import Attacks
import Bounds
import Foundation
import LinearAlgebra
import LPBounds
import NNGraph
import VNNLib

/// Options of the activation-split branch-and-bound.
public struct ActivationSplitOptions: Sendable {
    /// Domains split per batch (each gives two children, all bounded in one batched pass).
    public var batchDomains: Int = 32
    /// When set, the domains per batch are chosen from the network's size instead of ``batchDomains``: as many
    /// as keep the batch's children's work estimate (objective rows × activation neurons × splittable layers
    /// per child, the size of its α blocks times the depth its intermediate passes reach) within this
    /// budget, as a power of two from 8 to 128 (``ActivationSplitBranchAndBound/domainsPerBatch(objectiveRows:)``).
    public var batchWork: Int?
    /// Bulk pull-back products in single precision, their rounding in the ledger (``CROWN/singlePrecisionProducts``).
    /// On: activation split runs on wide networks (mnistfc's 256-wide layers bounded 1.0–1.5× the domains per
    /// second, the mnistfc sample's verdicts unchanged; benchmarks/RESULTS.md, issue 16 session 4).
    public var singlePrecisionProducts = true
    /// α/β optimisation at the root and in every batch (warm-started from the parent).
    public var rootOptimisation: BoundOptimisation = {
        var o = BoundOptimisation()
        o.iterations = 40
        return o
    }()
    public var optimisation: BoundOptimisation = {
        var o = BoundOptimisation()
        o.iterations = 10
        return o
    }()
    /// Optimise the root's intermediate bounds too (full alpha-CROWN); children inherit them.
    public var optimiseRootIntermediates = true
    public var intermediateOptimisation: BoundOptimisation = {
        var o = BoundOptimisation()
        o.iterations = 20
        o.stopAbove = nil
        return o
    }()
    /// The optimisation for a domain whose neurons are all stable (β alone must close it).
    public var leafOptimisation: BoundOptimisation = {
        var o = BoundOptimisation()
        o.iterations = 500
        o.betaRate = 0.2
        return o
    }()
    /// Memory the queue of open domains may hold; beyond it the run stops with unknown.
    public var queueMemoryBytes: Int = 2_000_000_000
    /// Stop (unknown) after bounding this many domains.
    public var maxDomains: Int = .max
    /// Short PGD runs started from the bound minimisers of this many most promising domains per batch.
    public var leafAttackDomains: Int = 4
    /// Search those domains' regions (``DomainSearch``: PGD on the margin plus a penalty on violated split
    /// constraints, from the bound minimiser, the box centre and the LP point); off: plain PGD from the
    /// bound minimisers.
    public var domainSearch = true
    /// Share of the run's time the domain search may take (it skips batches beyond it).
    public var domainSearchShare = 0.25
    /// Signed-gradient steps per search; first and last step as fractions of each input's half-width
    /// (the last is tiny so that coordinates settle into regions as small as a planted L1 ball).
    public var domainSearchSteps = 80
    public var domainSearchInitialStep = 0.5
    public var domainSearchFinalStep = 1e-7
    /// Weight of a violated split constraint against the margin (per unit of pre-activation).
    public var domainSearchPenalty = 10.0
    /// Share of the run's time for the LP point of the worst domain (0: no LP points), and the limit of one LP.
    public var domainLPShare = 0.1
    public var domainLPSeconds = 2.0
    /// Networks with more activation neurons than this get no LP points (the LP's construction is not bounded
    /// by the deadline; the planted mnistfc networks have about 3,400).
    public var domainLPNeuronLimit = 10_000
    /// Share of the run's time for deciding small boxes around the points the domain search ends at by
    /// input splitting (``BoxSearch``; 0: never), counted within the domain search's share; the limit of
    /// one box; and the box's half-width per input as a share of the case's half-width there.
    public var boxSearchShare = 0.0
    public var boxSearchSeconds = 1.0
    public var boxSearchRadius = 0.02
    /// A point is searched around when its margin is at most this share of its domain's bound's distance
    /// below zero (the margin is small against what the relaxation still leaves open).
    public var boxSearchMargin = 0.05
    /// Filtered smart branching (FSB, De Palma et al. 2021): the split of each open domain is chosen among
    /// this many best-scored candidates by bounding both children of each with the parent's α and β (one
    /// pass, parent's intermediate bounds with the split neuron clamped) and keeping the candidate whose
    /// worse child bounds highest. 1: the score alone.
    public var filteredBranching = 3
    /// LP refinement of the root's intermediate bounds (``refinedRootBounds(_:objective:box:deadline:statistics:)``):
    /// the share of the time left it may take (0: off, the default: no gain measured on mnistfc, see
    /// RESULTS), the most influential unstable neurons refined, and whether GLPK re-solves start from the
    /// previous basis (``LPSession``; off for ablation).
    public var rootLPShare = 0.0
    public var rootLPNeurons = 128
    public var rootLPWarmStart = true
    /// MILP refinement of the root's intermediate bounds: every unstable neuron, value by value from the
    /// input, most uncertain first, its minimum and maximum tightened by a branch-and-bound over the
    /// earlier ReLUs' phases (``BoundRefinementOptions/phaseNodes``: at most `rootMILPNodes` LPs per side),
    /// within this share of the time left (0: off, the default). Takes the place of the LP refinement.
    public var rootMILPShare = 0.0
    public var rootMILPNodes = 16
    /// The MILP refinement's phase searches weigh each candidate ReLU by its triangle's dual
    /// (``BoundRefinementOptions/phaseDualBranching``).
    public var rootMILPDualBranching = true
    /// Each node of the MILP refinement's phase searches starts from its parent's optimal basis
    /// (``BoundRefinementOptions/phaseParentBasis``).
    public var rootMILPParentBasis = true
    /// Each side of the MILP refinement's phase searches starts its root from the previous neuron's root basis of the
    /// same side (``BoundRefinementOptions/phaseSideBasis``).
    public var rootMILPSideBasis = true
    /// The root refinement (LP or MILP) re-optimises the later values' bounds by alpha-CROWN
    /// (``intermediateOptimisation``) after each value it refines, and every value after the last refined one
    /// once more when it ends (``BoundRefinementOptions/alphaPropagation``); off: plain CROWN after each value, and
    /// the values the refinement did not reach keep the root's bounds. Applies with ``optimiseRootIntermediates``.
    public var rootRefinementAlpha = true
    /// The root refinement bounds the root again after each value it tightens, and ends once that bound refutes
    /// it (``refinedRootBounds(_:objective:box:deadline:statistics:)``); off: it runs its whole share.
    public var rootRefinementCheck = true
    /// Domain clipping (Clip-and-Verify, issue 16): each open domain's input box is cut to the bounding box
    /// of the points where its open disjuncts' linear lower bounds (in terms of the input, from the domain's
    /// own bounding pass) still allow a violation (``BoxClipping``); the children are bounded on the clipped
    /// box, and a disjunct whose rows leave no point is refuted on the domain. Off by default: no verdict
    /// gained on the mnistfc sample (RESULTS, "Issue 16 (session 3): domain clipping").
    public var domainClipping = false
    /// Nogoods inferred from the search (BICCOS's cuts on the logical level, issue 16; ``Nogoods``): the sign
    /// decisions of every refuted domain are recorded, strengthened by dropping the decisions whose β is zero
    /// when a re-bounding of the smaller set refutes it too, and merged; a domain inside a nogood's region is
    /// closed, and one that misses a nogood by one decision takes the opposite split. `nogoodShare`: the share of
    /// the run's time the re-bounding may take; `nogoodLimit`: nogoods kept at most.
    public var nogoods = false
    public var nogoodStrengthening = true
    public var nogoodShare = 0.25
    public var nogoodLimit = 20_000
    /// Threads bounding a batch's children (each its share, with one BLAS thread); the root is bounded
    /// by one thread with BLAS's threads.
    public var workers: Int = 2
    /// Fewer children than this per worker are bounded by fewer workers (one batched pass is cheaper).
    public var minimumChildrenPerWorker: Int = 8
    /// Also branch on neurons of smooth activations and on the inputs of products (GenBaB, Shi et al.
    /// 2025): their intervals are split at a point (0 across an inflection at 0, else the midpoint) and the
    /// children's relaxations, built on the halves, are tighter. Off: only piecewise-linear neurons.
    public var generalNeurons = true
    /// Take a case's linear input constraints into every CROWN bound through Lagrange multipliers
    /// (``CROWN/coupled(with:)``); off: bounds see the box only (for ablation).
    public var lagrangianCouplings = true
    /// A smooth or bilinear neuron whose interval is narrower than this (relative to `1 + |l| + |u|`) is
    /// not split further.
    public var minimumRelativeWidth = 1e-6
    /// Where smooth neurons are split: the operator's pre-optimised table (``BranchingPointTable``) or
    /// the midpoint (for ablation).
    public var branchingPoints: BranchingPointChoice = .table
    /// How smooth and bilinear candidates are ranked: BBPS (the bound gain estimated from the current
    /// coefficients, ``ActivationSplitBranchAndBound/generalBranch(index:rows:openRows:result:bounds:candidate:)``)
    /// or the relaxation gap times the coefficients (for ablation).
    public var generalScore: GeneralBranchScore = .bbps
    /// Where the search reports each batch (status line; it stops at the resident-memory limit there).
    public var progress: SearchProgress?

    public init() {}
}

/// Where smooth neurons are split (see ``ActivationSplitOptions/branchingPoints``).
public enum BranchingPointChoice: String, Sendable { case table, midpoint }

/// How smooth and bilinear split candidates are scored (see ``ActivationSplitOptions/generalScore``).
public enum GeneralBranchScore: String, Sendable { case bbps, gap }

/// Branch-and-bound on ReLU activations (beta-CROWN style, Wang et al. 2021): a domain is the input
/// box together with sign constraints on some ReLU inputs (`z >= 0` or `z <= 0`). Each domain is
/// bounded with optimised slopes α and split multipliers β (``CROWN/optimisedLowerBound``), after
/// recomputing its intermediate bounds with the splits applied; open domains are split on the
/// unstable neuron whose relaxation costs the most (an intercept score in the manner of BaBSR), the
/// worst domain first.
///
/// Sound because the two children of a split cover their parent (every input has `z >= 0` or
/// `z <= 0`), each child's bounds hold on its own feasible set, and a domain is dropped only when
/// its bound proves every disjunct impossible there (or its constraints are contradictory).
/// Complete for ReLU networks in the limit: with every unstable neuron split, the bound is exact.
public struct ActivationSplitBranchAndBound: Sendable {
    public let network: Network
    public internal(set) var crown: CROWN
    public var options: ActivationSplitOptions
    /// Values feeding piecewise-linear activations (the only splittable values), ascending.
    let splittable: [ValueID]

    public init(network: Network, options: ActivationSplitOptions = ActivationSplitOptions()) {
        self.network = network
        self.crown = CROWN(network: network, tryRelaxationVariants: false,
                           singlePrecisionProducts: options.singlePrecisionProducts)
        self.options = options
        var values = Set<ValueID>()
        for node in network.nodes where !(node.op is any LinearOperator) {
            if node.op is any PiecewiseLinearActivation || options.generalNeurons { values.formUnion(node.inputs) }
        }
        splittable = values.sorted()
    }

    /// Whether every nonlinear node is a piecewise-linear activation (splits at breakpoints make the
    /// search complete). Smooth activations and products can be split too (``ActivationSplitOptions/generalNeurons``),
    /// but splitting them only tightens bounds, without ever making them exact.
    public static func applies(to network: Network) -> Bool {
        let nonlinear = network.nodes.filter { !($0.op is any LinearOperator) }
        return !nonlinear.isEmpty && nonlinear.allSatisfy { $0.op is any PiecewiseLinearActivation }
    }

    /// The root of `specCase` bounded as ``run(_:deadline:statistics:root:)`` bounds it, for searches of the case
    /// to start from; nil when its bounding does not finish before `deadline`. Counts the root in `statistics` as
    /// `run` counts a root it bounds itself.
    public func root(of specCase: SpecCase, deadline: Date, statistics: inout BranchAndBoundStatistics) -> ActivationSplitRoot? {
        if Date() >= deadline { return nil }
        if let bounded = bounded(by: deadline) { return bounded.root(of: specCase, deadline: deadline, statistics: &statistics) }
        if let coupled = coupled(for: specCase) { return coupled.root(of: specCase, deadline: deadline, statistics: &statistics) }
        let results = boundRoot(objective: SpecObjective(specCase, outputCount: network.outputSize), box: box(of: specCase),
                                deadline: deadline)
        statistics.domainsBounded += 1
        return Date() < deadline ? ActivationSplitRoot(specCase: specCase, results: results) : nil
    }

    /// This search with CROWN coupled to the case's linear input constraints
    /// (``ActivationSplitOptions/lagrangianCouplings``); nil when it already is.
    private func coupled(for specCase: SpecCase) -> Self? {
        let couplings = options.lagrangianCouplings ? InputCouplings(specCase.inputConstraints, box: specCase.box) : nil
        guard crown.couplings != couplings else { return nil }
        var coupled = self
        coupled.crown = crown.coupled(with: couplings)
        return coupled
    }

    /// The case's input box as a one-row interval matrix.
    private func box(of specCase: SpecCase) -> IntervalMatrix {
        IntervalMatrix(lower: Matrix(rows: 1, cols: network.inputSize, data: specCase.box.lower),
                       upper: Matrix(rows: 1, cols: network.inputSize, data: specCase.box.upper))
    }

    /// The root's optimised intermediate bounds and its alpha-CROWN bound (one result).
    private func boundRoot(objective: SpecObjective, box: IntervalMatrix, deadline: Date) -> [ChildResult] {
        var rootOptimisation = options.intermediateOptimisation
        rootOptimisation.deadline = min(rootOptimisation.deadline ?? deadline, deadline)
        let rootBounds = options.optimiseRootIntermediates
            ? crown.optimisedIntermediateBounds(input: box, options: rootOptimisation)
            : crown.intermediateBounds(input: box, deadline: deadline)
        let root = Child(splits: [:], offsetSplits: [], bounds: rootBounds, parameters: nil, open: Array(0..<objective.disjunctCount),
                         newSplit: nil)
        return bound([root], objective: objective, box: box, optimisation: options.rootOptimisation, deadline: deadline)
    }

    /// A split: neuron `neuron` of value `value` at `point`.
    typealias Branch = (value: ValueID, neuron: Int, point: Double)

    /// One open domain.
    struct Domain: Sendable {
        /// Split value → per-neuron sign of the splits at 0 (+1: `z ≥ 0`, −1: `z ≤ 0`, 0 free); these
        /// also enter the bound through multipliers β.
        var splits: [ValueID: [Double]]
        /// Splits at other breakpoints (Clip, HardSigmoid): enforced through the domain's bounds only.
        var offsetSplits: [NeuronSplit]
        /// Sound intermediate bounds on the domain (one row each), splits applied.
        var bounds: [ValueID: IntervalMatrix]
        /// Warm start for the children (rows = objective rows).
        var parameters: BoundParameters
        /// Lowest bound of an open disjunct (queue priority: lowest first).
        var priority: Double
        /// Disjuncts not yet refuted.
        var open: [Int]
        /// The split chosen for this domain's children.
        var branch: Branch
        /// The domain's input box, clipped (``ActivationSplitOptions/domainClipping``); nil: the case's box.
        var box: IntervalMatrix? = nil
        /// Further candidates for ``branch``, best first (``ActivationSplitOptions/filteredBranching``),
        /// until the filter has chosen among them.
        var alternatives: [Branch] = []
        var bytes: Int
    }

    /// Domains split per batch: ``ActivationSplitOptions/batchDomains``, or with
    /// ``ActivationSplitOptions/batchWork`` set, the largest power of two from 8 to 128 whose children's work
    /// estimate (`objectiveRows` × activation neurons × splittable layers each) fits in it.
    func domainsPerBatch(objectiveRows: Int) -> Int {
        guard let work = options.batchWork else { return options.batchDomains }
        let neurons = splittable.reduce(0) { $0 + network.size(of: $1) }
        let perChild = max(1, objectiveRows) * max(1, neurons) * max(1, splittable.count)
        let fit = work / (2 * perChild)
        var domains = 8
        while domains < 128 && 2 * domains <= fit { domains *= 2 }
        return domains
    }

    /// Decides one case: `.verified` when every domain is refuted.
    public func run(_ specCase: SpecCase, deadline: Date, statistics: inout BranchAndBoundStatistics) -> BranchAndBoundOutcome {
        var root: ActivationSplitRoot?
        return run(specCase, deadline: deadline, statistics: &statistics, root: &root)
    }

    /// Decides one case as ``run(_:deadline:statistics:)`` does, starting from `root` where it holds this case's root
    /// (see ``ActivationSplitRoot``), and leaving this search's root in it otherwise (nil when its bounding
    /// did not finish before `deadline`).
    public func run(_ specCase: SpecCase, deadline: Date, statistics: inout BranchAndBoundStatistics,
                    root cached: inout ActivationSplitRoot?) -> BranchAndBoundOutcome {
        // The root's bounds of a large network take seconds even when every pass checks the deadline between
        // chunks: none is started when no time is left (the verifier's later stages may be given none).
        if Date() >= deadline { return .timeout }
        if let bounded = bounded(by: deadline) { return bounded.run(specCase, deadline: deadline, statistics: &statistics, root: &cached) }
        if let coupled = coupled(for: specCase) { return coupled.run(specCase, deadline: deadline, statistics: &statistics, root: &cached) }
        let objective = SpecObjective(specCase, outputCount: network.outputSize)
        let perBatch = domainsPerBatch(objectiveRows: objective.rowCount)
        let box = self.box(of: specCase)
        var results: [ChildResult]
        if let cached, cached.specCase == specCase {
            results = cached.results
            statistics.notes["root bound"] = "reused from the search before"
        } else {
            results = boundRoot(objective: objective, box: box, deadline: deadline)
            cached = Date() < deadline ? ActivationSplitRoot(specCase: specCase, results: results) : nil
            statistics.domainsBounded += 1
        }
        if case .open(let domain, _)? = results.first,
           let refined = refinedRootBounds(domain, objective: objective, box: box, deadline: deadline, statistics: &statistics) {
            let again = Child(splits: [:], offsetSplits: [], bounds: refined.bounds, parameters: domain.parameters, open: domain.open,
                              newSplit: nil, box: domain.box)
            results = refined.refuted
                ?? bound([again], objective: objective, box: box, optimisation: options.rootOptimisation, deadline: deadline)
            statistics.domainsBounded += 1
            let after: String
            switch results.first {
            case .open(let d, _)?: after = "\(d.priority)"
            case .refuted?: after = "refuted"
            default: after = "decided"
            }
            statistics.notes["root bound before and after refinement"] = "\(domain.priority) -> \(after)"
        }
        statistics.batches += 1
        var learning: NogoodLearning?
        if options.nogoods, case .open(let root, _)? = results.first { learning = NogoodLearning(self, root: root) }
        defer {
            if let learning {
                statistics.notes["nogoods"] = learning.summary
                statistics.nogoods = learning.nogoods.list
            }
        }
        var children = [Child]()
        var queue = [Domain]()
        var queueBytes = 0
        var leafLP: ObjectiveLP?
        var undecidedLeaves = 0
        let domainSearch = DomainSearch(self, specCase: specCase)
        while true {
            learning?.learn(from: results, children: children, objective: objective, box: box, deadline: deadline)
            for result in results {
                switch result {
                case .refuted: continue
                case .counterexample(let x): return .counterexample(x)
                case .open(let domain, _):
                    queue.append(domain)
                    queueBytes += domain.bytes
                case .unsplittable(let child):
                    // Every neuron is stable or split: an LP over the exact linear pieces decides it.
                    if leafLP == nil { leafLP = try? ObjectiveLP(network: network) }
                    if let lp = leafLP, Date() < deadline, let decided = decideByLP(child, objective: objective, lp: lp, deadline: deadline) {
                        if case .counterexample(let x) = decided { return .counterexample(x) }
                        if case .refuted = decided {
                            learning?.learn(from: [decided], children: [child], objective: objective, box: box, deadline: deadline)
                            continue
                        }
                    }
                    // Otherwise β enforces the split constraints exactly at its optimum (LP duality):
                    // optimise much longer.
                    let long = bound([child], objective: objective, box: box, optimisation: options.leafOptimisation, deadline: deadline)
                    switch long.first {
                    case .refuted?:
                        learning?.learn(from: long, children: [child], objective: objective, box: box, deadline: deadline)
                        continue
                    case .counterexample(let x)?: return .counterexample(x)
                    default:
                        // Undecided here, but other domains may still hold a counterexample: go on.
                        undecidedLeaves += 1
                    }
                }
            }
            statistics.maxQueue = max(statistics.maxQueue, queue.count)
            let stop = options.progress?.record(bounded: results.count, open: queue.count, lowestBound: queue.lazy.map(\.priority).min())
            if let stop, !queue.isEmpty { return .unknown(reason: stop) }
            if queue.isEmpty {
                return undecidedLeaves == 0 ? .verified
                    : .unknown(reason: "\(undecidedLeaves) domain(s) with no unstable neuron left have a bound that is not positive")
            }
            if Date() >= deadline { return .timeout }
            if statistics.domainsBounded >= options.maxDomains {
                return .unknown(reason: "bounds did not decide (domain limit \(options.maxDomains) reached)")
            }
            if queueBytes > options.queueMemoryBytes {
                return .unknown(reason: "the queue of open domains exceeded \(options.queueMemoryBytes / 1_000_000) MB")
            }
            // Worst (lowest-bound) domains first.
            queue.sort { $0.priority > $1.priority }
            let take = min(perBatch, queue.count)
            let parents = Array(queue.suffix(take))
            queue.removeLast(take)
            queueBytes -= parents.reduce(0) { $0 + $1.bytes }
            children = []
            for parent in parents {
                if let learning, learning.covers(parent) { continue }
                for sign in [1.0, -1.0] {
                    let c = child(of: parent, sign: sign)
                    if let learning {
                        if let kept = learning.screen(c) { children.append(kept) }
                    } else {
                        children.append(c)
                    }
                }
            }
            // Every child may be closed by nogoods: then nothing is bounded in this batch.
            results = children.isEmpty ? [] : boundInParallel(children, objective: objective, box: box, deadline: deadline)
            statistics.domainsBounded += children.count
            statistics.batches += 1
            if let x = domainSearch.attack(results, deadline: deadline) { return .counterexample(x) }
        }
    }

    /// A domain to bound: its splits and its known bounds (parent's, with the new split applied).
    struct Child: Sendable {
        var splits: [ValueID: [Double]]
        var offsetSplits: [NeuronSplit]
        var bounds: [ValueID: IntervalMatrix]
        var parameters: BoundParameters?
        var open: [Int]
        /// The value whose neuron this child split last (nil for the root).
        var newSplit: ValueID?
        /// The input box the child is bounded on (its parent's clipped box; nil: the case's box). Points of
        /// the case's box outside it that satisfy the child's splits are proven safe by an ancestor's bound.
        var box: IntervalMatrix? = nil
    }

    /// The child of `parent` with `z >= t` (sign +1) or `z <= t` (sign −1) on its branch neuron, `t` the
    /// branch's breakpoint.
    func child(of parent: Domain, sign: Double) -> Child {
        let (v, j, t) = parent.branch
        var splits = parent.splits
        var offsetSplits = parent.offsetSplits
        if t == 0 {
            var s = splits[v] ?? [Double](repeating: 0, count: network.size(of: v))
            s[j] = sign
            splits[v] = s
        } else {
            offsetSplits.append(NeuronSplit(value: v, neuron: j, active: sign > 0, point: t))
        }
        var bounds = parent.bounds
        if var b = bounds[v] {
            if sign > 0 { b.lower.data[j] = max(b.lower.data[j], t) } else { b.upper.data[j] = min(b.upper.data[j], t) }
            bounds[v] = b
        }
        return Child(splits: splits, offsetSplits: offsetSplits, bounds: bounds, parameters: parent.parameters,
                     open: parent.open, newSplit: v, box: parent.box)
    }
}
