import Foundation

/// An inline SVG line chart of clean, attack-robust and certified accuracy versus ε.
enum HTMLChart {
    /// The lines, drawn in this order: wide and pale first, so that equal values stay visible.
    static var series: [(name: String, color: String, style: String, value: @Sendable (AccuracySummary) -> Double)] { [
        ("clean", "#4c72b0", "stroke-width=\"7\" stroke-opacity=\"0.45\"", { $0.clean.fraction }),
        ("attack-robust", "#dd8452", "stroke-width=\"4\"", { $0.attackRobust.fraction }),
        ("certified", "#2e7d32", "stroke-width=\"2\" stroke-dasharray=\"6 3\"", { $0.certified.fraction }),
    ] }

    /// The `<svg>` element (640×320, self-contained, with a title and a legend).
    /// The Lipschitz-certified series (drawn when the report has Lipschitz bounds).
    static let lipschitzSeries: (name: String, color: String, style: String, value: @Sendable (AccuracySummary) -> Double) =
        ("Lipschitz-certified", "#8172b3", "stroke-width=\"2\" stroke-dasharray=\"2 3\"", { $0.lipschitzCertified.fraction })

    static func svg(_ summaries: [EpsilonSummary], lipschitz: Bool = false) -> String {
        let width = 640.0, height = 320.0, left = 56.0, right = 150.0, top = 20.0, bottom = 44.0
        let plotW = width - left - right, plotH = height - top - bottom
        let eps = summaries.map(\.epsilon)
        let lo = eps.min() ?? 0, hi = eps.max() ?? 1
        func x(_ e: Double) -> Double { hi > lo ? left + (e - lo) / (hi - lo) * plotW : left + plotW / 2 }
        func y(_ v: Double) -> Double { top + (1 - v) * plotH }
        func f(_ v: Double) -> String { String(format: "%.1f", v) }
        var parts = ["<svg id=\"accuracy-chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" "
                     + "viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"Accuracy versus epsilon\">",
                     "<title>Clean, attack-robust and certified accuracy versus epsilon</title>",
                     "<rect x=\"0\" y=\"0\" width=\"\(Int(width))\" height=\"\(Int(height))\" fill=\"#ffffff\"/>"]
        for tick in stride(from: 0.0, through: 1.0, by: 0.25) {
            parts.append("<line x1=\"\(f(left))\" y1=\"\(f(y(tick)))\" x2=\"\(f(left + plotW))\" y2=\"\(f(y(tick)))\" stroke=\"#dddddd\"/>")
            parts.append("<text x=\"\(f(left - 6))\" y=\"\(f(y(tick) + 4))\" text-anchor=\"end\" font-size=\"11\">\(Int(tick * 100))%</text>")
        }
        for e in eps {
            parts.append("<line x1=\"\(f(x(e)))\" y1=\"\(f(top + plotH))\" x2=\"\(f(x(e)))\" y2=\"\(f(top + plotH + 4))\" stroke=\"#333333\"/>")
            parts.append("<text x=\"\(f(x(e)))\" y=\"\(f(top + plotH + 17))\" text-anchor=\"middle\" font-size=\"11\">\(format(e))</text>")
        }
        parts.append("<line x1=\"\(f(left))\" y1=\"\(f(top + plotH))\" x2=\"\(f(left + plotW))\" y2=\"\(f(top + plotH))\" stroke=\"#333333\"/>")
        parts.append("<line x1=\"\(f(left))\" y1=\"\(f(top))\" x2=\"\(f(left))\" y2=\"\(f(top + plotH))\" stroke=\"#333333\"/>")
        parts.append("<text x=\"\(f(left + plotW / 2))\" y=\"\(f(height - 6))\" text-anchor=\"middle\" font-size=\"12\">ε (perturbation radius)</text>")
        for (k, s) in (series + (lipschitz ? [lipschitzSeries] : [])).enumerated() {
            let points = summaries.map { "\(f(x($0.epsilon))),\(f(y(s.value($0.overall))))" }.joined(separator: " ")
            parts.append("<polyline class=\"series\" data-series=\"\(s.name)\" fill=\"none\" stroke=\"\(s.color)\" \(s.style) points=\"\(points)\"/>")
            for sum in summaries {
                let v = s.value(sum.overall)
                parts.append("<circle cx=\"\(f(x(sum.epsilon)))\" cy=\"\(f(y(v)))\" r=\"3.5\" fill=\"\(s.color)\"><title>\(s.name) at ε=\(format(sum.epsilon)): "
                             + String(format: "%.1f%%", 100 * v) + "</title></circle>")
            }
            let ly = top + 14 + Double(k) * 20
            parts.append("<line x1=\"\(f(left + plotW + 16))\" y1=\"\(f(ly))\" x2=\"\(f(left + plotW + 36))\" y2=\"\(f(ly))\" stroke=\"\(s.color)\" \(s.style)/>")
            parts.append("<text x=\"\(f(left + plotW + 42))\" y=\"\(f(ly + 4))\" font-size=\"12\">\(s.name)</text>")
        }
        parts.append("</svg>")
        return parts.joined(separator: "\n")
    }
}
