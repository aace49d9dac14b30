import Foundation
import Testing

/// `prune`: a pruned copy of a dense model that verifies like any model, and a clear refusal otherwise.
@Suite struct PruneCommandTests {
    @Test func prunedCopyLoadsAndVerifies() throws {
        let out = try CLIRunner.temporaryFile("pruned.onnx")
        let run = try CLIRunner.run(["prune", "models/iris/onnx/iris_mlp.onnx", "--threshold", "0.05", "--out", out])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("prune: zeroed "), "\(run.stdout)")
        let verify = try CLIRunner.run(["verify", out, "models/iris/vnnlib/demo_robust.vnnlib", "--timeout", "30"])
        #expect(verify.status == 0 && ["sat", "unsat"].contains(verify.stdout.split(separator: "\n").first.map(String.init) ?? ""),
                "\(verify.stdout)\(verify.stderr)")
    }

    @Test func nonDenseModelAndBadThresholdAreRefused() throws {
        let out = try CLIRunner.temporaryFile("refused.onnx")
        let cnn = try CLIRunner.run(["prune", "models/digits/onnx/digits_cnn.onnx", "--threshold", "0.1", "--out", out])
        #expect(cnn.status == 1 && cnn.stderr.contains("cannot prune this model: node 'conv1'"), "\(cnn.stderr)")
        let negative = try CLIRunner.run(["prune", "models/iris/onnx/iris_mlp.onnx", "--threshold=-1", "--out", out])
        #expect(negative.status != 0 && negative.stderr.contains("--threshold must be finite and >= 0"), "\(negative.stderr)")
    }
}
