import Foundation
import Testing

/// `verify` stopped by a signal, and capped in memory, on a hard ACAS Xu instance of the shared
/// suite (`3_3 prop_2`: unsat, about 30 s in a release build, far longer in a debug one).
@Suite struct ResilienceCommandTests {
    static var hardInstance: (onnx: String, vnnlib: String)? {
        guard let shared = CLIRunner.sharedBenchmarks else { return nil }
        let onnx = shared + "/acasxu/onnx/ACASXU_run2a_3_3_batch_2000.onnx", vnnlib = shared + "/acasxu/vnnlib/prop_2.vnnlib"
        guard FileManager.default.fileExists(atPath: onnx), FileManager.default.fileExists(atPath: vnnlib) else { return nil }
        return (onnx, vnnlib)
    }

    @Test func sigtermLeavesAWellFormedResultFileWithinOneSecond() throws {
        guard let instance = Self.hardInstance else {
            print("skipped: ../shared/benchmarks/acasxu is absent")
            return
        }
        let results = try CLIRunner.temporaryFile("result.txt")
        let process = Process()
        process.executableURL = CLIRunner.executable
        process.arguments = ["verify", instance.onnx, instance.vnnlib, "--timeout", "300", "--results", results]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        Thread.sleep(forTimeInterval: 2)
        try #require(process.isRunning, "the instance must still be running after 2 s for the test to mean anything")
        let signalled = Date()
        kill(process.processIdentifier, SIGTERM)
        while process.isRunning && Date().timeIntervalSince(signalled) < 5 { Thread.sleep(forTimeInterval: 0.005) }
        let took = Date().timeIntervalSince(signalled)
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        #expect(took < 1, "exit took \(took) s after SIGTERM")
        #expect(process.terminationReason == .exit && process.terminationStatus == 20)
        #expect(try String(contentsOfFile: results, encoding: .utf8) == "timeout\n")
    }

    @Test func aTinyMemoryCapAnswersUnknownWithTheReason() throws {
        guard let instance = Self.hardInstance else {
            print("skipped: ../shared/benchmarks/acasxu is absent")
            return
        }
        let results = try CLIRunner.temporaryFile("result.txt")
        let out = try CLIRunner.run(["verify", instance.onnx, instance.vnnlib, "--timeout", "60", "--max-memory", "1K",
                                     "--results", results])
        #expect(out.status == 20, "\(out.stdout)\(out.stderr)")
        #expect(out.stdout.hasPrefix("unknown\n"), "\(out.stdout)")
        // The queue limit or the resident-memory limit (the process holds far more than 1K): both say so.
        #expect(out.stdout.contains("memory limit)"), "\(out.stdout)")
        #expect(try String(contentsOfFile: results, encoding: .utf8) == "unknown\n")
        // The MILP has no batches: it checks the resident size itself, and says so the same way.
        let milp = try CLIRunner.run(["verify", instance.onnx, instance.vnnlib, "--timeout", "20", "--attack-share", "0",
                                      "--method", "milp", "--max-memory", "1M"])
        #expect(milp.status == 20 && milp.stdout.hasPrefix("unknown\n"), "\(milp.stdout)\(milp.stderr)")
        #expect(milp.stdout.contains("MILP: resident memory") && milp.stdout.contains("(memory limit)"), "\(milp.stdout)")
        let bad = try CLIRunner.run(["verify", instance.onnx, instance.vnnlib, "--max-memory", "lots"])
        #expect(bad.status == 1 && bad.stderr.contains("--max-memory must be a positive size"), "\(bad.stderr)")
    }

    /// The live status line appears only on a terminal: with stderr a pipe (as here, and under every
    /// harness) a run well past the status line's first second prints nothing on stderr and no escape
    /// sequence or carriage return anywhere, with and without `--quiet`, and the same lines on stdout.
    @Test func noStatusLineWhenStderrIsNotATerminalOrWithQuiet() throws {
        guard let instance = Self.hardInstance else {
            print("skipped: ../shared/benchmarks/acasxu is absent")
            return
        }
        var shapes = [[String]]()
        for extra in [[], ["--quiet"]] {
            let out = try CLIRunner.run(["verify", instance.onnx, instance.vnnlib, "--timeout", "3"] + extra)
            #expect(out.status == 20, "\(out.stdout)\(out.stderr)")
            #expect(out.stderr.isEmpty, "\(out.stderr.debugDescription)")
            #expect(!out.stdout.contains("\r") && !out.stdout.contains("\u{1B}"), "\(out.stdout.debugDescription)")
            #expect(out.stdout.hasPrefix("timeout\n  decided by: deadline\n"), "\(out.stdout)")
            shapes.append(out.stdout.split(separator: "\n").map { String($0.prefix { $0 != ":" }) })
        }
        #expect(shapes[0] == shapes[1], "the same summary lines with and without --quiet")
    }
}
