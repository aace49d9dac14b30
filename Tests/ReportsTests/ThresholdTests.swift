import Reports
import Testing

/// `--eps` and `--fail-under` parsing and checking.
@Suite struct ThresholdTests {
    let eps = [0.01, 0.02, 0.03]

    @Test func parsesFractionsPercentagesAndAliases() throws {
        let list = try Threshold.parseList("certified@0.02=0.80, attack@0.03=90%,clean=0.95,attack-robust@0.01=1", epsilons: eps)
        #expect(list.map(\.metric) == [.certified, .attack, .clean, .attack])
        #expect(list.map(\.epsilon) == [0.02, 0.03, 0.01, 0.01])
        #expect(list.map(\.minimum) == [0.8, 0.9, 0.95, 1])
    }

    @Test(arguments: [
        ("certified@0.04=0.8", "not among the radii"),
        ("robust@0.02=0.8", "unknown metric"),
        ("certified@0.02", "exactly one '='"),
        ("certified=0.8", "needs a radius"),
        ("certified@0.02=1.5", "outside 0...1"),
        ("certified@abc=0.5", "not a number"),
        ("certified@0.02=high", "not a number"),
    ])
    func rejectsBadThresholds(text: String, reason: String) {
        do {
            _ = try Threshold.parse(text, epsilons: eps)
            Issue.record("accepted \(text)")
        } catch {
            #expect("\(error)".contains(reason), "\(error)")
            #expect("\(error)".contains(text))
        }
    }

    @Test func parsesAndRejectsEpsilonLists() throws {
        #expect(try ReportOptions.parseEpsilons("0.03, 0.01,0.02") == [0.01, 0.02, 0.03])
        for bad in ["", "0.01,,0.02", "0.01,x", "-0.1", "0.01,0.01", "inf"] {
            #expect(throws: ReportError.self, "\(bad)") { try ReportOptions.parseEpsilons(bad) }
        }
    }

    @Test func outcomeComparesMeasuredWithMinimum() {
        let t = Threshold(metric: .certified, epsilon: 0.02, minimum: 0.8)
        #expect(ThresholdOutcome(threshold: t, measured: 0.8).passed)
        let failed = ThresholdOutcome(threshold: t, measured: 0.72)
        #expect(!failed.passed)
        #expect(failed.message == "certified@0.02 >= 0.8: measured 0.72 (FAILED)")
    }
}
