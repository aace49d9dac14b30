/// The answer to "does the network violate the property?" in VNN-COMP terms.
public enum Verdict: String, Sendable, CaseIterable, Codable {
    /// A counterexample exists (and was validated by concrete evaluation).
    case sat
    /// Proven: no input in the input set reaches the unsafe output set.
    case unsat
    /// Neither proven nor falsified.
    case unknown
    /// The time budget ran out.
    case timeout
    /// Bad input or internal failure.
    case error

    /// Process exit status documented for `nnverify verify`: 0 unsat, 10 sat, 20 unknown/timeout, 1 error.
    public var exitCode: Int32 {
        switch self {
        case .unsat: return 0
        case .sat: return 10
        case .unknown, .timeout: return 20
        case .error: return 1
        }
    }
}

/// A validated counterexample: an input inside the specification's input set and the network's
/// output there, which lies in the unsafe output set.
public struct Witness: Sendable, Equatable {
    public var input: [Double]
    public var output: [Double]
    /// How the witness fares under the VNN-COMP 2026 float32 checker (nil: not checked).
    public var float32: Float32Check?

    public init(input: [Double], output: [Double], float32: Float32Check? = nil) {
        self.input = input
        self.output = output
        self.float32 = float32
    }
}

/// What a verification run produced.
public struct VerificationResult: Sendable {
    public var verdict: Verdict
    public var witness: Witness?
    /// Wall-clock seconds spent.
    public var seconds: Double
    /// Which stage decided (e.g. "attack", "bounds", "branch-and-bound").
    public var decidedBy: String
    /// Free-form statistics for the human summary (e.g. "domains": 1234).
    public var statistics: [(String, String)]

    public init(verdict: Verdict, witness: Witness? = nil, seconds: Double, decidedBy: String, statistics: [(String, String)] = []) {
        self.verdict = verdict
        self.witness = witness
        self.seconds = seconds
        self.decidedBy = decidedBy
        self.statistics = statistics
    }

    /// The VNN-COMP result file text: the verdict on the first line; after `sat`, the witness as
    /// `((X_0 v)` … `(Y_0 v))` lines with full precision.
    public var resultFileText: String {
        var text = verdict.rawValue + "\n"
        guard verdict == .sat, let w = witness else { return text }
        var lines = [String]()
        for (i, v) in w.input.enumerated() { lines.append("(X_\(i) \(v))") }
        for (j, v) in w.output.enumerated() { lines.append("(Y_\(j) \(v))") }
        if !lines.isEmpty {
            lines[0] = "(" + lines[0]
            lines[lines.count - 1] += ")"
        }
        text += lines.joined(separator: "\n") + "\n"
        return text
    }
}
