import Foundation
import Testing

/// End-to-end runs of `nnverify lipschitz` on the bundled models.
@Suite struct LipschitzCommandTests {
    let digits = "models/digits/onnx/digits_mlp.onnx"
    let digitsCSV = "models/digits/data/digits_test.csv"

    struct File: Decodable {
        struct Input: Decodable { var upper: Double; var lower: Double; var global: Double; var certifiedRadius: Double?; var rows: [Row] }
        struct Row: Decodable { var objective: String; var upper: Double; var lower: Double }
        var norm: String
        var dualNorm: String
        var inputs: [Input]
    }

    @Test func boundsLabelledInputsAndWritesTheJSON() throws {
        let dir = try CLIRunner.temporaryFile("lipschitz-digits")
        let out = try CLIRunner.run(["lipschitz", digits, "--inputs", digitsCSV, "--eps", "0.01", "--limit", "2",
                                     "--timeout-per-input", "1", "--out", dir])
        #expect(out.status == 0, "\(out.stdout)\(out.stderr)")
        #expect(out.stdout.contains("summary: 2 inputs"))
        let file = try JSONDecoder().decode(File.self, from: Data(contentsOf: URL(fileURLWithPath: dir + "/lipschitz.json")))
        #expect(file.norm == "linf" && file.dualNorm == "l1" && file.inputs.count == 2)
        for input in file.inputs {
            #expect(input.rows.count == 9, "one margin per other class")
            #expect(input.lower > 0 && input.lower <= input.upper && input.upper <= input.global)
            let radius = try #require(input.certifiedRadius)
            #expect(radius >= 0 && radius <= 0.01)
        }
    }

    @Test func boundsTheBoxesOfAProperty() throws {
        let out = try CLIRunner.run(["lipschitz", "models/iris/onnx/iris_mlp.onnx", "models/iris/vnnlib/demo_robust.vnnlib",
                                     "--norm", "l2", "--outputs", "0,2", "--timeout-per-input", "1"])
        #expect(out.status == 0, "\(out.stdout)\(out.stderr)")
        #expect(out.stdout.contains("outputs 0,2, bound on the gradient's l2 norm, 1 regions"))
    }

    /// `--jacobian-bounds`: the linear first bound is never above the interval one (it is intersected with
    /// it), and an unknown choice is refused by name. The generous time lets α-CROWN finish its iterations
    /// in both runs (same pre-activation bounds); with `--max-domains 1` the runs still take well under 1 s.
    @Test func linearJacobianBoundsAreAtMostTheIntervalOnes() throws {
        var uppers = [String: [Double]]()
        for relaxation in ["interval", "linear"] {
            let dir = try CLIRunner.temporaryFile("lipschitz-\(relaxation)")
            let out = try CLIRunner.run(["lipschitz", digits, "--inputs", digitsCSV, "--eps", "0.02", "--limit", "1", "--max-domains", "1",
                                         "--jacobian-bounds", relaxation, "--timeout-per-input", "20", "--out", dir])
            #expect(out.status == 0, "\(out.stdout)\(out.stderr)")
            let file = try JSONDecoder().decode(File.self, from: Data(contentsOf: URL(fileURLWithPath: dir + "/lipschitz.json")))
            uppers[relaxation] = file.inputs.flatMap { $0.rows.map(\.upper) }
        }
        let interval = try #require(uppers["interval"]), linear = try #require(uppers["linear"])
        #expect(interval.count == 9 && linear.count == 9)
        for (i, l) in zip(interval, linear) { #expect(l <= i, "linear \(l) above interval \(i)") }
        let bad = try CLIRunner.run(["lipschitz", digits, "--inputs", digitsCSV, "--eps", "0.01", "--jacobian-bounds", "cubic"])
        #expect(bad.status == 1 && bad.stderr.contains("jacobian-bounds"), "\(bad.stderr)")
    }

    @Test func badInputGivesClearErrors() throws {
        let negative = try CLIRunner.run(["lipschitz", digits, "--inputs", digitsCSV, "--eps=-0.1"])
        #expect(negative.status == 1 && negative.stderr.contains("--eps must be a number >= 0"), "\(negative.stderr)")
        let csv = try CLIRunner.temporaryFile("three-inputs.csv")
        try "0,0.1,0.2,0.3\n".write(toFile: csv, atomically: true, encoding: .utf8)
        let unsupported = try CLIRunner.run(["lipschitz", "Tests/Fixtures/onnx/div_computed.onnx", "--inputs", csv, "--eps", "0.1"])
        #expect(unsupported.status == 1 && unsupported.stderr.contains("Jacobian bounds do not support"), "\(unsupported.stderr)")
        let outputs = try CLIRunner.run(["lipschitz", digits, "--inputs", digitsCSV, "--eps", "0.1", "--outputs", "12", "--limit", "1"])
        #expect(outputs.status == 1 && outputs.stderr.contains("output 12 does not exist: the model has 10 outputs"), "\(outputs.stderr)")
    }

    @Test func monotonicityQueryEndsWithAVerdict() throws {
        let out = try CLIRunner.run(["lipschitz", "models/iris/onnx/iris_mlp.onnx", "models/iris/vnnlib/demo_robust.vnnlib",
                                     "--monotone", "2:0:decreasing", "--timeout-per-input", "1"])
        #expect([0, 10, 20].contains(out.status), "\(out.stdout)\(out.stderr)")
        let line = try #require(out.stdout.split(separator: "\n").first { $0.contains("region 0:") })
        let verdict = out.status == 0 ? "proven" : (out.status == 10 ? "violated" : "unknown")
        #expect(line.contains("region 0: \(verdict)"), "\(line)")
        let bad = try CLIRunner.run(["lipschitz", "models/iris/onnx/iris_mlp.onnx", "models/iris/vnnlib/demo_robust.vnnlib",
                                     "--monotone", "2-0"])
        #expect(bad.status == 1 && bad.stderr.contains("--monotone must be IN:OUT"), "\(bad.stderr)")
    }

    @Test func infoPrintsTheTightnessPerOutput() throws {
        let out = try CLIRunner.run(["info", digits, "--tightness", "--inputs", digitsCSV, "--limit", "5"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("IBP tightness") && out.stdout.contains("local (mean of 5 inputs)"))
        let rows = out.stdout.split(separator: "\n").filter { $0.trimmingCharacters(in: .whitespaces).hasPrefix("y") }
        #expect(rows.count == 10)
        for row in rows {
            let values = row.split(separator: " ").dropFirst().compactMap { Double($0) }
            #expect(values.count == 2 && values.allSatisfy { $0 > 0 && $0 <= 1 }, "\(row)")
        }
    }
}
