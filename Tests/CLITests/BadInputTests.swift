import Foundation
import Testing

/// Bad input: one precise message, exit status 1, never a crash or a hang.
@Suite struct BadInputTests {
    let model = "models/iris/onnx/iris_mlp.onnx"
    let spec = "models/iris/vnnlib/demo_robust.vnnlib"

    func expectError(_ arguments: [String], mentions needles: [String], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let out = try CLIRunner.run(arguments, timeout: 60)
        #expect(out.status == 1, "exit status \(out.status): \(out.stdout)\(out.stderr)", sourceLocation: sourceLocation)
        for needle in needles {
            #expect(out.stderr.contains(needle), "stderr lacks '\(needle)': \(out.stderr)", sourceLocation: sourceLocation)
        }
    }

    @Test func missingFiles() throws {
        try expectError(["verify", "no/such/model.onnx", spec], mentions: ["no/such/model.onnx", "no such file"])
        try expectError(["verify", model, "no/such/spec.vnnlib"], mentions: ["no/such/spec.vnnlib", "not found"])
    }

    @Test func truncatedAndNonONNXFiles() throws {
        try expectError(["verify", "Tests/Fixtures/onnx/bad_truncated.onnx", spec], mentions: ["bad_truncated.onnx"])
        try expectError(["verify", "Tests/Fixtures/onnx/bad_not_onnx.onnx", spec], mentions: ["bad_not_onnx.onnx"])
        try expectError(["info", "Tests/Fixtures/onnx/bad_not_onnx.onnx"], mentions: ["bad_not_onnx.onnx"])
    }

    @Test func unsupportedOperatorsAreAllNamed() throws {
        let out = try CLIRunner.run(["verify", "Tests/Fixtures/onnx/bad_unsupported_ops.onnx", spec])
        #expect(out.status == 1)
        #expect(out.stderr.contains("unsupported"), "\(out.stderr)")
    }

    @Test func vnnlibSyntaxErrorShowsLineAndColumn() throws {
        let file = try CLIRunner.temporaryFile("broken.vnnlib", contents: """
            (declare-const X_0 Real)
            (declare-const X_1 Real)
            (declare-const X_2 Real)
            (declare-const X_3 Real)
            (declare-const Y_0 Real)
            (assert (<= X_0 1)
            """)
        try expectError(["verify", model, file], mentions: ["broken.vnnlib:"])
    }

    @Test func unknownVariableAndSizeMismatch() throws {
        let unknown = try CLIRunner.temporaryFile("unknown.vnnlib", contents: """
            (declare-const X_0 Real)
            (assert (<= Z_1 1))
            """)
        try expectError(["verify", model, unknown], mentions: ["unknown.vnnlib:2:", "Z_1"])
        let small = try CLIRunner.temporaryFile("small.vnnlib", contents: """
            (declare-const X_0 Real)
            (declare-const Y_0 Real)
            (assert (<= X_0 1))
            (assert (>= X_0 0))
            (assert (>= Y_0 1))
            """)
        try expectError(["verify", model, small], mentions: ["4 inputs"])
    }

    @Test func badOptions() throws {
        let out = try CLIRunner.run(["verify", model, spec, "--timeout", "-1"])
        #expect(out.status == 1)
        #expect(out.stderr.contains("--timeout"))
    }

    @Test func badInstanceCSV() throws {
        let csv = try CLIRunner.temporaryFile("instances.csv", contents: "onnx/a.onnx,vnnlib/b.vnnlib\n")
        try expectError(["bench", csv], mentions: ["instances.csv:1"])
        try expectError(["bench", "no/such/instances.csv"], mentions: ["no/such/instances.csv"])
    }
}
