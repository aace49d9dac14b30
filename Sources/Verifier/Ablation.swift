import BranchAndBound
import Foundation

/// A search component that benchmarks may switch off, to measure its gain in the same run as the full
/// build: `NNVERIFY_ABLATE=general-branching,bbps` (comma-separated; `NNVERIFY_DISABLE` is an alias, and
/// both are read). Names nnverify does not know are reported on stderr once and ignored, so a typo cannot
/// silently measure the full build twice unnoticed.
public enum Ablation: String, CaseIterable, Sendable {
    /// Branch-and-bound on smooth neurons and products (GenBaB) off: only piecewise-linear neurons split.
    case generalBranching = "general-branching"
    /// Smooth neurons split at the midpoint instead of the pre-optimised table's point.
    case branchingTable = "branching-table"
    /// Smooth and bilinear candidates ranked by their relaxation gap instead of BBPS's estimated gain.
    case bbps
    /// The search for counterexamples inside open activation-split domains (plain PGD from the bound
    /// minimisers instead).
    case domainSearch = "domain-search"
    /// The LP optimum of the worst open domain as a starting point of that search.
    case domainLP = "domain-lp"
    /// Filtered smart branching (the cheap score's best neuron is split instead).
    case fsb
    /// Warm-started GLPK re-solves in the root's LP refinement (a fresh problem per LP instead; only
    /// matters with `NNVERIFY_ENABLE=root-lp`).
    case lpWarmStart = "lp-warm-start"
    /// A case's linear input constraints (VNN-LIB 2.0 couplings) in CROWN's bounds through Lagrange
    /// multipliers (the LP and MILP keep them as rows).
    case crownCouplings = "crown-couplings"
    /// The re-bounding that strengthens nogoods (only matters with `NNVERIFY_ENABLE=nogoods`): refuted
    /// domains' decisions are recorded as they are.
    case nogoodStrengthening = "nogood-strengthening"
    /// Activation split's pull-back products in single precision (double instead).
    case f32Products = "f32-products"
    /// Input split's exact leaves by bound changes on one loaded program (a fresh program per node instead).
    case leafBoundChanges = "leaf-bound-changes"
    /// MILP refinement of the root's intermediate bounds in activation-split search, and the plain search of a
    /// tenth of the time before it (one activation-split search with the whole time instead).
    case rootMILP = "root-milp"
    /// Input split keeps the lookahead's bounds of the halves it chose (both halves queued with their parent's
    /// bounds instead).
    case lookaheadHalves = "lookahead-halves"
    /// The phase branch-and-bounds on one loaded LP (the root MILP refinement's phase searches, input split's
    /// exact leaves) weigh candidate ReLUs by their triangle row's dual (the ReLU farthest from its graph instead).
    case milpDualBranching = "milp-dual-branching"
    /// The root refinement's alpha-CROWN re-optimisation of the later values after each refined value and at its
    /// end (plain CROWN after each value instead, the values not reached keeping the root's bounds).
    case refinementAlpha = "refinement-alpha"
    /// Each node of the phase branch-and-bounds on one loaded LP (the root MILP refinement's phase searches, input
    /// split's exact leaves) starts from its parent's optimal basis (from the basis of the node solved last instead).
    case phaseParentBasis = "phase-parent-basis"
    /// Each side of the root MILP refinement's phase searches starts its root from the previous neuron's root basis of
    /// the same side (from the basis of the node solved last instead: the other side's search of the same neuron).
    case phaseSideBasis = "phase-side-basis"
    /// The root refinement bounds the root again after each value it tightens and ends once the root is refuted
    /// (it runs its whole share instead).
    case refinementCheck = "refinement-check"
    /// The longer root refinement: the plain search first gets a tenth of the time (``VerifierOptions/plainSearchShare``)
    /// and the refinement 70% of what is left (``ActivationSplitOptions/rootMILPShare``); ablated, a fifth and half (the
    /// shares before session 12 of issue 16).
    case longRefinement = "long-refinement"

    func apply(to options: inout VerifierOptions) {
        switch self {
        case .f32Products: options.activationSplit.singlePrecisionProducts = false
        case .generalBranching: options.activationSplit.generalNeurons = false
        case .branchingTable: options.activationSplit.branchingPoints = .midpoint
        case .bbps: options.activationSplit.generalScore = .gap
        case .domainSearch: options.activationSplit.domainSearch = false
        case .domainLP: options.activationSplit.domainLPShare = 0
        case .fsb: options.activationSplit.filteredBranching = 1
        case .lpWarmStart: options.activationSplit.rootLPWarmStart = false
        case .crownCouplings:
            options.inputSplit.lagrangianCouplings = false
            options.inputSplitFallback?.lagrangianCouplings = false
            options.activationSplit.lagrangianCouplings = false
            options.optimisedRoot?.lagrangianCouplings = false
        case .nogoodStrengthening: options.activationSplit.nogoodStrengthening = false
        case .leafBoundChanges:
            options.inputSplit.exactLeafBoundChanges = false
            options.inputSplitFallback?.exactLeafBoundChanges = false
        case .rootMILP: options.activationSplit.rootMILPShare = 0
        case .milpDualBranching:
            options.activationSplit.rootMILPDualBranching = false
            options.inputSplit.exactLeafDualBranching = false
            options.inputSplitFallback?.exactLeafDualBranching = false
        case .refinementAlpha: options.activationSplit.rootRefinementAlpha = false
        case .refinementCheck: options.activationSplit.rootRefinementCheck = false
        case .phaseSideBasis: options.activationSplit.rootMILPSideBasis = false
        case .longRefinement:
            options.plainSearchShare = 0.2
            if options.activationSplit.rootMILPShare > 0 { options.activationSplit.rootMILPShare = 0.5 }
        case .phaseParentBasis:
            options.activationSplit.rootMILPParentBasis = false
            options.inputSplit.exactLeafParentBasis = false
            options.inputSplitFallback?.exactLeafParentBasis = false
        case .lookaheadHalves:
            options.inputSplit.lookaheadHalves = false
            options.inputSplitFallback?.lookaheadHalves = false
        }
    }

    /// The ablations named in `NNVERIFY_ABLATE` and `NNVERIFY_DISABLE`.
    static func fromEnvironment() -> [Ablation] { environmentSwitches(["NNVERIFY_ABLATE", "NNVERIFY_DISABLE"]) }
}

/// A search component that is off by default (measured without a gain) and that benchmarks may switch on:
/// `NNVERIFY_ENABLE=root-lp` (comma-separated; unknown names are reported like ``Ablation``'s).
public enum Enablement: String, CaseIterable, Sendable {
    /// LP refinement of the root's intermediate bounds in activation-split search, within a quarter of
    /// the time left (``ActivationSplitOptions/rootLPShare``).
    case rootLP = "root-lp"
    /// The exact input-split search of small boxes around the domain search's near misses, within a
    /// tenth of the time (``ActivationSplitOptions/boxSearchShare``). Off by default: it found no planted
    /// counterexample the domain search misses (benchmarks/RESULTS.md, issue 16 session 3).
    case boxSearch = "box-search"
    /// Domain clipping in activation-split search (``ActivationSplitOptions/domainClipping``): each domain's
    /// input box cut to where its open disjuncts' linear bounds allow a violation.
    case domainClip = "domain-clip"
    /// Nogoods inferred from refuted activation-split domains (``ActivationSplitOptions/nogoods``): recorded,
    /// strengthened by re-bounding, and used to close or narrow the domains they cover.
    case nogoods
    /// Input split's bulk pull-back products in single precision too (``InputSplitOptions/singlePrecisionProducts``;
    /// activation split uses them by default).
    case f32Products = "f32-products"
    /// Activation-split batches sized from the network (``ActivationSplitOptions/batchWork`` = 2²²) instead of
    /// 32 domains.
    case batchFromSize = "batch-from-size"

    func apply(to options: inout VerifierOptions) {
        switch self {
        case .batchFromSize: options.activationSplit.batchWork = 1 << 22
        case .f32Products:
            options.inputSplit.singlePrecisionProducts = true
            options.inputSplitFallback?.singlePrecisionProducts = true
        case .rootLP:  // in place of the MILP refinement
            options.activationSplit.rootLPShare = 0.25
            options.activationSplit.rootMILPShare = 0
        case .boxSearch: options.activationSplit.boxSearchShare = 0.1
        case .domainClip: options.activationSplit.domainClipping = true
        case .nogoods: options.activationSplit.nogoods = true
        }
    }

    static func fromEnvironment() -> [Enablement] { environmentSwitches(["NNVERIFY_ENABLE"]) }
}

/// The names in the comma-separated environment variables `variables` that `Switch` knows; any other name
/// is reported on stderr once and ignored, so a typo cannot silently measure the same build twice unnoticed.
private func environmentSwitches<Switch: RawRepresentable & CaseIterable>(_ variables: [String]) -> [Switch] where Switch.RawValue == String {
    let environment = ProcessInfo.processInfo.environment
    let text = variables.compactMap { environment[$0] }.joined(separator: ",")
    var out = [Switch]()
    for name in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !name.isEmpty {
        if let s = Switch(rawValue: name) { out.append(s) } else { warnOnce(name, variables[0], Switch.allCases.map(\.rawValue)) }
    }
    return out
}

private let warned = WarnedNames()
private func warnOnce(_ name: String, _ variable: String, _ known: [String]) {
    guard warned.insert(name) else { return }
    FileHandle.standardError.write(Data("warning: \(variable) names unknown component '\(name)' (known: \(known.joined(separator: ", "))); ignored\n".utf8))
}

/// Names already warned about (shared by all threads).
private final class WarnedNames: @unchecked Sendable {
    private let lock = NSLock()
    private var names = Set<String>()
    func insert(_ name: String) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        return names.insert(name).inserted
    }
}
