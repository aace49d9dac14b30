import Benchmarking
import Testing
import Verifier

@Suite struct BenchmarkSummaryTests {
    /// Ten rows covering every outcome, with a soundness error placed after a wrong sat.
    static let rows: [BenchmarkRow] = [
        BenchmarkRow(onnx: "n1.onnx", vnnlib: "p1.vnnlib", verdict: .sat, seconds: 1.0, expected: .sat),        // solved
        BenchmarkRow(onnx: "n1.onnx", vnnlib: "p2.vnnlib", verdict: .unsat, seconds: 2.0, expected: .unsat),    // solved
        BenchmarkRow(onnx: "n1.onnx", vnnlib: "p3.vnnlib", verdict: .sat, seconds: 0.5, expected: .unsat),      // wrong sat
        BenchmarkRow(onnx: "n2.onnx", vnnlib: "p1.vnnlib", verdict: .unsat, seconds: 0.25, expected: .sat),     // SOUNDNESS
        BenchmarkRow(onnx: "n2.onnx", vnnlib: "p2.vnnlib", verdict: .unsat, seconds: 4.0, expected: .unknown),  // solved, unconfirmed
        BenchmarkRow(onnx: "n2.onnx", vnnlib: "p3.vnnlib", verdict: .sat, seconds: 8.0, expected: nil),         // solved, unconfirmed
        BenchmarkRow(onnx: "n3.onnx", vnnlib: "p1.vnnlib", verdict: .timeout, seconds: 116, expected: .sat),
        BenchmarkRow(onnx: "n3.onnx", vnnlib: "p2.vnnlib", verdict: .unknown, seconds: 3.0, expected: .unsat),
        BenchmarkRow(onnx: "n3.onnx", vnnlib: "p3.vnnlib", verdict: .error, seconds: 0.0, expected: .unsat, detail: "bad file"),
        BenchmarkRow(onnx: "n4.onnx", vnnlib: "p1.vnnlib", verdict: .unsat, seconds: 0.125, expected: .unsat),  // solved
    ]

    @Test func correctColumnPerRow() {
        #expect(Self.rows.map(\.correctText) == ["yes", "yes", "no", "no", "", "", "", "", "", "yes"])
        #expect(Self.rows.map(\.outcome) == [.confirmed, .confirmed, .wrongSat, .unsound, .unconfirmed, .unconfirmed,
                                             .unsolved, .unsolved, .failed, .confirmed])
    }

    @Test func countsTimesAndScore() {
        let summary = BenchmarkSummary(rows: Self.rows)
        #expect(summary.instances == 10)
        #expect(summary.solved == 5)
        #expect(summary.sat == 2)
        #expect(summary.unsat == 3)
        #expect(summary.unconfirmed == 2)
        #expect(summary.unknownOrTimeout == 2)
        #expect(summary.errors == 1)
        #expect(summary.wrong == 2)
        #expect(summary.soundnessErrors == 1)
        #expect(summary.instances == summary.solved + summary.unknownOrTimeout + summary.errors + summary.wrong)
        #expect(summary.wrongRows.map(\.vnnlib) == ["p1.vnnlib", "p3.vnnlib"])
        #expect(summary.totalSeconds == 1 + 2 + 0.5 + 0.25 + 4 + 8 + 116 + 3 + 0 + 0.125)
        #expect(summary.solvedSeconds == 1 + 2 + 4 + 8 + 0.125)
        #expect(summary.medianSolvedSeconds == 2.0)      // solved times 0.125, 1, 2, 4, 8
        #expect(summary.score == 5 * 10 - 2 * 150)       // -250
        #expect(summary.hasWrongVerdicts)
    }

    @Test func summaryTextListsSoundnessErrorsFirst() {
        let summary = BenchmarkSummary(rows: Self.rows)
        #expect(summary.line == "10 instances: 5 solved (2 sat, 3 unsat; 2 without ground truth), 2 unknown/timeout, "
            + "1 errors, 2 wrong (1 SOUNDNESS); total 134.88 s, median 2.00 s; score -250")
        #expect(summary.text == """
            SOUNDNESS ERROR: unsat on n2.onnx p1.vnnlib, expected sat
            WRONG: sat on n1.onnx p3.vnnlib, expected unsat
            \(summary.line)

            """)
    }

    @Test func cleanRunMatchesTheDocumentedLine() {
        var rows = [BenchmarkRow]()
        for i in 0..<4 {
            rows.append(BenchmarkRow(onnx: "n.onnx", vnnlib: "p\(i).vnnlib", verdict: i == 0 ? .sat : .unsat,
                                     seconds: Double(i) + 0.5, expected: i == 0 ? .sat : .unsat))
        }
        let summary = BenchmarkSummary(rows: rows)
        #expect(summary.medianSolvedSeconds == 2.0)    // (1.5 + 2.5) / 2
        #expect(summary.text == "4 instances: 4 solved (1 sat, 3 unsat), 0 unknown/timeout, 0 errors, 0 wrong; "
            + "total 8.00 s, median 2.00 s; score 40\n")
        #expect(!summary.hasWrongVerdicts)
    }

    @Test func nothingSolved() {
        let summary = BenchmarkSummary(rows: [BenchmarkRow(onnx: "a", vnnlib: "b", verdict: .timeout, seconds: 10, expected: nil)])
        #expect(summary.line == "1 instances: 0 solved (0 sat, 0 unsat), 1 unknown/timeout, 0 errors, 0 wrong; "
            + "total 10.00 s, median n/a; score 0")
    }

    @Test func float32ChecksAreCounted() {
        let checks: [Float32Check] = [.passes, .passes, .noFloat32Point, .fails]
        let rows = checks.enumerated().map { i, check in
            BenchmarkRow(onnx: "n.onnx", vnnlib: "p\(i).vnnlib", verdict: .sat, seconds: 1, expected: .sat,
                         audit: SoundnessAudit(counterexample: .valid, float32: check))
        } + [BenchmarkRow(onnx: "n.onnx", vnnlib: "q.vnnlib", verdict: .unsat, seconds: 1, expected: .unsat)]
        let summary = BenchmarkSummary(rows: rows)
        #expect(summary.float32Line == "float32 check of 4 counterexamples: 2 pass, 0 pass-float32-compare, 1 no-float32-point, 1 fail")
        #expect(summary.text.hasPrefix(summary.float32Line! + "\n"))
        #expect(BenchmarkSummary(rows: Array(rows.suffix(1))).float32Line == nil)
    }
}
