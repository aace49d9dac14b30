import Foundation

/// `report.html`: one self-contained page (inline CSS, SVG and base64 PNGs; no scripts, fonts or
/// links to fetch) with the summary table, the accuracy-versus-ε chart, the thresholds, the
/// per-class table, the counterexample gallery (image inputs) and timing.
public enum HTMLReport {
    public static func text(_ report: RobustnessReport) -> String {
        let o = report.options
        var body = [String]()
        body.append("<h1>nnverify robustness report</h1>")
        body.append("<p>Model <code>\(esc(report.modelPath))</code> (\(report.inputCount) inputs, \(report.outputCount) outputs); "
                    + "data <code>\(esc(report.dataSource))</code>, \(report.sampleCount) inputs; \(o.norm.rawValue) perturbations "
                    + "within [\(format(o.validLower)), \(format(o.validUpper))]; attack \(o.attack?.name ?? "none"); "
                    + "\(format(o.timeoutPerInput)) s per input and radius. Started \(ISO8601DateFormatter().string(from: report.startedAt)), "
                    + String(format: "%.1f", report.seconds) + " s in total.</p>")
        if !report.thresholds.isEmpty {
            body.append("<h2>Thresholds: <span class=\"\(report.passed ? "pass" : "fail")\">\(report.passed ? "all passed" : "FAILED")</span></h2>")
            body.append("<table id=\"thresholds\"><tr><th>threshold</th><th>measured</th><th>result</th></tr>")
            for t in report.thresholds {
                body.append("<tr><td>\(t.threshold.metric.rawValue)@\(format(t.threshold.epsilon)) ≥ \(format(t.threshold.minimum))</td>"
                            + "<td>\(format(t.measured))</td><td class=\"\(t.passed ? "pass" : "fail")\">\(t.passed ? "pass" : "fail")</td></tr>")
            }
            body.append("</table>")
        }
        body.append("<h2>Accuracy versus ε</h2>")
        body.append(HTMLChart.svg(report.summaries, lipschitz: report.options.lipschitz))
        body.append("<table id=\"summary\"><tr><th>ε</th><th>clean</th><th>attack-robust</th><th>certified</th><th>unknown</th>"
                    + "<th>falsified</th><th>time (s)</th><th>median per input (s)</th></tr>")
        for s in report.summaries {
            let a = s.overall
            body.append("<tr><td>\(format(s.epsilon))</td><td>\(pct(a.clean))</td><td>\(pct(a.attackRobust))</td><td>\(pct(a.certified))</td>"
                        + "<td>\(pct(a.unknown))</td><td>\(pct(a.falsified))</td><td>\(String(format: "%.2f", s.seconds))</td>"
                        + "<td>\(String(format: "%.3f", s.medianSeconds))</td></tr>")
        }
        body.append("</table>")
        if report.options.lipschitz {
            body.append("<p id=\"lipschitz\">Lipschitz-certified: " + report.summaries.map { "ε \(format($0.epsilon)): \(pct($0.overall.lipschitzCertified))" }
                .joined(separator: ", ") + " (certified by the local Lipschitz bound of the margins; see Docs/lipschitz.md).</p>")
        }
        if let t = report.tightness {
            body.append("<h2>IBP tightness</h2><table id=\"tightness\"><tr><th>output</th><th>global</th>" + (t.local == nil ? "" : "<th>local (mean)</th>") + "</tr>")
            for i in t.global.indices {
                body.append("<tr><td>\(i)</td><td>" + String(format: "%.4f", t.global[i]) + "</td>"
                            + (t.local.map { "<td>" + String(format: "%.4f", $0[i]) + "</td>" } ?? "") + "</tr>")
            }
            body.append("</table>")
        }
        body.append(perClassTable(report))
        body.append("<h2>Counterexamples</h2>")
        body.append(HTMLGallery.section(report))
        if !report.inconsistencies.isEmpty {
            body.append("<p class=\"fail\">Inconsistent numbers (please report a bug): \(esc(report.inconsistencies.joined(separator: "; ")))</p>")
        }
        body.append("<p class=\"note\">Certified: proven robust within the ball. Attack-robust: correct and no counterexample found. "
                    + "Full per-input results are in report.json.</p>")
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>nnverify robustness report</title>
            <style>
            body { font-family: sans-serif; margin: 2em; color: #222; max-width: 1100px; }
            table { border-collapse: collapse; margin: 1em 0; }
            th, td { border: 1px solid #ccc; padding: 3px 8px; text-align: right; }
            th { background: #f0f0f0; }
            code { background: #f4f4f4; padding: 0 3px; }
            .pass { color: #1a7f37; font-weight: bold; }
            .fail { color: #c62828; font-weight: bold; }
            .note { color: #555; font-size: 90%; }
            .gallery { display: flex; flex-wrap: wrap; gap: 12px; }
            .example { margin: 0; border: 1px solid #ddd; padding: 6px; }
            .example img { image-rendering: pixelated; margin-right: 4px; border: 1px solid #eee; }
            figcaption { font-size: 85%; }
            </style>
            </head>
            <body>
            \(body.joined(separator: "\n"))
            </body>
            </html>

            """
    }

    /// Certified (attack-robust) accuracy of every class at every radius.
    static func perClassTable(_ report: RobustnessReport) -> String {
        var rows = ["<h2>Per class</h2>", "<p class=\"note\">Each cell: certified / attack-robust accuracy; the clean accuracy is in the second column.</p>",
                    "<table id=\"per-class\"><tr><th>class</th><th>inputs</th><th>clean</th>"
                    + report.summaries.map { "<th>ε=\(format($0.epsilon))</th>" }.joined() + "</tr>"]
        let labels = report.summaries.first?.perClass.map(\.label) ?? []
        for label in labels {
            let cells = report.summaries.map { s -> String in
                guard let c = s.perClass.first(where: { $0.label == label }) else { return "<td>–</td>" }
                return "<td>" + String(format: "%.0f%% / %.0f%%", 100 * c.summary.certified.fraction, 100 * c.summary.attackRobust.fraction) + "</td>"
            }.joined()
            let first = report.summaries.first?.perClass.first { $0.label == label }?.summary
            rows.append("<tr><td>\(label)</td><td>\(first?.inputs ?? 0)</td><td>\(first.map { pct($0.clean) } ?? "–")</td>\(cells)</tr>")
        }
        rows.append("</table>")
        return rows.joined(separator: "\n")
    }

    static func pct(_ r: Rate) -> String { String(format: "%.1f%%", 100 * r.fraction) }

    /// Escapes text for HTML content and attributes.
    static func esc(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
