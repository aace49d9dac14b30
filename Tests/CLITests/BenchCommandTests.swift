import Foundation
import Testing

/// `nnverify bench` on the bundled iris suite, whose expected verdicts come from an exact MILP.
@Suite struct BenchCommandTests {
    @Test func bundledSuiteIsSolvedWithNoWrongVerdict() throws {
        let results = try CLIRunner.temporaryFile("out.csv")
        let out = try CLIRunner.run(["bench", "models/iris/instances.csv", "--expected", "models/iris/expected.csv",
                                     "--results", results], timeout: 300)
        #expect(out.status == 0, "\(out.stdout)\(out.stderr)")
        #expect(out.stdout.contains("0 wrong"))
        let csv = try String(contentsOfFile: results, encoding: .utf8).split(separator: "\n")
        #expect(csv.first == "onnx,vnnlib,verdict,seconds,expected,correct")
        #expect(csv.count == 35)
        #expect(!csv.dropFirst().contains { $0.hasSuffix(",no") })
    }

    @Test func bundledDigitsSuiteHasNoWrongVerdict() throws {
        let out = try CLIRunner.run(["bench", "models/digits/instances.csv", "--expected", "models/digits/expected.csv"], timeout: 600)
        #expect(out.status == 0, "\(out.stdout)\(out.stderr)")
        #expect(out.stdout.contains(" 0 wrong"))
    }

    @Test func aContradictedVerdictFailsTheRun() throws {
        // Doctor the expected file: claim the robust demo spec is sat (a counterexample exists).
        let dir = CLIRunner.path("models/iris")
        let expected = try CLIRunner.temporaryFile("expected.csv", contents: """
            onnx,vnnlib,expected
            onnx/iris_mlp.onnx,vnnlib/demo_robust.vnnlib,sat
            """)
        let instances = try CLIRunner.temporaryFile("instances.csv", contents: "\(dir)/onnx/iris_mlp.onnx,\(dir)/vnnlib/demo_robust.vnnlib,30\n")
        let expectedAbsolute = expected.replacingOccurrences(of: "expected.csv", with: "expected-abs.csv")
        try "onnx,vnnlib,expected\n\(dir)/onnx/iris_mlp.onnx,\(dir)/vnnlib/demo_robust.vnnlib,sat\n"
            .write(toFile: expectedAbsolute, atomically: true, encoding: .utf8)
        let out = try CLIRunner.run(["bench", instances, "--expected", expectedAbsolute])
        #expect(out.status == 1, "\(out.stdout)\(out.stderr)")
        #expect(out.stdout.contains("demo_robust"))
        #expect(out.stdout.lowercased().contains("soundness"), "\(out.stdout)")
    }
}
