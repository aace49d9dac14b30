import Foundation

/// `report.md`: a short summary for a pull-request comment — accuracies per radius, the worst
/// classes at the largest radius, and the thresholds.
public enum MarkdownReport {
    public static func text(_ report: RobustnessReport) -> String {
        let o = report.options
        var lines = ["## nnverify robustness report", ""]
        lines.append("Model `\(report.modelPath)`, data `\(report.dataSource)` (\(report.sampleCount) inputs), "
                     + "\(o.norm.rawValue) perturbations within [\(format(o.validLower)), \(format(o.validUpper))], "
                     + "attack \(o.attack?.name ?? "none"), \(format(o.timeoutPerInput)) s per input and radius; "
                     + "\(String(format: "%.1f", report.seconds)) s in total.")
        let lip = o.lipschitz
        lines += ["", "| ε | clean | attack-robust | certified | unknown | falsified |" + (lip ? " Lipschitz-certified | median L |" : "") + " time (s) |",
                  "|---:|---:|---:|---:|---:|---:|" + (lip ? "---:|---:|" : "") + "---:|"]
        for s in report.summaries {
            let a = s.overall
            var extra = ""
            if lip {
                let bounds = report.results.filter { $0.epsilon == s.epsilon }.compactMap(\.lipschitzUpper).sorted()
                extra = " \(percent(a.lipschitzCertified)) | " + (bounds.isEmpty ? "–" : String(format: "%.4g", bounds[bounds.count / 2])) + " |"
            }
            lines.append("| \(format(s.epsilon)) | \(percent(a.clean)) | \(percent(a.attackRobust)) | \(percent(a.certified)) | "
                         + "\(percent(a.unknown)) | \(percent(a.falsified)) |" + extra + " \(String(format: "%.2f", s.seconds)) |")
        }
        if let t = report.tightness { lines += [""] + tightnessLines(t) }
        if let last = report.summaries.last {
            let worst = last.perClass.sorted {
                ($0.summary.certified.fraction, $0.summary.attackRobust.fraction, $0.label)
                    < ($1.summary.certified.fraction, $1.summary.attackRobust.fraction, $1.label)
            }.prefix(3)
            lines += ["", "**Worst classes at ε = \(format(last.epsilon))** (by certified accuracy)", "",
                      "| class | inputs | clean | attack-robust | certified |", "|---:|---:|---:|---:|---:|"]
            for c in worst {
                let a = c.summary
                lines.append("| \(c.label) | \(a.inputs) | \(percent(a.clean)) | \(percent(a.attackRobust)) | \(percent(a.certified)) |")
            }
        }
        lines.append("")
        if report.thresholds.isEmpty {
            lines.append("No thresholds were set.")
        } else {
            lines += ["**Thresholds: \(report.passed ? "all passed" : "FAILED")**", "", "| threshold | measured | result |", "|---|---:|---|"]
            for t in report.thresholds {
                lines.append("| \(t.threshold.metric.rawValue)@\(format(t.threshold.epsilon)) ≥ \(format(t.threshold.minimum)) | "
                             + "\(format(t.measured)) | \(t.passed ? "✅ pass" : "❌ fail") |")
            }
        }
        if !report.inconsistencies.isEmpty {
            lines += ["", "**Inconsistent numbers (please report a bug):** " + report.inconsistencies.joined(separator: "; ")]
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The IBP tightness table (one row per output).
    static func tightnessLines(_ t: TightnessSummary) -> [String] {
        var lines = ["**IBP tightness** (optimal box / IBP box of the linearisation; 1 = IBP exact)", "",
                     "| output | global |" + (t.local == nil ? "" : " local (mean) |"), "|---:|---:|" + (t.local == nil ? "" : "---:|")]
        for i in t.global.indices {
            lines.append("| \(i) | " + String(format: "%.4f", t.global[i]) + " |" + (t.local.map { String(format: " %.4f |", $0[i]) } ?? ""))
        }
        return lines
    }

    /// `96.0 % (48/50)`.
    static func percent(_ r: Rate) -> String {
        String(format: "%.1f %%", 100 * r.fraction) + " (\(r.count)/\(r.total))"
    }
}
