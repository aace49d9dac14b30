import Foundation
import Testing

/// End-to-end runs of `nnverify verify` and `info` on the bundled model and specs.
@Suite struct VerifyCommandTests {
    let model = "models/iris/onnx/iris_mlp.onnx"

    @Test func provesTheBundledRobustSpec() throws {
        let out = try CLIRunner.run(["verify", model, "models/iris/vnnlib/demo_robust.vnnlib"])
        #expect(out.status == 0)
        #expect(out.stdout.hasPrefix("unsat\n"))
    }

    @Test func reportsAValidatedCounterexampleAndWritesTheResultFile() throws {
        let results = try CLIRunner.temporaryFile("result.txt")
        let out = try CLIRunner.run(["verify", model, "models/iris/vnnlib/demo_sat.vnnlib", "--results", results])
        #expect(out.status == 10)
        #expect(out.stdout.hasPrefix("sat\n"))
        let text = try String(contentsOfFile: results, encoding: .utf8)
        let lines = text.split(separator: "\n")
        #expect(lines.first == "sat")
        #expect(lines.count == 1 + 4 + 3, "4 inputs and 3 outputs: \(text)")
        #expect(lines[1].hasPrefix("((X_0 ") && lines.last!.hasSuffix("))"))
    }

    @Test func unsatResultFile() throws {
        let results = try CLIRunner.temporaryFile("result.txt")
        _ = try CLIRunner.run(["verify", model, "models/iris/vnnlib/threshold_setosa.vnnlib", "--results", results])
        #expect(try String(contentsOfFile: results, encoding: .utf8) == "unsat\n")
    }

    /// Every search method gives the MILP ground truth on a bundled 64-input ReLU model (the attack
    /// share is 0 so that the search itself must decide).
    @Test(arguments: ["auto", "input-split", "activation-split", "milp"])
    func everyMethodAgreesWithTheGroundTruth(method: String) throws {
        for (spec, expected) in [("img1496_eps0.02", "unsat"), ("img1496_eps0.05", "sat"), ("img0188_eps0.005", "unsat")] {
            let out = try CLIRunner.run(["verify", "models/digits/onnx/digits_mlp.onnx", "models/digits/vnnlib/\(spec).vnnlib",
                                         "--method", method, "--attack-share", "0", "--timeout", "60"])
            #expect(out.stdout.hasPrefix(expected + "\n"), "\(method) on \(spec): \(out.stdout)\(out.stderr)")
        }
    }

    @Test func infoDescribesTheModel() throws {
        let out = try CLIRunner.run(["info", model])
        #expect(out.status == 0)
        #expect(out.stdout.contains("Gemm"))
        #expect(out.stdout.contains("[1 x 4]"))
    }

    @Test func acasXuInstanceWhenSharedIsPresent() throws {
        guard let shared = CLIRunner.sharedBenchmarks else {
            print("skipped: ../shared/benchmarks not found (the competition files are not in this repository)")
            return
        }
        let out = try CLIRunner.run(["verify", "\(shared)/acasxu/onnx/ACASXU_run2a_1_1_batch_2000.onnx",
                                     "\(shared)/acasxu/vnnlib/prop_1.vnnlib", "--timeout", "60"])
        #expect(out.status == 0 && out.stdout.hasPrefix("unsat"), "\(out.stdout)\(out.stderr)")
        let sat = try CLIRunner.run(["verify", "\(shared)/acasxu/onnx/ACASXU_run2a_2_1_batch_2000.onnx",
                                     "\(shared)/acasxu/vnnlib/prop_2.vnnlib", "--timeout", "60"])
        #expect(sat.status == 10 && sat.stdout.hasPrefix("sat"), "\(sat.stdout)\(sat.stderr)")
    }
}
