import Attacks
import Bounds
import Dispatch
import Foundation
import LinearAlgebra
import LPBounds
import NNGraph
import VNNLib

/// Options of the input-split branch-and-bound. Defaults suit low-dimensional inputs (ACAS Xu).
public struct InputSplitOptions: Sendable {
    /// Domains bounded together in one batch per worker.
    public var batchSize: Int = 256
    /// Bulk pull-back products in single precision, their rounding in the ledger (``CROWN/singlePrecisionProducts``).
    /// Off: on ACAS Xu's 50-wide layers the conversions cost more than `sgemm` saves (0.77× the domains per second).
    public var singlePrecisionProducts = false
    /// Parallel workers (each bounds its own slice of the batch; BLAS runs one thread per worker).
    public var workers: Int = 2
    /// Memory the queue of open domains may hold (each stores its box and its parent's bounds);
    /// when it would hold more, the run stops with unknown.
    public var queueMemoryBytes: Int = 2_000_000_000
    /// Stop (unknown) after bounding this many domains (halves the lookahead refutes count too); 1 bounds only the
    /// whole box, without a lookahead.
    public var maxDomains: Int = .max
    /// A domain narrower than this in every dimension is not split further (unknown).
    public var minimumWidth: Double = 1e-9
    /// How pre-activation bounds are computed (nil: ``IntermediateBoundMethod/automatic(inputSize:)``).
    public var intermediateMethod: IntermediateBoundMethod?
    /// Split-dimension lookahead: bound both halves along this many best-scored dimensions and keep
    /// the best split (0: split the best-scored dimension directly).
    public var lookaheadDimensions: Int = 3
    /// A domain with at most this many dimensions left to split tries them all in the lookahead (when on).
    /// Five (ACAS Xu's inputs): the whole suite took 92.2 s instead of 109.9 s with three; trying five
    /// of dist_shift's eight free inputs instead of three made it slower (168.9 s against 146.3 s).
    public var lookaheadAllDimensionsUpTo: Int = 5
    /// Bound with every relaxation variant the activations offer and keep the best (see ``CROWN``).
    public var relaxationVariants: Bool = true
    /// Rank split candidates with every variant too (tighter ranking, more work).
    public var rankWithVariants: Bool = false
    /// After each batch, a short PGD run inside each of this many open domains whose candidate
    /// points came closest to a violation (0: none). Finds counterexamples in regions too small for
    /// the attack on the whole box.
    public var leafAttackDomains: Int = 8
    /// Order the queue best first while it holds at most this many domains (depth first beyond).
    public var bestFirstLimit: Int = 100_000
    /// PGD steps of each leaf attack.
    public var leafAttackSteps: Int = 30
    /// Where the search reports each batch (status line; it stops at the resident-memory limit there).
    public var progress: SearchProgress?
    /// Decide a domain with at most this many unstable ReLUs exactly, by branching on their phases with
    /// proven LP bounds (``MILPVerifier/certify(_:box:bounds:deadline:)``), before splitting it further
    /// (0: never). Piecewise-linear networks without convolutions only.
    public var exactLeafUnstable: Int = 25
    /// LP nodes one exact leaf decision may use before the domain is split instead.
    public var exactLeafNodes: Int = 64
    /// Exact leaves search by bound changes on one loaded program (``MILPVerifier/Options/boundChanges``:
    /// warm dual simplex); false: a fresh program per node (for ablation).
    public var exactLeafBoundChanges = true
    /// Exact leaves by bound changes split the ReLU off its graph weighted by its triangle row's dual
    /// (``MILPVerifier/Options/dualBranching``); false: the farthest alone (for ablation).
    public var exactLeafDualBranching = true
    /// Exact leaves by bound changes start each node from its parent's optimal basis
    /// (``MILPVerifier/Options/parentBasis``); false: from the last node's (for ablation).
    public var exactLeafParentBasis = true
    /// Keep the lookahead's bounds of the two halves it chose: a half they refute is not queued, and the
    /// other starts from its own intermediate bounds instead of its parent's (off: both halves are queued
    /// with the parent's, for ablation).
    public var lookaheadHalves = true
    /// Take a case's linear input constraints into every CROWN bound through Lagrange multipliers
    /// (``CROWN/coupled(with:)``); off: bounds see the box only (for ablation).
    public var lagrangianCouplings = true

    public init() {}
}

/// How a branch-and-bound run ended.
public enum BranchAndBoundOutcome: Sendable {
    /// Every domain was refuted: the case has no counterexample.
    case verified
    /// A concrete input whose output lies in the unsafe set (to be validated by the caller).
    case counterexample([Double])
    /// Stopped without a decision (`reason` says why).
    case unknown(reason: String)
    /// The deadline passed.
    case timeout
}

/// Statistics of a run, for the human summary and benchmarks.
public struct BranchAndBoundStatistics: Sendable {
    public var domainsBounded = 0
    public var batches = 0
    public var maxQueue = 0
    /// Further figures by name (e.g. the root's LP refinement), shown with the others.
    public var notes = [String: String]()
    /// The nogoods an activation-split run kept (``ActivationSplitOptions/nogoods``), for the tests that
    /// check each against the exact MILP.
    var nogoods: [[SplitDecision]] = []

    public init() {}
}

/// Input-split branch-and-bound with CROWN bounds: clips each box to where its linear bounds still
/// allow a violation (``BoxClipping``), splits it in halves along the
/// dimension whose linear-bound influence `|a_j| · width_j` (summed over the undecided disjuncts)
/// is largest, bounds many subdomains per batch, checks concrete points of every undecided domain
/// (its centre and the minimisers of its linear lower bounds) as counterexample candidates, and
/// stops at the deadline.
///
/// Sound because every refuted domain is refuted by a sound CROWN bound, the domains always cover
/// the original box, and a child's intermediate bounds are intersected only with its parent's
/// (which hold on the child too).
public struct InputSplitBranchAndBound: Sendable {
    public let network: Network
    public internal(set) var crown: CROWN
    /// CROWN with the default relaxation only, for ranking split candidates cheaply.
    var rankingCROWN: CROWN
    public var options: InputSplitOptions
    /// The exact leaf decision, built when a domain first qualifies (nil: the option is off, or the
    /// network has convolutions).
    let exactLeaves: LazyExactLeaves?

    public init(network: Network, options: InputSplitOptions = InputSplitOptions()) {
        self.network = network
        // Exact leaves need the network's linear maps as sparse rows; building them for convolutions
        // takes seconds (5 s for collins_rul_cnn's window-40 network), more than whole instances take.
        let convolutional = network.nodes.contains { $0.op is Convolution }
        var leafOptions = MILPVerifier.Options(maxCertificationNodes: options.exactLeafNodes)
        leafOptions.boundChanges = options.exactLeafBoundChanges
        leafOptions.dualBranching = options.exactLeafDualBranching
        leafOptions.parentBasis = options.exactLeafParentBasis
        self.exactLeaves = options.exactLeafUnstable > 0 && !convolutional
            ? LazyExactLeaves { [leafOptions] in try? MILPVerifier(network: network, options: leafOptions) } : nil
        self.crown = CROWN(network: network, tryRelaxationVariants: options.relaxationVariants,
                           singlePrecisionProducts: options.singlePrecisionProducts)
        self.rankingCROWN = CROWN(network: network, tryRelaxationVariants: options.rankWithVariants && options.relaxationVariants,
                                  singlePrecisionProducts: options.singlePrecisionProducts)
        self.options = options
    }

    var intermediateMethod: IntermediateBoundMethod {
        options.intermediateMethod ?? .automatic(inputSize: network.inputSize)
    }

    struct Domain {
        var lower: [Double]
        var upper: [Double]
        /// Disjuncts not yet refuted on this domain.
        var open: [Int]
        /// Parent's bounds of every CROWN-bounded value (flattened lower then upper), or empty.
        var known: [[Double]]
        /// The parent's closest approach to a violation (smaller: more promising).
        var priority: Double = 0
        /// The parent's lowest bound of an open disjunct (holds on this domain too), for progress reports.
        var bound = -Double.infinity
    }

    /// Decides one specification case before `deadline`.
    public func run(_ specCase: SpecCase, deadline: Date,
                    statistics: inout BranchAndBoundStatistics) -> BranchAndBoundOutcome {
        let couplings = options.lagrangianCouplings ? InputCouplings(specCase.inputConstraints, box: specCase.box) : nil
        if crown.couplings != couplings {
            var coupled = self
            coupled.crown = crown.coupled(with: couplings)
            coupled.rankingCROWN = rankingCROWN.coupled(with: couplings)
            return coupled.run(specCase, deadline: deadline, statistics: &statistics)
        }
        let objective = SpecObjective(specCase, outputCount: network.outputSize)
        if objective.disjunctCount == 0 { return .verified }
        var queue = [Domain(lower: specCase.box.lower, upper: specCase.box.upper,
                            open: Array(0..<objective.disjunctCount), known: [])]
        let doublesPerDomain = 2 * network.inputSize + crown.boundedValues.reduce(0) { $0 + 2 * network.size(of: $1) }
        let maxQueued = max(1, options.queueMemoryBytes / (8 * max(1, doublesPerDomain)))
        // Batches start small and grow while a batch takes under a quarter second, and shrink when one
        // takes longer than a second or than a twentieth of the time left, so the deadline holds on
        // wide networks too.
        var batchSize = min(16, options.batchSize)
        var refutedHalves = 0
        while !queue.isEmpty {
            let started = Date()
            if started >= deadline { return .timeout }
            if queue.count > maxQueued {
                return .unknown(reason: "more than \(maxQueued) open domains (queue memory limit)")
            }
            // Best first (the domains whose candidates came closest to a violation) while the queue is
            // small enough to sort; depth first beyond that, which keeps memory bounded.
            if queue.count <= options.bestFirstLimit { queue.sort { $0.priority > $1.priority } }
            let take = min(queue.count, batchSize * max(1, options.workers))
            let batch = Array(queue.suffix(take))
            queue.removeLast(take)
            let results = boundInParallel(batch, objective: objective, deadline: deadline)
            let took = Date().timeIntervalSince(started)
            if took > min(1, deadline.timeIntervalSinceNow / 20) {
                batchSize = max(1, batchSize / 2)
            } else if took < 0.25 && take == batchSize * max(1, options.workers) {
                batchSize = min(options.batchSize, batchSize * 2)
            }
            statistics.batches += 1
            statistics.domainsBounded += batch.count
            let refutedBefore = refutedHalves
            for result in results {
                if let x = result.counterexample, specCase.contains(x), specCase.isViolated(by: (try? network.evaluate(x)) ?? []) {
                    return .counterexample(x)
                }
            }
            if options.leafAttackDomains > 0, let x = leafAttack(results, specCase: specCase, deadline: deadline),
               specCase.contains(x), specCase.isViolated(by: (try? network.evaluate(x)) ?? []) {
                return .counterexample(x)
            }
            for result in results where !result.open.isEmpty {
                guard let split = result.splitDimension else {
                    return .unknown(reason: "a domain cannot be split further (width below \(options.minimumWidth))")
                }
                let mid = 0.5 * (result.clippedLower[split] + result.clippedUpper[split])
                var left = Domain(lower: result.clippedLower, upper: result.clippedUpper, open: result.open, known: result.known)
                left.priority = result.bestMargin
                left.bound = result.openBounds.min() ?? -.infinity
                var right = left
                left.upper[split] = mid
                right.lower[split] = mid
                // The lookahead bounded these very halves (same box, the parent's bounds as known): a sound
                // CROWN bound on each, so a half whose open disjuncts it all refutes holds no counterexample.
                if let halves = result.halves, halves.dimension == split {
                    for (domain, half) in [(left, halves.left), (right, halves.right)] {
                        if half.open.isEmpty {  // a node of the search tree, decided: counted as bounded
                            refutedHalves += 1
                            statistics.domainsBounded += 1
                            continue
                        }
                        var child = domain
                        child.open = half.open
                        child.known = half.known
                        child.bound = max(child.bound, half.bound)
                        queue.append(child)
                    }
                } else {
                    queue.append(left)
                    queue.append(right)
                }
            }
            if refutedHalves > 0 { statistics.notes["halves refuted by the lookahead"] = "\(refutedHalves)" }
            statistics.maxQueue = max(statistics.maxQueue, queue.count)
            let stop = options.progress?.record(bounded: batch.count + refutedHalves - refutedBefore, open: queue.count, lowestBound: queue.lazy.map(\.bound).min())
            if let stop, !queue.isEmpty { return .unknown(reason: stop) }
            if statistics.domainsBounded >= options.maxDomains && !queue.isEmpty {
                return .unknown(reason: "bounds did not decide (domain limit \(options.maxDomains) reached)")
            }
        }
        return .verified
    }

    struct DomainResult {
        var open: [Int] = []
        var splitDimension: Int?
        var counterexample: [Double]?
        var known: [[Double]] = []
        /// The domain's box after clipping (see ``BoxClipping``).
        var clippedLower: [Double] = []
        var clippedUpper: [Double] = []
        /// The candidate point of this domain that came closest to a violation, and its margin.
        var bestCandidate: [Double] = []
        var bestMargin = Double.infinity
        /// Dimensions by decreasing split score.
        var dimensionOrder: [Int] = []
        /// Lower bound of each open disjunct's worst-case margin on this domain (sound on every part of
        /// it, so on both halves of a split too).
        var openBounds: [Double] = []
        /// The lookahead's bounds of both halves along `dimension` (nil: no lookahead chose it).
        var halves: (dimension: Int, left: HalfBound, right: HalfBound)?
    }

    /// One half of a split as the lookahead bounded it.
    struct HalfBound {
        /// The parent's open disjuncts that the half's bound does not refute.
        var open: [Int]
        /// The lowest bound among them (+infinity when none is left).
        var bound: Double
        /// The half's bounds of every CROWN-bounded value (the layout of ``Domain/known``).
        var known: [[Double]]
    }

    private func boundInParallel(_ batch: [Domain], objective: SpecObjective, deadline: Date) -> [DomainResult] {
        // One domain per worker is enough: with the lookahead each domain is 2k + 1 bounds, and the searches'
        // queues are often short (ACAS Xu prop_1: 16 domains per worker at least left one core idle a third of
        // the time; 0.72x the suite's prop_1 time with this).
        let workers = max(1, min(options.workers, batch.count))
        if workers == 1 { return bound(batch[...], objective: objective, deadline: deadline) }
        return inParallel(count: batch.count, threads: workers) { range in
            bound(batch[range], objective: objective, deadline: deadline)
        }.flatMap { $0 }
    }

    /// Bounds a slice of domains in one batched CROWN pass and decides what to do with each.
    func bound(_ domains: ArraySlice<Domain>, objective: SpecObjective, deadline: Date) -> [DomainResult] {
        let n = network.inputSize, count = domains.count
        var lo = [Double](), hi = [Double]()
        lo.reserveCapacity(count * n); hi.reserveCapacity(count * n)
        for d in domains { lo.append(contentsOf: d.lower); hi.append(contentsOf: d.upper) }
        let input = IntervalMatrix(lower: Matrix(rows: count, cols: n, data: lo), upper: Matrix(rows: count, cols: n, data: hi))
        let known = knownBounds(domains)
        let inter = crown.intermediateBounds(input: input, known: known, method: intermediateMethod, deadline: deadline)
        let bound = crown.lowerBound(of: network.output, objective: objective.matrix, constant: objective.constant,
                                     input: input, bounds: inter, deadline: deadline)
        let m = objective.rowCount
        var results = [DomainResult](repeating: DomainResult(), count: count)
        var candidates = [[Double]](), owners = [Int]()
        for (b, domain) in domains.enumerated() {
            var open = [Int](), score = [Double](repeating: 0, count: n)
            for k in domain.open {
                let rows = objective.rowsOfDisjunct[k]
                if rows.isEmpty {  // no constraint: every point is unsafe, the centre below shows it
                    open.append(k)
                    continue
                }
                guard let best = rows.max(by: { bound.lower[b, $0] < bound.lower[b, $1] }),
                      bound.lower[b, best] <= 0 else { continue }
                open.append(k)
                // A row the deadline left unbounded has no coefficients to point at a corner.
                if bound.lower[b, best] == -.infinity { continue }
                let base = (b * m + best) * n
                var corner = [Double](repeating: 0, count: n)
                for j in 0..<n {
                    let a = bound.inputCoefficients.data[base + j]
                    score[j] += abs(a)
                    corner[j] = a >= 0 ? domain.lower[j] : domain.upper[j]
                }
                candidates.append(corner); owners.append(b)
            }
            guard !open.isEmpty else { continue }
            // Clip the box to where some open disjunct may still be violated (hull over disjuncts).
            var hullLo = [Double](repeating: .infinity, count: n), hullHi = [Double](repeating: -.infinity, count: n)
            var stillOpen = [Int]()
            var unstable: Int?
            for k in open {
                var lo = domain.lower, hi = domain.upper
                var feasible = true
                for r in objective.rowsOfDisjunct[k] where feasible {
                    let base = (b * m + r) * n
                    feasible = BoxClipping.clip(lower: &lo, upper: &hi, a: bound.inputCoefficients.data[base..<(base + n)],
                                                c: bound.inputConstant[b * m + r])
                }
                guard feasible else { continue }
                switch exactLeaf(objective.specCase.disjuncts[k], lower: lo, upper: hi, inter: inter, row: b,
                                 unstable: &unstable, deadline: deadline,
                                 inputConstraints: objective.specCase.inputConstraints) {
                case .refuted: continue
                case .counterexample(let x): candidates.append(x); owners.append(b)
                case .open: break
                }
                stillOpen.append(k)
                for j in 0..<n { hullLo[j] = min(hullLo[j], lo[j]); hullHi[j] = max(hullHi[j], hi[j]) }
            }
            open = stillOpen
            guard !open.isEmpty else { continue }
            results[b].open = open
            results[b].openBounds = objective.disjunctBounds(open, lower: bound.lower, row: b)
            results[b].clippedLower = hullLo
            results[b].clippedUpper = hullHi
            for j in 0..<n { score[j] *= hullHi[j] - hullLo[j] }
            candidates.append((0..<n).map { 0.5 * (hullLo[$0] + hullHi[$0]) }); owners.append(b)
            var bestDim: Int?, bestScore = -1.0
            for j in 0..<n where hullHi[j] - hullLo[j] > options.minimumWidth && score[j] > bestScore {
                bestScore = score[j]; bestDim = j
            }
            results[b].splitDimension = bestDim
            results[b].dimensionOrder = (0..<n).filter { hullHi[$0] - hullLo[$0] > options.minimumWidth }.sorted { score[$0] > score[$1] }
            results[b].known = inter.keys.sorted().map { v in
                let row = inter[v]!
                return row.lower.row(b) + row.upper.row(b)
            }
        }
        // The lookahead only refines the choice of split dimension: past the deadline it is skipped, and so
        // when no box will be split (one domain allowed: the whole-box bound of high-dimensional inputs).
        if options.lookaheadDimensions > 0 && options.maxDomains > 1 && Date() < deadline { lookahead(&results, objective: objective, inter: inter, deadline: deadline) }
        if !candidates.isEmpty {
            // With couplings, a corner or centre of the box may lie outside the region: move it in (a proposal only;
            // a counterexample must pass ``SpecCase/contains(_:)`` below).
            let constraints = objective.specCase.inputConstraints
            if !constraints.isEmpty {
                for (i, b) in owners.enumerated() {
                    let d = domains[domains.startIndex + b]
                    candidates[i] = RegionProjection.pulled(candidates[i], box: InputBox(lower: d.lower, upper: d.upper),
                                                            constraints: constraints)
                }
            }
            let y = network.evaluate(Matrix(rowVectors: candidates))
            let margins = objective.margins(y)
            for (i, b) in owners.enumerated() where results[b].counterexample == nil {
                let margin = margins[i]
                // A margin well above zero means no disjunct holds (the tolerance covers BLAS's rounding);
                // any other point gets the exact check, and `run` validates a counterexample once more.
                if margin <= 1e-6 * (1 + abs(margin)), objective.specCase.isViolated(by: y.row(i)),
                   objective.specCase.contains(candidates[i]) {
                    results[b].counterexample = candidates[i]
                }
                if margin < results[b].bestMargin {
                    results[b].bestMargin = margin
                    results[b].bestCandidate = candidates[i]
                }
            }
        }
        return results
    }

    /// Stacks the parents' bounds of the domains that carry them (all or none do).
    private func knownBounds(_ domains: ArraySlice<Domain>) -> [ValueID: IntervalMatrix] {
        guard let first = domains.first, !first.known.isEmpty, domains.allSatisfy({ !$0.known.isEmpty }) else { return [:] }
        var result = [ValueID: IntervalMatrix]()
        for (slot, v) in crown.boundedValues.enumerated() {
            let size = network.size(of: v)
            var lo = [Double](), hi = [Double]()
            for d in domains {
                lo.append(contentsOf: d.known[slot][0..<size])
                hi.append(contentsOf: d.known[slot][size..<(2 * size)])
            }
            result[v] = IntervalMatrix(lower: Matrix(rows: domains.count, cols: size, data: lo),
                                       upper: Matrix(rows: domains.count, cols: size, data: hi))
        }
        return result
    }
}

