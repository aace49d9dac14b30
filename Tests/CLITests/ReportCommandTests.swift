import Foundation
import Testing

/// End-to-end runs of `nnverify report` on the bundled digits model and images.
@Suite struct ReportCommandTests {
    let model = "models/digits/onnx/digits_mlp.onnx"
    let csv = "models/digits/data/digits_test.csv"

    func outDirectory() throws -> String {
        let dir = try CLIRunner.temporaryFile("report")
        try? FileManager.default.removeItem(atPath: dir)
        return dir
    }

    @Test func holdingThresholdExitsZeroAndWritesTheFiles() throws {
        let out = try outDirectory()
        let run = try CLIRunner.run(["report", model, "--inputs", csv, "--eps", "0.01,0.02,0.05", "--limit", "20",
                                     "--timeout-per-input", "2", "--out", out, "--fail-under", "certified@0.02=0.5,clean=50%"])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("threshold certified@0.02 >= 0.5: measured"))
        #expect(run.stderr.contains("inputs 20/20"), "line-based progress when not a terminal: \(run.stderr)")
        for name in ["report.json", "report.md", "junit.xml", "report.html"] {
            #expect(FileManager.default.fileExists(atPath: (out as NSString).appendingPathComponent(name)), "\(name)")
        }
    }

    /// The bundled tabular model (breast cancer, 30 scaled features): every input decided, no gallery needed.
    @Test func tabularModelReport() throws {
        let out = try outDirectory()
        let run = try CLIRunner.run(["report", "models/breast_cancer/onnx/breast_cancer_mlp.onnx",
                                     "--inputs", "models/breast_cancer/data/breast_cancer_test.csv", "--eps", "0.01,0.05",
                                     "--quiet", "--out", out, "--fail-under", "clean=0.95"])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        for file in ["report.json", "report.md", "junit.xml", "report.html"] {
            #expect(FileManager.default.fileExists(atPath: out + "/" + file), "missing \(file)")
        }
    }

    /// The bundled CNN on NPZ images: Conv layers through attack, bounds and verifier; the HTML
    /// gallery shows its counterexamples.
    @Test func convolutionalModelReportWithGallery() throws {
        let out = try outDirectory()
        let run = try CLIRunner.run(["report", "models/digits/onnx/digits_cnn.onnx", "--inputs", "models/digits/data/digits_test.npz",
                                     "--eps", "0.1", "--limit", "12", "--quiet", "--out", out])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        let html = (try? String(contentsOfFile: out + "/report.html", encoding: .utf8)) ?? ""
        #expect(html.contains("data:image/png;base64,"), "no counterexample images in the gallery")
    }

    @Test func failingThresholdExitsTwoAndNamesIt() throws {
        let out = try outDirectory()
        let run = try CLIRunner.run(["report", model, "--inputs", csv, "--eps", "0.02,0.1", "--limit", "20", "--quiet",
                                     "--timeout-per-input", "2", "--out", out, "--fail-under", "clean=0.5", "--fail-under", "certified@0.1=0.99"])
        #expect(run.status == 2, "\(run.stdout)\(run.stderr)")
        #expect(run.stderr.contains("threshold failed: certified@0.1 >= 0.99: measured 0."), "\(run.stderr)")
        #expect(!run.stderr.contains("clean@"), "only the failing threshold is named: \(run.stderr)")
        #expect(!run.stderr.contains("inputs 20/20"), "--quiet prints no progress")
        #expect(FileManager.default.fileExists(atPath: (out as NSString).appendingPathComponent("report.html")))
    }

    @Test(arguments: [
        (["--eps", "0.01,abc"], "'abc' is not a number"),
        (["--eps", "0.01", "--fail-under", "certified@0.02=0.8"], "not among the radii"),
        (["--eps", "0.01", "--fail-under", "robust@0.01=0.8"], "unknown metric"),
        (["--eps", "0.01", "--fail-under", "certified0.01=0.8"], "unknown metric"),
        (["--eps", "0.01", "--range", "1,0"], "--range must be"),
        (["--eps", "0.01", "--timeout-per-input", "0"], "--timeout-per-input"),
        (["--eps", "0.01", "--attack", "magic"], "magic"),
    ])
    func badInputExitsOne(arguments: [String], message: String) throws {
        let run = try CLIRunner.run(["report", model, "--inputs", csv] + arguments + ["--out", try outDirectory()])
        #expect(run.status == 1, "\(run.stdout)\(run.stderr)")
        #expect(run.stderr.contains(message), "\(run.stderr)")
    }

    @Test func missingDataFileExitsOneNamingIt() throws {
        let run = try CLIRunner.run(["report", model, "--inputs", "no/such.csv", "--eps", "0.01", "--out", try outDirectory()])
        #expect(run.status == 1)
        #expect(run.stderr.contains("no/such.csv"), "\(run.stderr)")
    }
}

/// `nnverify report --instances`: per-instance verdicts and the verified=MIN threshold.
@Suite struct InstanceReportCommandTests {
    @Test func holdsAndFailsTheVerifiedThreshold() throws {
        let out = try CLIRunner.temporaryFile("instances")
        let pass = try CLIRunner.run(["report", "--instances", "models/iris/instances.csv", "--timeout-scale", "0.2", "--out", out,
                                      "--fail-under", "verified=0.5"])
        #expect(pass.status == 0, "\(pass.stdout)\(pass.stderr)")
        #expect(pass.stdout.contains("34 instances (sat 14, unsat 20)"), "\(pass.stdout)")
        let fail = try CLIRunner.run(["report", "--instances", "models/iris/instances.csv", "--timeout-scale", "0.2", "--out", out,
                                      "--fail-under", "verified=90%", "--quiet"])
        #expect(fail.status == 2, "\(fail.stdout)\(fail.stderr)")
        #expect(fail.stderr.contains("threshold failed: verified >= 0.9: measured 0.5882"), "\(fail.stderr)")
        let bad = try CLIRunner.run(["report", "--instances", "models/iris/instances.csv", "--eps", "0.1"])
        #expect(bad.status == 1 && bad.stderr.contains("--instances names its own models"), "\(bad.stderr)")
    }
}
