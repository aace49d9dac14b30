import Foundation

/// `junit.xml`: one `<testsuite>` per radius with one `<testcase>` per input, plus a `thresholds`
/// suite with one test case per `--fail-under` threshold.
///
/// A case *fails* when the input is falsified (`type="falsified"`) or misclassified
/// (`type="misclassified"`), is *skipped* when unknown, and passes when certified. A threshold
/// case fails when the measured accuracy is below the minimum. The layout follows the common
/// JUnit XML format (Jenkins, GitLab, GitHub test reporters): `testsuites > testsuite > testcase`
/// with `failure` / `skipped` children and `tests`, `failures`, `errors`, `skipped`, `time` counts
/// (no `skipped` on the root: the xUnit schema `Tests/Fixtures/junit/junit-10.xsd` does not allow it).
public enum JUnitReport {
    public static func text(_ report: RobustnessReport) -> String {
        var suites = [String]()
        var totals = (tests: 0, failures: 0, time: 0.0)
        for s in report.summaries {
            let results = report.results.filter { $0.epsilon == s.epsilon }
            var cases = [String]()
            var failures = 0, skipped = 0
            for r in results {
                let name = "input \(r.index) (label \(r.label)) eps=\(format(r.epsilon))"
                let head = "    <testcase classname=\"\(attr(suiteName(s.epsilon)))\" name=\"\(attr(name))\" time=\"\(seconds(r.seconds))\""
                switch r.verdict {
                case .certified:
                    cases.append(head + "/>")
                case .unknown:
                    skipped += 1
                    cases.append(head + ">\n      <skipped message=\"\(attr("unknown: " + r.decidedBy))\"/>\n    </testcase>")
                case .falsified:
                    failures += 1
                    let c = r.counterexample
                    let message = "falsified: counterexample predicts class \(c?.predicted ?? -1) at Linf distance \(format(c?.linfDistance ?? .nan)), L2 \(format(c?.l2Distance ?? .nan)) (\(r.decidedBy))"
                    cases.append(head + ">\n      <failure type=\"falsified\" message=\"\(attr(message))\">\(text(message))</failure>\n    </testcase>")
                case .misclassified:
                    failures += 1
                    let message = "misclassified: the clean input is classified as \(r.predicted), label \(r.label)"
                    cases.append(head + ">\n      <failure type=\"misclassified\" message=\"\(attr(message))\">\(text(message))</failure>\n    </testcase>")
                }
            }
            suites.append(suite(name: suiteName(s.epsilon), tests: results.count, failures: failures, skipped: skipped,
                                time: s.seconds, timestamp: report.startedAt, cases: cases))
            totals.tests += results.count
            totals.failures += failures
            totals.time += s.seconds
        }
        if !report.thresholds.isEmpty {
            var cases = [String]()
            for t in report.thresholds {
                let name = "\(t.threshold.metric.rawValue)@\(format(t.threshold.epsilon)) >= \(format(t.threshold.minimum))"
                let head = "    <testcase classname=\"nnverify.thresholds\" name=\"\(attr(name))\" time=\"0\""
                if t.passed {
                    cases.append(head + "/>")
                } else {
                    cases.append(head + ">\n      <failure type=\"threshold\" message=\"\(attr(t.message))\">\(text(t.message))</failure>\n    </testcase>")
                }
            }
            let failed = report.thresholds.filter { !$0.passed }.count
            suites.append(suite(name: "nnverify.thresholds", tests: cases.count, failures: failed, skipped: 0, time: 0,
                                timestamp: report.startedAt, cases: cases))
            totals.tests += cases.count
            totals.failures += failed
        }
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <testsuites name="nnverify report" tests="\(totals.tests)" failures="\(totals.failures)" errors="0" time="\(seconds(totals.time))">
            \(suites.joined(separator: "\n"))
            </testsuites>

            """
    }

    static func suiteName(_ epsilon: Double) -> String { "nnverify.robustness.eps_\(format(epsilon))" }

    static func suite(name: String, tests: Int, failures: Int, skipped: Int, time: Double, timestamp: Date, cases: [String]) -> String {
        let stamp = ISO8601DateFormatter().string(from: timestamp)
        return "  <testsuite name=\"\(attr(name))\" tests=\"\(tests)\" failures=\"\(failures)\" errors=\"0\" skipped=\"\(skipped)\" "
            + "time=\"\(seconds(time))\" timestamp=\"\(stamp)\">\n" + cases.joined(separator: "\n") + "\n  </testsuite>"
    }

    static func seconds(_ s: Double) -> String { String(format: "%.3f", s.isFinite ? s : 0) }

    /// Escapes text for an attribute value.
    static func attr(_ s: String) -> String {
        text(s).replacingOccurrences(of: "\"", with: "&quot;").replacingOccurrences(of: "\n", with: "&#10;")
    }

    /// Escapes character data (and drops characters XML 1.0 forbids).
    static func text(_ s: String) -> String {
        var out = ""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default: if scalar.value >= 0x20 { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }
}
