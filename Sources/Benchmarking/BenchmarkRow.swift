import Verifier

/// One line of benchmark results: `onnx,vnnlib,verdict,seconds,expected,correct`.
public struct BenchmarkRow: Sendable, Equatable {
    /// The ONNX path as written in `instances.csv`.
    public var onnx: String
    /// The VNN-LIB path as written in `instances.csv`.
    public var vnnlib: String
    /// The verifier's answer.
    public var verdict: Verdict
    /// Wall-clock seconds for the instance.
    public var seconds: Double
    /// The ground truth, or `nil` when none was given for this instance.
    public var expected: ExpectedVerdict?
    /// A note for people (e.g. why the runner reported `error`); not part of the results CSV.
    public var detail: String
    /// The independent checks of the known and the returned counterexample (none by default).
    public var audit: SoundnessAudit

    /// Creates a row.
    public init(onnx: String, vnnlib: String, verdict: Verdict, seconds: Double, expected: ExpectedVerdict?,
                detail: String = "", audit: SoundnessAudit = SoundnessAudit()) {
        self.onnx = onnx
        self.vnnlib = vnnlib
        self.verdict = verdict
        self.seconds = seconds
        self.expected = expected
        self.detail = detail
        self.audit = audit
    }

    /// The truth the verdict is scored against: `sat` when the suite's known counterexample
    /// validates (whatever `expected.csv` says), else `expected`.
    public var groundTruth: ExpectedVerdict? {
        audit.knownWitness == .valid ? .sat : expected
    }

    /// How the answer is scored against the ground truth.
    public enum Outcome: Sendable, Equatable {
        /// sat/unsat agreeing with a sat/unsat ground truth.
        case confirmed
        /// sat/unsat where the ground truth is `unknown` or absent: counted as solved, not confirmed.
        case unconfirmed
        /// sat where the ground truth is unsat.
        case wrongSat
        /// unsat where the ground truth is sat: a soundness error.
        case unsound
        /// sat with a counterexample that is missing or fails re-validation.
        case invalidCounterexample
        /// unknown or timeout.
        case unsolved
        /// error.
        case failed
    }

    /// The scoring category of this row.
    public var outcome: Outcome {
        if verdict == .sat, case .invalid = audit.counterexample { return .invalidCounterexample }
        switch (verdict, groundTruth) {
        case (.unknown, _), (.timeout, _): return .unsolved
        case (.error, _): return .failed
        case (.sat, .unsat?): return .wrongSat
        case (.unsat, .sat?): return .unsound
        case (.sat, .sat?), (.unsat, .unsat?): return .confirmed
        case (.sat, _), (.unsat, _): return .unconfirmed
        }
    }

    /// `true` when sat/unsat matches the ground truth, `false` when it contradicts it, `nil` when
    /// there is nothing to compare (no sat/unsat answer, or ground truth unknown/absent).
    public var correct: Bool? {
        switch outcome {
        case .confirmed: return true
        case .wrongSat, .unsound, .invalidCounterexample: return false
        case .unconfirmed, .unsolved, .failed: return nil
        }
    }

    /// The `correct` column text: `yes`, `no` or empty.
    public var correctText: String {
        switch correct {
        case true?: return "yes"
        case false?: return "no"
        case nil: return ""
        }
    }

    /// The `expected` column text: `sat`, `unsat`, `unknown` or empty (the ground truth, so `sat`
    /// where a known counterexample validates).
    public var expectedText: String { groundTruth?.rawValue ?? "" }

    /// The `float32` column text: the VNN-COMP 2026 float32 check of the returned counterexample
    /// (`pass`, `pass-float32-compare`, `no-float32-point`, `fail`), empty when there is none.
    public var float32Text: String { audit.float32?.rawValue ?? "" }
}
