import Foundation
import Verifier

/// One VNN-COMP instance (a row of `instances.csv`) for ``InstanceReport``.
public struct InstanceEntry: Sendable, Equatable {
    /// The paths as written in the instance list (shown in reports).
    public var onnx: String
    public var vnnlib: String
    /// The paths to open (resolved against the list's folder).
    public var onnxFile: String
    public var vnnlibFile: String
    /// The instance's own time budget in seconds.
    public var timeout: Double

    public init(onnx: String, vnnlib: String, onnxFile: String, vnnlibFile: String, timeout: Double) {
        self.onnx = onnx
        self.vnnlib = vnnlib
        self.onnxFile = onnxFile
        self.vnnlibFile = vnnlibFile
        self.timeout = timeout
    }
}

/// The verdict on one instance.
public struct InstanceResult: Sendable, Equatable {
    public var entry: InstanceEntry
    /// `unsat` (proven), `sat` (validated counterexample), `unknown`, `timeout`, or `error` (bad files).
    public var verdict: Verdict
    /// The deciding stage, or the error message.
    public var decidedBy: String
    public var seconds: Double
}

/// A report over a VNN-COMP instance list (`nnverify report --instances`): one verdict per instance,
/// written as JSON, Markdown, JUnit XML and HTML like the data-set report (``InstanceReportFiles``).
public struct InstanceReport: Sendable {
    /// The instance list's path as given.
    public var source: String
    public var results: [InstanceResult]
    public var startedAt: Date
    public var seconds: Double
    /// The `verified=MIN` threshold, if any, and the measured share of `unsat` verdicts.
    public var minimumVerified: Double?

    /// Verifies every instance in order with `options` (its `timeout` replaced by the instance's
    /// budget times `timeoutScale`). Files that cannot be read give the verdict `error`.
    public static func run(_ entries: [InstanceEntry], source: String, options: VerifierOptions = VerifierOptions(),
                           timeoutScale: Double = 1, progress: ((ReportProgress) -> Void)? = nil) -> InstanceReport {
        let start = Date()
        var results = [InstanceResult]()
        for (k, entry) in entries.enumerated() {
            let t0 = Date()
            var o = options
            o.timeout = max(0.01, entry.timeout * timeoutScale)
            do {
                let r = try Verifier(options: o).verify(modelPath: entry.onnxFile, specPath: entry.vnnlibFile)
                results.append(InstanceResult(entry: entry, verdict: r.verdict, decidedBy: r.decidedBy, seconds: r.seconds))
            } catch {
                results.append(InstanceResult(entry: entry, verdict: .error, decidedBy: "\(error)", seconds: Date().timeIntervalSince(t0)))
            }
            progress?(ReportProgress(done: k + 1, total: entries.count, elapsed: Date().timeIntervalSince(start)))
        }
        return InstanceReport(source: source, results: results, startedAt: start, seconds: Date().timeIntervalSince(start))
    }

    public init(source: String, results: [InstanceResult], startedAt: Date, seconds: Double, minimumVerified: Double? = nil) {
        self.source = source
        self.results = results
        self.startedAt = startedAt
        self.seconds = seconds
        self.minimumVerified = minimumVerified
    }

    /// Instances per verdict (every verdict listed, zero when absent).
    public var counts: [(verdict: Verdict, count: Int)] {
        Verdict.allCases.map { v in (v, results.filter { $0.verdict == v }.count) }
    }

    /// Share of instances proven (`unsat`).
    public var verifiedFraction: Double {
        results.isEmpty ? 0 : Double(results.filter { $0.verdict == .unsat }.count) / Double(results.count)
    }

    /// True unless a `verified=MIN` threshold is set and the verified share is below it.
    public var passed: Bool { minimumVerified.map { verifiedFraction >= $0 } ?? true }

    /// The threshold line: `verified >= 0.8: measured 0.5882 (FAILED)`, or nil without a threshold.
    public var thresholdMessage: String? {
        minimumVerified.map { "verified >= \(format($0)): measured \(format(verifiedFraction)) (\(passed ? "passed" : "FAILED"))" }
    }

    /// Parses the instance-mode threshold `verified=MIN` (MIN a fraction or a percentage).
    public static func parseThreshold(_ text: String) throws -> Double {
        let parts = text.split(separator: "=", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, parts[0].lowercased() == "verified" else {
            throw ReportError.invalidThreshold(given: text, reason: "with --instances the only threshold is verified=MIN (share of instances proven unsat)")
        }
        var value = parts[1]
        let scale = value.hasSuffix("%") ? 0.01 : 1
        if value.hasSuffix("%") { value.removeLast() }
        guard let v = Double(value), v.isFinite, (0...1).contains(v * scale) else {
            throw ReportError.invalidThreshold(given: text, reason: "'\(parts[1])' is not a number in 0...1 (or 0%...100%)")
        }
        return v * scale
    }
}
