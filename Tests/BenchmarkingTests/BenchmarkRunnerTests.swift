import Benchmarking
import Foundation
import Testing
import Verifier

/// Thread-safe recorder for values produced inside runner callbacks.
final class Recorder<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored = [Value]()

    func append(_ value: Value) {
        lock.lock()
        stored.append(value)
        lock.unlock()
    }

    var values: [Value] {
        lock.lock()
        defer { lock.unlock() }
        return stored
    }
}

@Suite struct BenchmarkRunnerTests {
    /// Eight instances `n.onnx,p<i>.vnnlib,<i+1>` in a folder that does not exist.
    static func instances() throws -> [Instance] {
        let text = (0..<8).map { "n.onnx,p\($0).vnnlib,\($0 + 1)" }.joined(separator: "\n")
        return try InstanceList.parse(text: text, file: "suite/instances.csv", directory: "/nonexistent-suite")
    }

    /// Ground truth: even instances sat, odd ones unsat.
    static func expected() throws -> ExpectedVerdicts {
        let lines = (0..<8).map { "n.onnx,p\($0).vnnlib,\($0 % 2 == 0 ? "sat" : "unsat")" }
        return try ExpectedVerdicts.parse(text: "onnx,vnnlib,expected\n" + lines.joined(separator: "\n"), file: "e.csv")
    }

    /// The fabricated verdict for instance `i`: correct except p3 (unsat expected, answers sat) and
    /// p4 (sat expected, answers unsat: a soundness error); p6 times out, p7 errors.
    static func verdict(_ index: Int) -> Verdict {
        switch index {
        case 3: return .sat
        case 4: return .unsat
        case 6: return .timeout
        case 7: return .error
        default: return index % 2 == 0 ? .sat : .unsat
        }
    }

    static func index(of instance: Instance) -> Int {
        Int(instance.vnnlibPath.dropFirst().prefix { $0.isNumber }) ?? -1
    }

    /// A verifier stand-in: instance p0 waits (bounded) until p1 has started, so with two jobs both
    /// are in flight at once and p0 finishes after several later rows.
    static func makeVerify(started: Recorder<Int>, timeouts: Recorder<Double>, p1Started: DispatchSemaphore)
        -> @Sendable (Instance, Double) -> VerificationResult
    {
        return { instance, timeout in
            let index = index(of: instance)
            started.append(index)
            timeouts.append(timeout)
            if index == 1 { p1Started.signal() }
            if index == 0 {
                if p1Started.wait(timeout: .now() + 10) == .timedOut { return VerificationResult(verdict: .error, seconds: 0, decidedBy: "test: p1 never started") }
                Thread.sleep(forTimeInterval: 0.05)
            }
            return fabricatedResult(index)
        }
    }

    /// The result for instance `index`; an error carries its message as the `"error"` statistic.
    static func fabricatedResult(_ index: Int) -> VerificationResult {
        var statistics = [(String, String)]()
        if verdict(index) == .error { statistics.append(("error", "cannot parse model")) }
        return VerificationResult(verdict: verdict(index), seconds: 0, decidedBy: "test", statistics: statistics)
    }

    private func check(_ report: BenchmarkReport, progress: [Int]) throws {
        #expect(progress == Array(0..<8))
        #expect(report.rows.map(\.vnnlib) == (0..<8).map { "p\($0).vnnlib" })
        #expect(report.rows.map(\.verdict) == (0..<8).map(Self.verdict))
        #expect(report.results.map(\.verdict) == (0..<8).map(Self.verdict))
        #expect(report.rows.map(\.correctText) == ["yes", "yes", "yes", "no", "no", "yes", "", ""])
        #expect(report.rows[7].detail == "cannot parse model")
        #expect(report.summary.solved == 4)
        #expect(report.summary.wrong == 2)
        #expect(report.summary.soundnessErrors == 1)
        #expect(report.summary.score == 4 * 10 - 2 * 150)
        #expect(report.summary.text.hasPrefix("SOUNDNESS ERROR: unsat on n.onnx p4.vnnlib, expected sat\nWRONG: sat on n.onnx p3.vnnlib"))
    }

    @Test func twoJobsKeepCSVOrderAndRunConcurrently() throws {
        let instances = try Self.instances()
        let started = Recorder<Int>(), timeouts = Recorder<Double>(), progress = Recorder<Int>()
        let runner = try BenchmarkRunner(timeoutScale: 0.5, jobs: 2, checkFilesExist: false, auditsCounterexamples: false)
        let report = runner.run(instances, expected: try Self.expected(),
                                verify: Self.makeVerify(started: started, timeouts: timeouts, p1Started: DispatchSemaphore(value: 0)),
                                progress: { progress.append($0.index) })
        try check(report, progress: progress.values)
        #expect(report.results[0].decidedBy == "test")   // p0 saw p1 start: two instances were in flight
        #expect(started.values.sorted() == Array(0..<8))
        #expect(timeouts.values.sorted() == (1...8).map { Double($0) * 0.5 })
    }

    @Test func asyncRunWithTwoJobsKeepsCSVOrder() async throws {
        let instances = try Self.instances()
        let started = Recorder<Int>(), timeouts = Recorder<Double>(), progress = Recorder<Int>()
        let runner = try BenchmarkRunner(jobs: 2, checkFilesExist: false, auditsCounterexamples: false)
        // Waits without blocking a thread: p0 polls (at most 10 s) until p1 has started.
        let report = await runner.run(instances, expected: try Self.expected(), verifyAsync: { instance, timeout in
            let index = Self.index(of: instance)
            started.append(index)
            timeouts.append(timeout)
            if index == 0 {
                var polls = 0
                while !started.values.contains(1) && polls < 1000 {
                    try? await Task.sleep(for: .milliseconds(10))
                    polls += 1
                }
                if !started.values.contains(1) { return VerificationResult(verdict: .error, seconds: 0, decidedBy: "test: p1 never started") }
                try? await Task.sleep(for: .milliseconds(50))
            }
            return Self.fabricatedResult(index)
        }, progress: { progress.append($0.index) })
        try check(report, progress: progress.values)
        #expect(report.results[0].decidedBy == "test")
        #expect(timeouts.values.sorted() == (1...8).map(Double.init))
    }

    @Test func oneJobRunsInOrder() throws {
        let instances = try Self.instances()
        let started = Recorder<Int>()
        let runner = try BenchmarkRunner(checkFilesExist: false, auditsCounterexamples: false)
        let report = runner.run(instances, expected: nil) { instance, _ in
            started.append(Self.index(of: instance))
            return VerificationResult(verdict: .unknown, seconds: 0, decidedBy: "test")
        }
        #expect(started.values == Array(0..<8))
        #expect(report.rows.allSatisfy { $0.expected == nil && $0.correct == nil })
        #expect(report.summary.unknownOrTimeout == 8)
    }

    @Test func missingFilesBecomeErrorRowsWithoutCallingTheVerifier() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("onnx/a.onnx", "x")
        try folder.write("vnnlib/p.vnnlib", "x")
        let path = try folder.write("instances.csv", "onnx/a.onnx,vnnlib/p.vnnlib,1\nonnx/b.onnx,vnnlib/p.vnnlib,1\n")
        let instances = try InstanceList.read(path: path)
        let calls = Recorder<String>()
        let report = try BenchmarkRunner(jobs: 2).run(instances) { instance, _ in
            calls.append(instance.onnxPath)
            return VerificationResult(verdict: .unsat, seconds: 0, decidedBy: "test")
        }
        #expect(calls.values == ["onnx/a.onnx"])
        #expect(report.rows.map(\.verdict) == [.unsat, .error])
        #expect(report.rows[1].detail == "\(path):2: onnx file not found: \(folder.path)/onnx/b.onnx (written 'onnx/b.onnx')")
        #expect(report.summary.errors == 1)
    }

    @Test func invalidOptionsAreRejected() {
        #expect(errorText { _ = try BenchmarkRunner(jobs: 0) } == "invalid jobs '0': must be at least 1")
        #expect(errorText { _ = try BenchmarkRunner(timeoutScale: 0) } == "invalid timeout scale '0.0': must be a positive finite number")
        #expect(errorText { _ = try BenchmarkRunner(timeoutScale: .nan) } == "invalid timeout scale 'nan': must be a positive finite number")
    }
}
