import Attacks
import Foundation

/// Aggregate figures of a data-set attack run.
struct DatasetAttackSummary {
    let inputs: Int
    let correct: Int
    let attacked: Int
    let found: Int
    let timedOut: Int
    let meanLinf: Double?
    let meanL2: Double?
    let seconds: Double

    init(rows: [DatasetAttackRun.Row], seconds: Double) {
        inputs = rows.count
        correct = rows.filter { $0.outcome != "misclassified" }.count
        attacked = rows.filter { ["found", "not-found", "timeout"].contains($0.outcome) }.count
        let adversarial = rows.compactMap(\.adversarial)
        found = adversarial.count
        timedOut = rows.filter { $0.outcome == "timeout" }.count
        meanLinf = adversarial.isEmpty ? nil : adversarial.map(\.linfDistance).reduce(0, +) / Double(found)
        meanL2 = adversarial.isEmpty ? nil : adversarial.map(\.l2Distance).reduce(0, +) / Double(found)
        self.seconds = seconds
    }

    func text(method: String, norm: AttackNorm, eps: Double) -> String {
        func percent(_ a: Int, _ b: Int) -> String { b == 0 ? "-" : String(format: "%.2f %%", 100 * Double(a) / Double(b)) }
        var lines = [
            "summary: \(method), \(norm.rawValue) eps \(eps)",
            "  inputs:            \(inputs)",
            "  clean accuracy:    \(percent(correct, inputs)) (\(correct) of \(inputs))",
            "  attacked:          \(attacked)",
            "  attack success:    \(percent(found, attacked)) (\(found) of \(attacked))",
            "  robust accuracy:   \(percent(correct - found, inputs)) (correct and not attacked successfully)",
        ]
        if timedOut > 0 { lines.append("  not attacked in time: \(timedOut)") }
        if let linf = meanLinf, let l2 = meanL2 {
            lines.append(String(format: "  mean distance:     Linf %.6g, L2 %.6g", linf, l2))
        }
        lines.append(String(format: "  time:              %.3f s", seconds))
        if found > 0 { lines.append(String(format: "  time per adversarial example: %.4f s", seconds / Double(found))) }
        return lines.joined(separator: "\n")
    }
}
