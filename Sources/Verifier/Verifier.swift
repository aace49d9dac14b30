import Attacks
import BranchAndBound
import Foundation
import LinearAlgebra
import LPBounds
import NNGraph
import VNNLib

/// Options of a verification run.
public struct VerifierOptions: Sendable {
    /// Wall-clock budget in seconds for the whole run.
    public var timeout: Double = 60
    /// BLAS threads for this run (nil: two for activation splits, whose batches are large BLAS
    /// products, one for input splits, which run their own threads). The setting is process-wide:
    /// runs that share the process with other verifications (`bench`/`report --jobs` above 1) set 1,
    /// so that no run changes the threads of another mid-product.
    public var blasThreads: Int?
    /// Share of the budget the falsification stage (PGD) may use before bounding starts.
    public var attackShare: Double = 0.1
    /// PGD settings of the falsification stage.
    public var attack = SpecPGDOptions()
    /// Input-split branch-and-bound settings of the first attempt (default: the adaptive ReLU
    /// relaxation only, which is fastest on most ACAS Xu instances).
    public var inputSplit: InputSplitOptions = {
        var o = InputSplitOptions()
        o.relaxationVariants = false
        return o
    }()
    /// Settings of the second attempt, run on a case the first one left open after its share of the
    /// time (default: both ReLU relaxations, best per bound, also when ranking splits; rescues cases
    /// where the adaptive slope alone is loose). Nil: no second attempt.
    public var inputSplitFallback: InputSplitOptions? = {
        var o = InputSplitOptions()
        o.relaxationVariants = true
        o.rankWithVariants = true
        return o
    }()
    /// Share of the remaining time the first attempt gets when a fallback is set.
    public var firstAttemptShare: Double = 0.1
    /// Input-split branch-and-bound runs when at most this many inputs have a non-zero range; above
    /// it, splitting one input at a time cannot pay off: piecewise-linear networks get activation splits, others
    /// a CROWN bound of the whole box, then an alpha-CROWN bound (``optimisedRoot``), then further PGD
    /// restarts for the rest of the budget.
    public var inputSplitMaxDimension: Int = 32
    /// The alpha-CROWN bound of the whole box tried when CROWN's did not decide a case on a network
    /// with many inputs that activation splits do not apply to (nil: skip it).
    public var optimisedRoot: OptimisedRootBoundOptions? = OptimisedRootBoundOptions()
    /// Share of the remaining time that bound may take (the rest is left to PGD).
    public var optimisedRootShare: Double = 0.9
    /// When that bound leaves a case open (smooth activations or products, many inputs), the share of the
    /// time left for branch-and-bound on general neurons (``ActivationSplitOptions/generalNeurons``;
    /// the rest goes to PGD).
    public var generalBranchingShare: Double = 0.7
    /// With MILP refinement of the root's bounds (``ActivationSplitOptions/rootMILPShare`` > 0), the share of the
    /// time left that a plain activation-split search gets first; a case it leaves open is searched again from a
    /// MILP-refined root for the rest. 0: the refined search only. A tenth: with the refinement ending once its root
    /// is refuted (``ActivationSplitOptions/rootRefinementCheck``), a longer refinement decided more than a longer
    /// plain search (benchmarks/RESULTS.md, issue 16 session 12).
    public var plainSearchShare: Double = 0.1
    /// How cases are decided after the attack (see ``VerificationMethod``).
    public var method: VerificationMethod = .automatic
    /// Activation-split branch-and-bound settings; MILP refinement of the root's bounds on
    /// (``ActivationSplitOptions/rootMILPShare`` = 0.7, after the plain search's ``plainSearchShare``).
    public var activationSplit: ActivationSplitOptions = {
        var o = ActivationSplitOptions()
        o.rootMILPShare = 0.7
        return o
    }()

    /// The defaults, with the components named in the environment variable `NNVERIFY_ABLATE` (or its
    /// alias `NNVERIFY_DISABLE`) switched off (``Ablation``) and those named in `NNVERIFY_ENABLE` switched on
    /// (``Enablement``; for benchmarks that compare a build with and without a component in one run).
    public init() {
        for enablement in Enablement.fromEnvironment() { enablement.apply(to: &self) }
        for ablation in Ablation.fromEnvironment() { ablation.apply(to: &self) }
    }
}

/// The complete search that follows the attack stage.
public enum VerificationMethod: String, Sendable, CaseIterable {
    /// Input split when at most ``VerifierOptions/inputSplitMaxDimension`` inputs are free; else
    /// activation split for piecewise-linear networks; else a CROWN and then an alpha-CROWN bound of the whole
    /// box, then more PGD.
    case automatic = "auto"
    /// Split input intervals (suits few inputs, e.g. ACAS Xu).
    case inputSplit = "input-split"
    /// Split piecewise-linear activations at their breakpoints with alpha/beta-CROWN bounds (suits many inputs, e.g. MNIST).
    case activationSplit = "activation-split"
    /// Exact mixed-integer program (big-M on CROWN bounds, GLPK) per case; piecewise-linear networks
    /// only, practical for small ones.
    case milp
}

/// Runs the verification pipeline on one network and specification under one time budget:
/// falsification by PGD on every case, then input-split branch-and-bound with CROWN bounds case by
/// case. `sat` is reported only with a witness that ``validateCounterexample(_:network:specification:)``
/// accepted; `unsat` only when every case was refuted by sound bounds.
public struct Verifier: Sendable {
    public var options: VerifierOptions

    public init(options: VerifierOptions = VerifierOptions()) { self.options = options }

    /// Runs the pipeline; a `sat` witness then gets float32 coordinates the 2026 checker accepts
    /// where the input set holds such a point (``Float32Witness/choose(_:network:specification:)``).
    public func verify(network: Network, specification: Specification) -> VerificationResult {
        var result = search(network: network, specification: specification)
        if let witness = result.witness {
            result.witness = Float32Witness.choose(witness, network: network, specification: specification)
        }
        return result
    }

    func search(network: Network, specification: Specification) -> VerificationResult {
        let start = Date()
        let deadline = start.addingTimeInterval(options.timeout)
        func elapsed() -> Double { Date().timeIntervalSince(start) }

        // 1. Falsification.
        options.progress?.stage("attack (PGD)")
        let attackDeadline = start.addingTimeInterval(options.timeout * options.attackShare)
        for (i, specCase) in specification.cases.enumerated() {
            var attack = options.attack
            attack.seed = options.attack.seed &+ UInt64(i)
            if let x = specPGD(network, specCase, options: attack, deadline: attackDeadline),
               let witness = validateCounterexample(x, network: network, specification: specification) {
                return VerificationResult(verdict: .sat, witness: witness, seconds: elapsed(), decidedBy: "attack (PGD)")
            }
        }

        // 2. Bounds and branch-and-bound, case by case.
        let freeDimensions = specification.cases.map { c in zip(c.box.lower, c.box.upper).filter { $0 < $1 }.count }.max() ?? 0
        let highDimensional = freeDimensions > options.inputSplitMaxDimension
        let method = chosenMethod(network: network, highDimensional: highDimensional)
        var attempts = [options.inputSplit] + (highDimensional ? [] : [options.inputSplitFallback].compactMap { $0 })
        if highDimensional && method == .automatic { attempts[0].maxDomains = 1 }
        let babs = attempts.map { InputSplitBranchAndBound(network: network, options: $0) }
        // MILP refinement of the root is for piecewise-linear networks only (``escalatingActivationSplit``);
        // the branching on general neurons below runs without it.
        var plainActivationSplit = options.activationSplit
        plainActivationSplit.rootMILPShare = 0
        let activationBaB = ActivationSplitBranchAndBound(network: network, options: plainActivationSplit)
        // The searches check the resident-memory limit after every batch (``SearchProgress``); the MILP and
        // the alpha-CROWN bound have no batches, so they ask this (spaced reads of /proc) as they go.
        let memoryStop = options.progress?.memoryLimit.map { ResidentMemoryStop(limit: $0) }
        let stop: (@Sendable () -> String?)? = memoryStop == nil ? nil : { @Sendable in memoryStop?.check() }
        var rootOptions = options.optimisedRoot
        rootOptions?.stop = stop
        let optimisedRoot = highDimensional && method == .automatic
            ? rootOptions.map { OptimisedRootBound(network: network, options: $0) } : nil
        var decidedByOptimisedRoot = false, decidedByGeneralBranching = false
        // Input split parallelises over domains; activation split bounds one large batch with BLAS threads.
        Matrix.setBLASThreads(Self.blasThreads(method: method, options: options))
        var stats = BranchAndBoundStatistics()
        var undecided: String?
        for (index, specCase) in specification.cases.enumerated() {
            func stage(_ name: String) {
                options.progress?.stage(specification.cases.count == 1 ? name : "\(name), case \(index + 1)/\(specification.cases.count)")
            }
            var outcome = BranchAndBoundOutcome.timeout
            stage(method == .milp ? "MILP" : method == .activationSplit ? "activation split"
                  : attempts[0].maxDomains == 1 ? "CROWN bound" : "input split")
            if method == .milp {
                outcome = Self.milp(network, specCase, deadline: deadline, stop: stop, statistics: &stats)
            } else if method == .activationSplit {
                outcome = escalatingActivationSplit(activationBaB, network: network, specCase, deadline: deadline,
                                                    statistics: &stats, stage: stage)
            } else {
                for (k, bab) in babs.enumerated() {
                    let last = k == babs.count - 1
                    let share = last ? 1 : options.firstAttemptShare
                    let attemptDeadline = Date().addingTimeInterval(max(0, deadline.timeIntervalSinceNow) * share)
                    if k > 0 { stage("input split (second attempt)") }
                    outcome = bab.run(specCase, deadline: attemptDeadline, statistics: &stats)
                    if case .verified = outcome { break }
                    if case .counterexample = outcome { break }
                }
                if case .unknown = outcome, let root = optimisedRoot {
                    stage("alpha-CROWN bound")
                    let rootDeadline = Date().addingTimeInterval(max(0, deadline.timeIntervalSinceNow) * options.optimisedRootShare)
                    outcome = root.run(specCase, deadline: rootDeadline)
                    if case .timeout = outcome { outcome = .unknown(reason: "the alpha-CROWN bound ran out of its share of the time") }
                    if case .verified = outcome { decidedByOptimisedRoot = true }
                }
                // Smooth activations and products (no complete search): branch on general neurons with
                // a share of the time left, then PGD below.
                if case .unknown = outcome, optimisedRoot != nil, options.activationSplit.generalNeurons {
                    if let why = stop?() {
                        outcome = .unknown(reason: why)  // over the memory limit: no further search is started
                    } else {
                        let share = Date().addingTimeInterval(max(0, deadline.timeIntervalSinceNow) * options.generalBranchingShare)
                        var general = BranchAndBoundStatistics()
                        stage("branching on general neurons")
                        outcome = activationBaB.run(specCase, deadline: share, statistics: &general)
                        stats.domainsBounded += general.domainsBounded
                        stats.batches += general.batches
                        stats.maxQueue = max(stats.maxQueue, general.maxQueue)
                        if case .timeout = outcome { outcome = .unknown(reason: "branching on general neurons ran out of its share of the time") }
                        if case .verified = outcome { decidedByGeneralBranching = true }
                    }
                }
            }
            switch outcome {
            case .verified:
                continue
            case .counterexample(let x):
                if let witness = validateCounterexample(x, network: network, specification: specification) {
                    return VerificationResult(verdict: .sat, witness: witness, seconds: elapsed(),
                                              decidedBy: method == .milp ? "MILP" : "branch-and-bound", statistics: Self.describe(stats))
                }
                undecided = "a candidate counterexample failed validation"
            case .unknown(let reason):
                undecided = reason
                if highDimensional, method != .activationSplit { stage("attack (PGD, after bounds)") }
                if highDimensional, method != .activationSplit,
                   let x = keepAttacking(network, specCase, until: deadline),
                   let witness = validateCounterexample(x, network: network, specification: specification) {
                    return VerificationResult(verdict: .sat, witness: witness, seconds: elapsed(),
                                              decidedBy: "attack (PGD, after bounds)", statistics: Self.describe(stats))
                }
            case .timeout:
                return VerificationResult(verdict: .timeout, seconds: elapsed(), decidedBy: "deadline",
                                          statistics: Self.describe(stats))
            }
        }
        if let reason = undecided {
            return VerificationResult(verdict: .unknown, seconds: elapsed(), decidedBy: reason, statistics: Self.describe(stats))
        }
        return VerificationResult(verdict: .unsat, seconds: elapsed(),
                                  decidedBy: method == .milp ? "MILP, certified by \(stats.domainsBounded) proven LP node(s)"
                                      : stats.domainsBounded <= specification.cases.count
                                      ? (method == .activationSplit || decidedByOptimisedRoot ? "bounds (alpha-CROWN)" : "bounds (CROWN)")
                                      : (method == .activationSplit ? "branch-and-bound (activation split)"
                                         : decidedByGeneralBranching ? "branch-and-bound (general neurons)" : "branch-and-bound (input split)"),
                                  statistics: Self.describe(stats))
    }

    /// The search to run: the user's choice, or for ``VerificationMethod/automatic`` input split on
    /// few free inputs, activation split on piecewise-linear networks, else `.automatic` (root bound and PGD).
    func chosenMethod(network: Network, highDimensional: Bool) -> VerificationMethod {
        guard options.method == .automatic else { return options.method }
        if !highDimensional { return .inputSplit }
        return ActivationSplitBranchAndBound.applies(to: network) ? .activationSplit : .automatic
    }

    /// One case decided by ``MILPVerifier`` (the caller validates a counterexample again). The
    /// certification's LP nodes count as domains bounded, its largest stack as the largest queue.
    static func milp(_ network: Network, _ specCase: SpecCase, deadline: Date, stop: (@Sendable () -> String?)? = nil,
                     statistics: inout BranchAndBoundStatistics) -> BranchAndBoundOutcome {
        do {
            var milpOptions = MILPVerifier.Options()
            milpOptions.stop = stop
            let decision = try MILPVerifier(network: network, options: milpOptions).decide(specCase, deadline: deadline)
            statistics.domainsBounded += decision.certificationNodes
            statistics.maxQueue = max(statistics.maxQueue, decision.largestStack)
            switch decision.verdict {
            case .violated(let x): return .counterexample(x)
            case .holds: return .verified
            case .unknown(let reason):
                if let why = stop?() { return .unknown(reason: "MILP: \(why)") }
                return Date() >= deadline ? .timeout : .unknown(reason: "MILP: \(reason)")
            }
        } catch {
            return .unknown(reason: "MILP: \(error)")
        }
    }

    /// The BLAS threads a run uses: ``VerifierOptions/blasThreads``, else two for activation splits and
    /// one otherwise (input splits run their own threads).
    static func blasThreads(method: VerificationMethod, options: VerifierOptions) -> Int {
        options.blasThreads ?? (method == .activationSplit ? 2 : 1)
    }

    /// Further PGD rounds with fresh random starts until the deadline (at most 50 rounds).
    private func keepAttacking(_ network: Network, _ specCase: SpecCase, until deadline: Date) -> [Double]? {
        var attack = options.attack
        for round in 1...50 where Date() < deadline {
            attack.seed = options.attack.seed &+ UInt64(1000 * round)
            if let x = specPGD(network, specCase, options: attack, deadline: deadline) { return x }
        }
        return nil
    }

    static func describe(_ s: BranchAndBoundStatistics) -> [(String, String)] {
        var out = [("domains bounded", "\(s.domainsBounded)"), ("batches", "\(s.batches)"), ("largest queue", "\(s.maxQueue)")]
        if let tables = BranchingPointTables.shared.buildTimes() { out.append(("branching-point tables built in this process", tables)) }
        out += s.notes.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        return out
    }
}
