import BranchAndBound
import Foundation

/// A search component that benchmarks may switch off, to measure its gain in the same run as the full
/// build: `NNVERIFY_ABLATE=general-branching,bbps` (comma-separated). Names nnverify does not know are
/// reported on stderr once and ignored, so a typo cannot silently measure the full build twice unnoticed.
public enum Ablation: String, CaseIterable, Sendable {
    /// Branch-and-bound on smooth neurons and products (GenBaB) off: only piecewise-linear neurons split.
    case generalBranching = "general-branching"
    /// Smooth neurons split at the midpoint instead of the pre-optimised table's point.
    case branchingTable = "branching-table"
    /// Smooth and bilinear candidates ranked by their relaxation gap instead of BBPS's estimated gain.
    case bbps

    func apply(to options: inout VerifierOptions) {
        switch self {
        case .generalBranching: options.activationSplit.generalNeurons = false
        case .branchingTable: options.activationSplit.branchingPoints = .midpoint
        case .bbps: options.activationSplit.generalScore = .gap
        }
    }

    /// The ablations named in `NNVERIFY_ABLATE`.
    static func fromEnvironment() -> [Ablation] {
        guard let text = ProcessInfo.processInfo.environment["NNVERIFY_ABLATE"], !text.isEmpty else { return [] }
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
