import Foundation
import Verifier

/// The four files of an ``InstanceReport``: `report.json` (`"mode": "instances"`, see
/// Docs/report-schema.md), `report.md`, `junit.xml` (unsat passes, sat fails, unknown/timeout skipped,
/// error is an error) and `report.html`.
public enum InstanceReportFiles {
    /// Writes the four files into `directory` (created if needed) and returns their paths.
    @discardableResult
    public static func write(_ report: InstanceReport, to directory: String) throws -> [String] {
        try ReportWriter.write(texts: [json(report), markdown(report), junit(report), html(report)], to: directory)
    }

    public static func json(_ report: InstanceReport) throws -> String {
        var root: [String: Any] = [
            "schemaVersion": RobustnessReport.schemaVersion, "mode": "instances",
            "tool": ["name": "nnverify", "version": JSONReport.toolVersion],
            "startedAt": ISO8601DateFormatter().string(from: report.startedAt), "seconds": JSONReport.number(report.seconds),
            "instanceList": report.source,
            "counts": Dictionary(uniqueKeysWithValues: report.counts.map { ($0.verdict.rawValue, $0.count) }),
            "verifiedFraction": report.verifiedFraction, "passed": report.passed,
            "instances": report.results.map { r -> [String: Any] in
                ["onnx": r.entry.onnx, "vnnlib": r.entry.vnnlib, "timeout": r.entry.timeout, "verdict": r.verdict.rawValue,
                 "decidedBy": r.decidedBy, "seconds": JSONReport.number(r.seconds)]
            },
        ]
        root["thresholds"] = report.minimumVerified.map { m -> [[String: Any]] in
            [["text": "verified=\(format(m))", "metric": "verified", "minimum": m, "measured": report.verifiedFraction, "passed": report.passed]]
        } ?? []
        let data = try JSONSerialization.data(withJSONObject: root, options: [.prettyPrinted, .sortedKeys])
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    public static func markdown(_ report: InstanceReport) -> String {
        var lines = ["## nnverify verification report", "",
                     "Instance list `\(report.source)`: \(report.results.count) instances, \(String(format: "%.1f", report.seconds)) s.", "",
                     "| verdict | instances |", "|---|---:|"]
        for (v, n) in report.counts where n > 0 { lines.append("| \(v.rawValue) | \(n) |") }
        lines += ["", "| onnx | vnnlib | verdict | time (s) |", "|---|---|---|---:|"]
        for r in report.results {
            lines.append("| `\(r.entry.onnx)` | `\(r.entry.vnnlib)` | \(r.verdict.rawValue) | \(String(format: "%.2f", r.seconds)) |")
        }
        if let message = report.thresholdMessage { lines += ["", "**Threshold:** \(message) \(report.passed ? "✅" : "❌")"] }
        return lines.joined(separator: "\n") + "\n"
    }

    public static func junit(_ report: InstanceReport) -> String {
        var cases = [String]()
        var failures = 0, errors = 0, skipped = 0
        for r in report.results {
            let head = "    <testcase classname=\"nnverify.instances\" name=\"\(JUnitReport.attr(r.entry.onnx + " " + r.entry.vnnlib))\" time=\"\(JUnitReport.seconds(r.seconds))\""
            let message = JUnitReport.attr("\(r.verdict.rawValue): \(r.decidedBy)")
            switch r.verdict {
            case .unsat: cases.append(head + "/>")
            case .sat: failures += 1; cases.append(head + ">\n      <failure type=\"sat\" message=\"\(message)\"/>\n    </testcase>")
            case .unknown, .timeout: skipped += 1; cases.append(head + ">\n      <skipped message=\"\(message)\"/>\n    </testcase>")
            case .error: errors += 1; cases.append(head + ">\n      <error type=\"error\" message=\"\(message)\"/>\n    </testcase>")
            }
        }
        if let message = report.thresholdMessage {
            let head = "    <testcase classname=\"nnverify.thresholds\" name=\"verified\" time=\"0\""
            if report.passed { cases.append(head + "/>") } else {
                failures += 1
                cases.append(head + ">\n      <failure type=\"threshold\" message=\"\(JUnitReport.attr(message))\"/>\n    </testcase>")
            }
        }
        let counts = "tests=\"\(cases.count)\" failures=\"\(failures)\" errors=\"\(errors)\" time=\"\(JUnitReport.seconds(report.seconds))\""
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <testsuites name="nnverify report" \(counts)>
              <testsuite name="nnverify.instances" \(counts) skipped="\(skipped)" timestamp="\(ISO8601DateFormatter().string(from: report.startedAt))">
            \(cases.joined(separator: "\n"))
              </testsuite>
            </testsuites>

            """
    }

    public static func html(_ report: InstanceReport) -> String {
        let esc = HTMLReport.esc
        var rows = report.results.map { r in
            "<tr><td><code>\(esc(r.entry.onnx))</code></td><td><code>\(esc(r.entry.vnnlib))</code></td>"
                + "<td class=\"\(r.verdict.rawValue)\">\(r.verdict.rawValue)</td><td>\(String(format: "%.2f", r.seconds))</td><td>\(esc(r.decidedBy))</td></tr>"
        }
        rows.insert("<table id=\"instances\"><tr><th>onnx</th><th>vnnlib</th><th>verdict</th><th>time (s)</th><th>decided by</th></tr>", at: 0)
        rows.append("</table>")
        let counts = report.counts.filter { $0.count > 0 }.map { "\($0.verdict.rawValue): \($0.count)" }.joined(separator: ", ")
        let threshold = report.thresholdMessage.map { "<p class=\"\(report.passed ? "unsat" : "sat")\">Threshold \(esc($0))</p>" } ?? ""
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>nnverify verification report</title>
            <style>body { font-family: sans-serif; margin: 2em; } table { border-collapse: collapse; }
            th, td { border: 1px solid #ccc; padding: 3px 8px; } .unsat { color: #1a7f37; font-weight: bold; }
            .sat, .error { color: #c62828; font-weight: bold; } .unknown, .timeout { color: #8a6d00; }</style></head>
            <body><h1>nnverify verification report</h1>
            <p>Instance list <code>\(esc(report.source))</code>: \(report.results.count) instances (\(counts)), \(String(format: "%.1f", report.seconds)) s.</p>
            \(threshold)
            \(rows.joined(separator: "\n"))
            </body></html>

            """
    }
}
