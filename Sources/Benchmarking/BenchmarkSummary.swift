import Foundation
import Verifier

/// Totals over a list of benchmark rows, with VNN-COMP scoring.
///
/// Every row falls in exactly one of: solved (sat/unsat not contradicted by the ground truth),
/// unknown/timeout, errors, wrong (contradicted). So `instances == solved + unknownOrTimeout +
/// errors + wrong`. Score: +10 per solved answer, -150 per wrong one, 0 otherwise (VNN-COMP).
public struct BenchmarkSummary: Sendable, Equatable {
    /// Number of rows.
    public var instances: Int
    /// sat/unsat answers not contradicted by the ground truth.
    public var solved: Int
    /// Solved with verdict sat.
    public var sat: Int
    /// Solved with verdict unsat.
    public var unsat: Int
    /// Solved where the ground truth is unknown or absent (part of `solved`).
    public var unconfirmed: Int
    /// Verdict unknown or timeout.
    public var unknownOrTimeout: Int
    /// Verdict error.
    public var errors: Int
    /// sat/unsat answers contradicting the ground truth.
    public var wrong: Int
    /// The wrong rows in input order: soundness errors (unsat where sat is expected or a known
    /// counterexample validates) first, then invalid counterexamples, then wrong sat answers.
    public var wrongRows: [BenchmarkRow]
    /// The number of soundness errors (the first entries of `wrongRows`).
    public var soundnessErrors: Int
    /// The number of sat answers whose counterexample is missing or fails re-validation (they
    /// follow the soundness errors in `wrongRows`).
    public var invalidCounterexamples: Int
    /// Rows whose suite witness file exists but does not validate (the suite, not the verifier, is
    /// at fault; scoring falls back to `expected.csv`).
    public var invalidKnownWitnesses: [BenchmarkRow]
    /// Sum of seconds over all rows.
    public var totalSeconds: Double
    /// Sum of seconds over solved rows (the "total s (solved)" of the VNN-COMP tables).
    public var solvedSeconds: Double
    /// Median seconds of solved rows (mean of the two middle values for an even count); `nil` if none.
    public var medianSolvedSeconds: Double?
    /// VNN-COMP points: 10 * solved - 150 * wrong.
    public var score: Int
    /// The float32 checks of the returned counterexamples, in row order (rows without one skipped).
    public var float32Checks: [Float32Check]

    /// Points per solved instance.
    public static let pointsPerSolved = 10
    /// Points (negative) per wrong answer.
    public static let pointsPerWrong = -150

    /// Computes the totals of `rows`.
    public init(rows: [BenchmarkRow]) {
        instances = rows.count
        float32Checks = rows.compactMap(\.audit.float32)
        var solvedTimes = [Double]()
        var unsound = [BenchmarkRow](), invalid = [BenchmarkRow](), wrongSat = [BenchmarkRow]()
        invalidKnownWitnesses = rows.filter { if case .invalid = $0.audit.knownWitness { return true } else { return false } }
        sat = 0; unsat = 0; unconfirmed = 0; unknownOrTimeout = 0; errors = 0
        totalSeconds = 0
        for row in rows {
            totalSeconds += row.seconds
            switch row.outcome {
            case .confirmed, .unconfirmed:
                solvedTimes.append(row.seconds)
                if row.verdict == .sat { sat += 1 } else { unsat += 1 }
                if row.outcome == .unconfirmed { unconfirmed += 1 }
            case .unsound: unsound.append(row)
            case .invalidCounterexample: invalid.append(row)
            case .wrongSat: wrongSat.append(row)
            case .unsolved: unknownOrTimeout += 1
            case .failed: errors += 1
            }
        }
        solved = solvedTimes.count
        wrongRows = unsound + invalid + wrongSat
        wrong = wrongRows.count
        soundnessErrors = unsound.count
        invalidCounterexamples = invalid.count
        solvedSeconds = solvedTimes.reduce(0, +)
        medianSolvedSeconds = Self.median(solvedTimes)
        score = Self.pointsPerSolved * solved + Self.pointsPerWrong * wrong
    }

    /// `true` when any answer contradicts the ground truth (the run must fail loudly).
    public var hasWrongVerdicts: Bool { wrong > 0 }

    /// One line, e.g. `186 instances: 186 solved (47 sat, 139 unsat), 0 unknown/timeout, 0 errors,
    /// 0 wrong; total 123.40 s, median 0.30 s; score 1860`. Solved answers without ground truth and
    /// soundness errors are added in parentheses when there are any.
    public var line: String {
        var solvedPart = "\(solved) solved (\(sat) sat, \(unsat) unsat"
        if unconfirmed > 0 { solvedPart += "; \(unconfirmed) without ground truth" }
        solvedPart += ")"
        var wrongPart = "\(wrong) wrong"
        let kinds = [(soundnessErrors, "SOUNDNESS"), (invalidCounterexamples, "INVALID COUNTEREXAMPLE")].filter { $0.0 > 0 }
        if !kinds.isEmpty { wrongPart += " (" + kinds.map { "\($0.0) \($0.1)" }.joined(separator: ", ") + ")" }
        let median = medianSolvedSeconds.map { "\(Self.formatSeconds($0)) s" } ?? "n/a"
        return "\(instances) instances: \(solvedPart), \(unknownOrTimeout) unknown/timeout, \(errors) errors, \(wrongPart); "
            + "total \(Self.formatSeconds(totalSeconds)) s, median \(median); score \(score)"
    }

    /// The summary for people: one line per soundness error first, then one per invalid
    /// counterexample, then one per wrong sat, then a warning per suite witness that does not
    /// validate, then `line`. Each text line ends with a newline.
    public var text: String {
        var lines = [String]()
        for row in wrongRows {
            let instance = "\(row.onnx) \(row.vnnlib)"
            switch row.outcome {
            case .unsound:
                let why = row.audit.knownWitness == .valid ? " (a known counterexample validates)" : ""
                lines.append("SOUNDNESS ERROR: unsat on \(instance), expected sat\(why)")
            case .invalidCounterexample:
                let reason: String
                if case .invalid(let r) = row.audit.counterexample { reason = r } else { reason = "" }
                lines.append("INVALID COUNTEREXAMPLE: sat on \(instance): \(reason)")
            default:
                lines.append("WRONG: \(row.verdict.rawValue) on \(instance), expected \(row.expectedText)")
            }
        }
        for row in invalidKnownWitnesses {
            if case .invalid(let reason) = row.audit.knownWitness {
                lines.append("WARNING: suite witness for \(row.onnx) \(row.vnnlib) is not a counterexample: \(reason)")
            }
        }
        if let float32 = float32Line { lines.append(float32) }
        lines.append(line)
        return lines.map { $0 + "\n" }.joined()
    }

    /// How the returned counterexamples fare under the VNN-COMP 2026 float32 check, e.g.
    /// `float32 check of 47 counterexamples: 47 pass, 0 no-float32-point, 0 fail`; nil when no row has one.
    public var float32Line: String? {
        let checks = float32Checks
        guard !checks.isEmpty else { return nil }
        let counts = Float32Check.allCases.map { kind in "\(checks.filter { $0 == kind }.count) \(kind.rawValue)" }
        return "float32 check of \(checks.count) counterexamples: " + counts.joined(separator: ", ")
    }

    /// Seconds with 2 decimals, e.g. `0.30`.
    public static func formatSeconds(_ seconds: Double) -> String {
        String(format: "%.2f", seconds)
    }

    static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}
