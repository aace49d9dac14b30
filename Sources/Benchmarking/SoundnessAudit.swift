import Verifier

/// Checks of one instance's answer that do not trust the verifier: the suite's known counterexample
/// (if it ships one) and the verifier's own counterexample, each re-validated by concrete evaluation
/// of the model and property loaded afresh from the instance's files.
///
/// A known witness that validates proves the instance `sat` whatever `expected.csv` says, so an
/// `unsat` verdict on it is a soundness error. A `sat` verdict whose counterexample is missing or
/// fails validation is an invalid counterexample. Both fail a benchmark run.
public struct SoundnessAudit: Sendable, Equatable {
    /// What became of the suite's known counterexample for the instance.
    public enum KnownWitness: Sendable, Equatable {
        /// The suite has no witness file for the instance.
        case none
        /// The witness file's input lies in the input set and the model's output there violates the
        /// property: the instance is `sat`.
        case valid
        /// The witness file exists but is malformed or does not validate (reason given). The
        /// ground truth then comes from `expected.csv` alone.
        case invalid(reason: String)
    }

    /// What became of the verifier's counterexample.
    public enum Counterexample: Sendable, Equatable {
        /// The verdict is not `sat`.
        case notApplicable
        /// Re-validation accepted it.
        case valid
        /// No counterexample came with the `sat` verdict, or it failed re-validation (reason given).
        case invalid(reason: String)
    }

    /// The suite's known counterexample.
    public var knownWitness: KnownWitness
    /// The verifier's counterexample.
    public var counterexample: Counterexample
    /// The verifier's counterexample under the VNN-COMP 2026 float32 check (``float32Status(_:network:specification:)``),
    /// nil when there is no counterexample to check.
    public var float32: Float32Check?

    /// Creates an audit result.
    public init(knownWitness: KnownWitness = .none, counterexample: Counterexample = .notApplicable, float32: Float32Check? = nil) {
        self.knownWitness = knownWitness
        self.counterexample = counterexample
        self.float32 = float32
    }

    /// Audits `result` on `instance`: loads the model and property only when there is something
    /// to check (a witness file, or a `sat` verdict).
    public static func audit(instance: Instance, result: VerificationResult) -> SoundnessAudit {
        var audit = SoundnessAudit()
        let witnessPath = WitnessFiles.witnessPath(for: instance)
        let hasWitnessFile = InstanceList.isRegularFile(witnessPath)
        guard hasWitnessFile || result.verdict == .sat else { return audit }
        let problem: VerificationProblem
        do {
            problem = try instance.problem()
        } catch {
            let reason = "cannot load the instance to re-validate: \(error)"
            if hasWitnessFile { audit.knownWitness = .invalid(reason: reason) }
            if result.verdict == .sat { audit.counterexample = .invalid(reason: reason) }
            return audit
        }
        if hasWitnessFile {
            audit.knownWitness = check(knownWitnessAt: witnessPath, problem: problem)
        }
        if result.verdict == .sat {
            if let witness = result.witness {
                audit.float32 = float32Status(witness.input, network: problem.network, specification: problem.specification)
                audit.counterexample = validateCounterexample(witness.input, network: problem.network,
                                                              specification: problem.specification) != nil
                    ? .valid
                    : .invalid(reason: "the counterexample fails re-validation: \(reason(witness.input, problem))")
            } else {
                audit.counterexample = .invalid(reason: "sat was answered without a counterexample")
            }
        }
        return audit
    }

    /// Reads and validates the witness file at `path`.
    static func check(knownWitnessAt path: String, problem: VerificationProblem) -> KnownWitness {
        let witness: Witness
        do {
            witness = try ResultFile.readWitness(path: path)
        } catch {
            return .invalid(reason: "\(error)")
        }
        guard validateCounterexample(witness.input, network: problem.network, specification: problem.specification) != nil else {
            return .invalid(reason: "\(path): the known counterexample does not validate: \(reason(witness.input, problem))")
        }
        return .valid
    }

    /// Why `x` is not a counterexample: wrong size, not finite, outside every input box, or the
    /// output there satisfies the property.
    static func reason(_ x: [Double], _ problem: VerificationProblem) -> String {
        let network = problem.network
        guard x.count == network.inputSize else { return "it has \(x.count) inputs, the model \(network.inputSize)" }
        guard x.allSatisfy(\.isFinite) else { return "it holds a non-finite input" }
        let cases = problem.specification.cases.filter { $0.contains(x) }
        guard !cases.isEmpty else { return "the input lies outside every input box of the property" }
        guard let y = try? network.evaluate(x), y.allSatisfy(\.isFinite) else { return "the model's output there is not finite" }
        return "the model's output there, \(y.map { "\($0)" }.joined(separator: ", ")), does not violate the property"
    }
}
