import Attacks
import Foundation

/// `report.json`: the complete report in the versioned layout documented in Docs/report-schema.md.
public enum JSONReport {
    /// The JSON text (pretty-printed, keys sorted). Numbers that are not finite are written as null.
    public static func text(_ report: RobustnessReport) throws -> String {
        let data = try JSONSerialization.data(withJSONObject: object(report), options: [.prettyPrinted, .sortedKeys])
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// The report as JSON-compatible Foundation values.
    static func object(_ report: RobustnessReport) -> [String: Any] {
        let o = report.options
        return [
            "schemaVersion": RobustnessReport.schemaVersion,
            "mode": "inputs",
            "tool": ["name": "nnverify", "version": toolVersion],
            "startedAt": ISO8601DateFormatter().string(from: report.startedAt),
            "seconds": number(report.seconds),
            "model": ["path": report.modelPath, "inputCount": report.inputCount, "outputCount": report.outputCount],
            "data": ["source": report.dataSource, "sampleShape": report.sampleShape, "count": report.sampleCount],
            "settings": [
                "epsilons": o.epsilons,
                "norm": o.norm.rawValue,
                "validRange": ["lower": number(o.validLower), "upper": number(o.validUpper)],
                "attack": o.attack.map { $0.name as Any } ?? NSNull(),
                "timeoutPerInput": number(o.timeoutPerInput),
                "verificationMethod": o.verifier.method.rawValue,
                "skipVerificationAfterUnknown": o.skipVerificationAfterUnknown,
            ] as [String: Any],
            "summary": report.summaries.map(summary),
            "results": report.results.map(result),
            "thresholds": report.thresholds.map { t in
                [
                    "text": t.threshold.text, "metric": t.threshold.metric.rawValue, "epsilon": t.threshold.epsilon,
                    "minimum": t.threshold.minimum, "measured": number(t.measured), "passed": t.passed,
                ] as [String: Any]
            },
            "tightness": report.tightness.map { t -> Any in
                ["global": t.global.map(number), "local": t.local.map { $0.map(number) as Any } ?? NSNull()] as [String: Any]
            } ?? NSNull(),
            "lipschitz": o.lipschitz,
            "passed": report.passed,
            "consistent": report.inconsistencies.isEmpty,
        ]
    }

    /// The version printed in reports.
    public static let toolVersion = "0.1.0"

    static func summary(_ s: EpsilonSummary) -> [String: Any] {
        var d = accuracies(s.overall)
        d["epsilon"] = s.epsilon
        d["seconds"] = number(s.seconds)
        d["medianSeconds"] = number(s.medianSeconds)
        d["perClass"] = s.perClass.map { c -> [String: Any] in
            var e = accuracies(c.summary)
            e["label"] = c.label
            return e
        }
        return d
    }

    static func accuracies(_ a: AccuracySummary) -> [String: Any] {
        func rate(_ r: Rate) -> [String: Any] { ["count": r.count, "fraction": number(r.fraction)] }
        return [
            "inputs": a.inputs, "clean": rate(a.clean), "attackRobust": rate(a.attackRobust),
            "certified": rate(a.certified), "unknown": rate(a.unknown), "falsified": rate(a.falsified),
            "lipschitzCertified": rate(a.lipschitzCertified),
        ]
    }

    static func result(_ r: InputResult) -> [String: Any] {
        [
            "index": r.index, "line": r.line.map { $0 as Any } ?? NSNull(), "label": r.label, "predicted": r.predicted,
            "epsilon": r.epsilon, "verdict": r.verdict.rawValue, "decidedBy": r.decidedBy,
            "boundMargin": r.boundMargin.map(number) ?? NSNull(),
            "counterexample": r.counterexample.map { c -> Any in
                ["predicted": c.predicted, "linfDistance": number(c.linfDistance), "l2Distance": number(c.l2Distance)] as [String: Any]
            } ?? NSNull(),
            "seconds": number(r.seconds),
            "lipschitzUpper": r.lipschitzUpper.map(number) ?? NSNull(),
            "lipschitzRadius": r.lipschitzRadius.map(number) ?? NSNull(),
            "lipschitzCertified": r.lipschitzCertified.map { $0 as Any } ?? NSNull(),
        ]
    }

    /// `x`, or null when it is not finite (JSON has no infinities).
    static func number(_ x: Double) -> Any { x.isFinite ? x : NSNull() }
}
