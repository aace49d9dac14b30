import Foundation
import Testing

/// `nnverify plant` as a user runs it: a planted suite on the bundled iris model, then `bench` on it.
@Suite struct PlantCommandTests {
    @Test func aPlantedSuiteOnTheIrisModelBenchesWithNoWrongVerdict() throws {
        let out = URL(fileURLWithPath: try CLIRunner.temporaryFile("suite")).path
        let plant = try CLIRunner.run(["plant", "models/iris/onnx/iris_mlp.onnx", "--spec", "models/iris/vnnlib/demo_robust.vnnlib",
                                       "--planted", "2", "--clean", "1", "--seed", "3", "--timeout", "20", "--out", out], timeout: 300)
        #expect(plant.status == 0, "\(plant.stdout)\(plant.stderr)")
        let expected = try String(contentsOfFile: out + "/expected.csv", encoding: .utf8)
        #expect(expected.components(separatedBy: ",sat").count - 1 == 2, "\(expected)")
        #expect(expected.components(separatedBy: ",unsat").count - 1 == 1, "\(expected)")
        let witnesses = try FileManager.default.contentsOfDirectory(atPath: out + "/witnesses")
        #expect(witnesses.count == 2)
        let bench = try CLIRunner.run(["bench", out + "/instances.csv", "--expected", out + "/expected.csv"], timeout: 300)
        #expect(bench.status == 0, "\(bench.stdout)\(bench.stderr)")
        #expect(bench.stdout.contains(" 0 wrong"), "\(bench.stdout)")
        #expect(!bench.stdout.contains("WARNING"), "a planted witness failed validation: \(bench.stdout)")
    }

    @Test func badInputIsOneClearErrorAndExitOne() throws {
        let out = URL(fileURLWithPath: try CLIRunner.temporaryFile("suite")).path
        let missing = try CLIRunner.run(["plant", "no/such/model.onnx", "--eps", "0.1", "--out", out])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("no/such/model.onnx"), "\(missing.stderr)")
        let random = try CLIRunner.run(["plant", "--inputs", "3", "--out", out])
        #expect(random.status == 1, "\(random.stdout)\(random.stderr)")
        #expect(!random.stderr.isEmpty)
    }
}
