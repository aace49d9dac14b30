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
        #expect(csv.first == "onnx,vnnlib,verdict,seconds,expected,correct,float32")
        #expect(csv.count == 35)
        #expect(!csv.dropFirst().contains { $0.contains(",no,") })
        // Every sat counterexample passes the VNN-COMP 2026 float32 check (the last column).
        let fields = csv.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        #expect(fields.allSatisfy { $0[2] != "sat" || $0[6] == "pass" }, "\(csv)")
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

    @Test func aDoctoredWitnessAndExpectedPairNamesTheInstanceAsASoundnessError() throws {
        // A suite folder claiming the robust demo property is sat, with a "witness" at the box centre.
        let folder = URL(fileURLWithPath: try CLIRunner.temporaryFile("suite")).path
        let manager = FileManager.default
        try manager.createDirectory(atPath: folder + "/witnesses", withIntermediateDirectories: true)
        try manager.createSymbolicLink(atPath: folder + "/onnx", withDestinationPath: CLIRunner.path("models/iris/onnx"))
        try manager.createSymbolicLink(atPath: folder + "/vnnlib", withDestinationPath: CLIRunner.path("models/iris/vnnlib"))
        try "onnx/iris_mlp.onnx,vnnlib/demo_robust.vnnlib,30\n".write(toFile: folder + "/instances.csv", atomically: true, encoding: .utf8)
        try "onnx,vnnlib,expected\nonnx/iris_mlp.onnx,vnnlib/demo_robust.vnnlib,sat\n"
            .write(toFile: folder + "/expected.csv", atomically: true, encoding: .utf8)
        try "((X_0 5.8)\n(X_1 2.8)\n(X_2 4.3)\n(X_3 1.3)\n(Y_0 0)\n(Y_1 0)\n(Y_2 0))\n"
            .write(toFile: folder + "/witnesses/iris_mlp__demo_robust.counterexample", atomically: true, encoding: .utf8)
        let out = try CLIRunner.run(["bench", folder + "/instances.csv", "--expected", folder + "/expected.csv"])
        #expect(out.status == 1, "\(out.stdout)\(out.stderr)")
        #expect(out.stdout.contains("SOUNDNESS ERROR: unsat on onnx/iris_mlp.onnx vnnlib/demo_robust.vnnlib, expected sat"), "\(out.stdout)")
        #expect(out.stdout.contains("WARNING: suite witness for onnx/iris_mlp.onnx vnnlib/demo_robust.vnnlib is not a counterexample"))
        #expect(out.stdout.contains("1 wrong (1 SOUNDNESS)"))
    }
}
