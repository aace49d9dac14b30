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
    /// The exact input-split search of small boxes around the domain search's end points.
    case boxSearch = "box-search"

    func apply(to options: inout VerifierOptions) {
        switch self {
        case .generalBranching: options.activationSplit.generalNeurons = false
        case .branchingTable: options.activationSplit.branchingPoints = .midpoint
        case .bbps: options.activationSplit.generalScore = .gap
        case .domainSearch: options.activationSplit.domainSearch = false
        case .domainLP: options.activationSplit.domainLPShare = 0
        case .fsb: options.activationSplit.filteredBranching = 1
        case .boxSearch: options.activationSplit.boxSearchShare = 0
        }
    }

    /// The ablations named in `NNVERIFY_ABLATE` and `NNVERIFY_DISABLE`.
    static func fromEnvironment() -> [Ablation] {
        let environment = ProcessInfo.processInfo.environment
        let text = [environment["NNVERIFY_ABLATE"], environment["NNVERIFY_DISABLE"]].compactMap { $0 }.joined(separator: ",")
        var out = [Ablation]()
        for name in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !name.isEmpty {
            if let a = Ablation(rawValue: name) { out.append(a) } else { warnOnce(name) }
        }
        return out
    }

    private static let warned = WarnedNames()
    private static func warnOnce(_ name: String) {
        guard warned.insert(name) else { return }
        let known = allCases.map(\.rawValue).joined(separator: ", ")
        FileHandle.standardError.write(Data("warning: NNVERIFY_ABLATE names unknown component '\(name)' (known: \(known)); ignored\n".utf8))
    }
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
