import Benchmarking
import Foundation
import NNGraph
import Verifier
import VNNLib

/// The verdicts of a split instance's parts turned into one verdict for the original.
///
/// - some part answered `sat` with a counterexample that validates against the ORIGINAL model and
///   property (concrete evaluation, no tolerance) ⇒ `sat` with that counterexample;
/// - every part answered `unsat` ⇒ `unsat` (the parts cover the original, see ``BoxSplit``);
/// - otherwise `timeout` when every undecided part timed out, else `unknown`.
/// A `sat` whose counterexample does not validate counts as undecided and is reported.
public struct SplitMerge: Sendable {
    /// What one part contributed.
    public enum PartOutcome: Sendable, Equatable {
        case unsat
        /// sat with a counterexample that validated against the original.
        case sat(Witness)
        /// sat whose counterexample is missing or does not validate (reason).
        case invalidCounterexample(String)
        /// unknown, timeout or error, as the part's result file says.
        case undecided(Verdict)
        /// The part has no result file (its task did not run or was killed before writing one).
        case missing
    }

    /// The merged verdict.
    public var verdict: Verdict
    /// The counterexample of a `sat` verdict.
    public var witness: Witness?
    /// Each part's name and outcome, in instances.csv order.
    public var parts: [(name: String, outcome: PartOutcome)]

    /// Combines part outcomes (the rules above).
    public init(parts: [(name: String, outcome: PartOutcome)]) {
        self.parts = parts
        if let witness = parts.lazy.compactMap({ if case .sat(let w) = $0.outcome { w } else { nil } }).first {
            verdict = .sat
            self.witness = witness
        } else if parts.allSatisfy({ $0.outcome == .unsat }) {
            verdict = .unsat
        } else {
            verdict = parts.allSatisfy({ $0.outcome == .unsat || $0.outcome == .undecided(.timeout) }) ? .timeout : .unknown
        }
    }

    /// A part's verdict and counterexample checked against the original problem.
    public static func outcome(verdict: Verdict, counterexample: [Double]?, network: Network,
                               specification: Specification) -> PartOutcome {
        switch verdict {
        case .unsat: return .unsat
        case .sat:
            guard let x = counterexample else { return .invalidCounterexample("sat without a counterexample") }
            guard let witness = validateCounterexample(x, network: network, specification: specification) else {
                return .invalidCounterexample("the counterexample does not violate the original property")
            }
            return .sat(witness)
        case .unknown, .timeout, .error: return .undecided(verdict)
        }
    }

    /// Reads the split folder written by ``SplitFolder`` and the parts' result files in `folder/results/`.
    /// - Throws: ``SplitError/badFolder(path:problem:)`` when instances.csv, the model, the original
    ///   property or a result file is unreadable or malformed (a missing result file is `.missing`).
    public init(folder: String) throws(SplitError) {
        let instances: [Instance]
        let original: VerificationProblem
        do {
            instances = try InstanceList.read(path: folder + "/instances.csv")
        } catch {
            throw .badFolder(path: folder, problem: "not a split folder: \(error)")
        }
        do {
            original = try VerificationProblem(modelPath: instances[0].onnxFile, specPath: folder + "/original.vnnlib")
        } catch {
            throw .badFolder(path: folder, problem: "cannot load the original instance: \(error)")
        }
        var parts = [(name: String, outcome: PartOutcome)]()
        for instance in instances {
            let path = SplitFolder.resultPath(folder: folder, vnnlibPath: instance.vnnlibPath)
            let name = URL(fileURLWithPath: instance.vnnlibPath).deletingPathExtension().lastPathComponent
            guard FileManager.default.fileExists(atPath: path) else {
                parts.append((name, .missing))
                continue
            }
            do {
                // Hidden-node parts are VNN-LIB 2.0 queries, whose result files follow the 2.0 standard.
                let query = (try? String(contentsOfFile: instance.vnnlibFile, encoding: .utf8))?.contains("(vnnlib-version") ?? false
                let result = query ? try QueryResultFile.parse(String(contentsOfFile: path, encoding: .utf8), file: path)
                    : try ResultFile.read(path: path)
                parts.append((name, Self.outcome(verdict: result.verdict, counterexample: result.witness?.input,
                                                        network: original.network, specification: original.specification)))
            } catch {
                throw .badFolder(path: folder, problem: "malformed result file (refusing to merge): \(error)")
            }
        }
        self.init(parts: parts)
    }
}
