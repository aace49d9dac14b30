import Benchmarking
import Foundation
import Testing
import Verifier

/// The benchmark runner's independent checks, on the bundled iris suite (real model, real
/// properties, real witness files) with stand-in verifiers that answer wrongly on purpose.
@Suite struct SoundnessAuditTests {
    /// `<repo>/models/iris`, found from this file's real location.
    static let iris: String = {
        let tests = URL(fileURLWithPath: #filePath).deletingLastPathComponent().resolvingSymlinksInPath()
        return tests.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("models/iris").path
    }()

    /// A suite folder holding links to the iris model and properties, an instances.csv naming
    /// `specs`, and the witness files given (name → text).
    static func suite(specs: [String], witnesses: [String: String] = [:]) throws -> (TemporaryFolder, [Instance]) {
        let folder = try TemporaryFolder()
        let manager = FileManager.default
        try manager.createSymbolicLink(atPath: folder.path + "/onnx", withDestinationPath: iris + "/onnx")
        try manager.createSymbolicLink(atPath: folder.path + "/vnnlib", withDestinationPath: iris + "/vnnlib")
        for (name, text) in witnesses { try folder.write("witnesses/" + name, text) }
        let csv = specs.map { "onnx/iris_mlp.onnx,vnnlib/\($0).vnnlib,30" }.joined(separator: "\n")
        let instances = try InstanceList.read(path: try folder.write("instances.csv", csv + "\n"))
        return (folder, instances)
    }

    static func expected(_ pairs: [(String, String)]) throws -> ExpectedVerdicts {
        let lines = pairs.map { "onnx/iris_mlp.onnx,vnnlib/\($0.0).vnnlib,\($0.1)" }
        return try ExpectedVerdicts.parse(text: "onnx,vnnlib,expected\n" + lines.joined(separator: "\n"), file: "expected.csv")
    }

    @Test func unsatOnAnInstanceWithAValidKnownWitnessIsASoundnessErrorEvenIfExpectedSaysUnsat() throws {
        let witness = try String(contentsOfFile: Self.iris + "/witnesses/iris_mlp__demo_sat.counterexample", encoding: .utf8)
        let (folder, instances) = try Self.suite(specs: ["demo_sat"], witnesses: ["iris_mlp__demo_sat.counterexample": witness])
        defer { folder.remove() }
        let report = try BenchmarkRunner().run(instances, expected: try Self.expected([("demo_sat", "unsat")])) { _, _ in
            VerificationResult(verdict: .unsat, seconds: 0, decidedBy: "stand-in")
        }
        #expect(report.rows[0].audit.knownWitness == .valid)
        #expect(report.rows[0].outcome == .unsound)
        #expect(report.summary.soundnessErrors == 1)
        #expect(report.summary.text.hasPrefix("SOUNDNESS ERROR: unsat on onnx/iris_mlp.onnx vnnlib/demo_sat.vnnlib, expected sat (a known counterexample validates)"))
    }

    @Test func aKnownWitnessAloneDecidesTheTruthWithoutAnExpectedFile() throws {
        let witness = try String(contentsOfFile: Self.iris + "/witnesses/iris_mlp__demo_sat.counterexample", encoding: .utf8)
        let (folder, instances) = try Self.suite(specs: ["demo_sat"], witnesses: ["iris_mlp__demo_sat.counterexample": witness])
        defer { folder.remove() }
        let report = try BenchmarkRunner().run(instances) { _, _ in
            VerificationResult(verdict: .unsat, seconds: 0, decidedBy: "stand-in")
        }
        #expect(report.rows[0].expectedText == "sat")
        #expect(report.summary.hasWrongVerdicts)
    }

    @Test func aSatAnswerWithABogusCounterexampleIsInvalid() throws {
        let (folder, instances) = try Self.suite(specs: ["demo_robust", "demo_sat"])
        defer { folder.remove() }
        let report = try BenchmarkRunner().run(instances) { instance, _ in
            // The centre of demo_robust's box is classified correctly: not a counterexample.
            instance.vnnlibPath.contains("robust")
                ? VerificationResult(verdict: .sat, witness: Witness(input: [5.8, 2.8, 4.3, 1.3], output: [0, 0, 0]),
                                     seconds: 0, decidedBy: "stand-in")
                : VerificationResult(verdict: .sat, seconds: 0, decidedBy: "stand-in")
        }
        #expect(report.rows.map(\.outcome) == [.invalidCounterexample, .invalidCounterexample])
        #expect(report.summary.invalidCounterexamples == 2)
        #expect(report.summary.solved == 0)
        let lines = report.summary.text.split(separator: "\n")
        #expect(lines[0].hasPrefix("INVALID COUNTEREXAMPLE: sat on onnx/iris_mlp.onnx vnnlib/demo_robust.vnnlib: the counterexample fails re-validation"))
        #expect(lines[1] == "INVALID COUNTEREXAMPLE: sat on onnx/iris_mlp.onnx vnnlib/demo_sat.vnnlib: sat was answered without a counterexample")
        #expect(report.summary.line.contains("2 wrong (2 INVALID COUNTEREXAMPLE)"))
    }

    @Test func aRealCounterexampleAndAValidKnownWitnessAreConfirmed() throws {
        let text = try String(contentsOfFile: Self.iris + "/witnesses/iris_mlp__demo_sat.counterexample", encoding: .utf8)
        let known = try ResultFile.parse(text: text, file: "w").witness
        let (folder, instances) = try Self.suite(specs: ["demo_sat"], witnesses: ["iris_mlp__demo_sat.counterexample": text])
        defer { folder.remove() }
        let report = try BenchmarkRunner().run(instances) { _, _ in
            VerificationResult(verdict: .sat, witness: known, seconds: 0, decidedBy: "stand-in")
        }
        #expect(report.rows[0].audit == SoundnessAudit(knownWitness: .valid, counterexample: .valid, float32: .passes))
        #expect(report.rows[0].outcome == .confirmed)
        #expect(!report.summary.hasWrongVerdicts)
    }

    @Test func aWitnessFileThatDoesNotValidateIsAWarningAndExpectedDecides() throws {
        // A doctored witness for the robust property: its input is the box centre, not a counterexample.
        let bogus = "((X_0 5.8)\n(X_1 2.8)\n(X_2 4.3)\n(X_3 1.3)\n(Y_0 0)\n(Y_1 0)\n(Y_2 0))\n"
        let (folder, instances) = try Self.suite(specs: ["demo_robust"], witnesses: ["iris_mlp__demo_robust.counterexample": bogus])
        defer { folder.remove() }
        let report = try BenchmarkRunner().run(instances, expected: try Self.expected([("demo_robust", "unsat")])) { _, _ in
            VerificationResult(verdict: .unsat, seconds: 0, decidedBy: "stand-in")
        }
        guard case .invalid(let reason) = report.rows[0].audit.knownWitness else {
            Issue.record("the bogus witness was accepted")
            return
        }
        #expect(reason.contains("does not validate"))
        #expect(report.rows[0].outcome == .confirmed)
        #expect(report.summary.text.contains("WARNING: suite witness for onnx/iris_mlp.onnx vnnlib/demo_robust.vnnlib is not a counterexample"))
    }
}
