import Foundation
import Reports

/// Progress of `nnverify report` on standard error: a line rewritten in place on a terminal; on a
/// pipe or file one line per tenth of the inputs; nothing with `--quiet`.
final class ProgressPrinter: @unchecked Sendable {
    private let quiet: Bool
    private let terminal = isatty(STDERR_FILENO) != 0
    private var lastTenth = -1
    private var shown = false
    private let noun: String

    init(quiet: Bool, noun: String = "inputs") {
        self.quiet = quiet
        self.noun = noun
    }

    func show(_ p: ReportProgress) {
        guard !quiet else { return }
        let eta = p.remaining.map { String(format: "ETA %.0f s", $0) } ?? "ETA -"
        let text = "\(noun) \(p.done)/\(p.total), \(String(format: "%.0f s", p.elapsed)) elapsed, \(eta)"
        if terminal {
            write("\r\u{1B}[K" + text)
            shown = true
        } else {
            let tenth = p.total == 0 ? 10 : 10 * p.done / p.total
            if tenth > lastTenth {
                lastTenth = tenth
                write(text + "\n")
            }
        }
    }

    func finish() {
        if shown { write("\n") }
    }

    private func write(_ s: String) { FileHandle.standardError.write(Data(s.utf8)) }
}

/// The summary printed on standard output at the end of `nnverify report`.
enum ReportSummaryText {
    static func text(_ report: RobustnessReport) -> String {
        func pct(_ r: Rate) -> String { String(format: "%6.1f%%", 100 * r.fraction) }
        var lines = ["robustness report: \(report.sampleCount) inputs, \(report.options.norm.rawValue), \(String(format: "%.1f", report.seconds)) s",
                     "       eps    clean  attack  certified  unknown"]
        for s in report.summaries {
            let a = s.overall
            lines.append(String(format: "%10g", s.epsilon) + "  \(pct(a.clean))  \(pct(a.attackRobust))   \(pct(a.certified))  \(pct(a.unknown))")
        }
        for t in report.thresholds { lines.append("threshold \(t.message)") }
        for problem in report.inconsistencies { lines.append("warning: inconsistent numbers: \(problem)") }
        return lines.joined(separator: "\n")
    }
}
