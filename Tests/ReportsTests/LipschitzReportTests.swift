import Foundation
import Reports
import Testing

/// `--lipschitz` and `--tightness` in a report: Lipschitz certificates never contradict a falsified
/// verdict, shrink with ε, and appear in every writer.
@Suite struct LipschitzReportTests {
    @Test func lipschitzAndTightnessAreReportedAndConsistent() throws {
        var options = ReportOptions(epsilons: [0.005, 0.02, 0.05])
        options.timeoutPerInput = 1
        options.lipschitz = true
        options.tightness = true
        let runner = try ReportRunner(network: try ReportFixture.network(), options: options)
        var report = try runner.run(data: try ReportFixture.data(limit: 8), modelPath: ReportFixture.modelPath)
        #expect(report.inconsistencies.isEmpty, "\(report.inconsistencies)")
        for r in report.results where r.verdict != .misclassified {
            let upper = try #require(r.lipschitzUpper)
            #expect(upper > 0 && r.lipschitzRadius! <= r.epsilon)
            if r.lipschitzCertified == true { #expect(r.verdict != .falsified) }
        }
        for (a, b) in zip(report.summaries, report.summaries.dropFirst()) {
            #expect(b.overall.lipschitzCertified.count <= a.overall.lipschitzCertified.count)
        }
        #expect(report.summaries.first!.overall.lipschitzCertified.count > 0, "the smallest radius certifies something")
        let t = try #require(report.tightness)
        #expect(t.global.count == 10 && t.global.allSatisfy { $0 > 0 && $0 <= 1 })
        #expect(t.local?.allSatisfy { $0 > 0 && $0 <= 1 } == true)
        report.check(try Threshold.parseList("lipschitz@0.005=0.1", epsilons: options.epsilons))
        #expect(report.thresholds.first?.measured == report.summaries.first!.overall.lipschitzCertified.fraction)
        let markdown = MarkdownReport.text(report)
        #expect(markdown.contains("Lipschitz-certified") && markdown.contains("**IBP tightness**"))
        let html = HTMLReport.text(report)
        #expect(html.contains("data-series=\"Lipschitz-certified\"") && html.contains("id=\"tightness\""))
        let json = try JSONReport.text(report)
        #expect(json.contains("\"lipschitzCertified\"") && json.contains("\"tightness\""))
    }
}
