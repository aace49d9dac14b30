import Foundation
import Verifier

/// One finished instance, handed to the progress callback.
public struct BenchmarkProgress: Sendable {
    /// 0-based position of the instance in csv order.
    public var index: Int
    /// Number of instances in the run.
    public var total: Int
    /// The instance.
    public var instance: Instance
    /// Its results row.
    public var row: BenchmarkRow
    /// What the verifier returned (for a missing file: an `error` result made by the runner).
    public var result: VerificationResult
}

/// Everything a run produced, in csv order.
public struct BenchmarkReport: Sendable {
    /// The instances, as given.
    public var instances: [Instance]
    /// One row per instance, same order.
    public var rows: [BenchmarkRow]
    /// The verifier's result per instance, same order (witnesses live here).
    public var results: [VerificationResult]
    /// Totals and score over `rows`.
    public var summary: BenchmarkSummary
}

/// Runs a suite: every instance through a verification closure with its (scaled) timeout, on up to
/// `jobs` instances at a time, and compares each verdict with the ground truth.
///
/// Order is deterministic: rows, results and progress callbacks always follow csv order, whatever
/// the number of jobs (a row finished early is held back until all rows before it are done).
/// Seconds are the wall-clock time the runner measures around the closure call (loading included).
/// The closure must honour the timeout it is given; the runner does not interrupt it.
public struct BenchmarkRunner: Sendable {
    /// Multiplies every instance's timeout (> 0, finite).
    public let timeoutScale: Double
    /// How many instances run at the same time (>= 1).
    public let jobs: Int
    /// When `true`, an instance whose ONNX or VNN-LIB file is missing is not run: it gets verdict
    /// `error` and a detail naming the missing file and its csv line.
    public let checkFilesExist: Bool
    /// When `true` (the default), every row gets a ``SoundnessAudit``: the suite's known
    /// counterexample and every `sat` answer's counterexample are re-validated from the files.
    /// Only runs without real files (tests with stand-in verifiers) turn it off.
    public let auditsCounterexamples: Bool

    /// Creates a runner.
    /// - Throws: `.invalidOption` when `timeoutScale` is not a positive finite number or `jobs < 1`.
    public init(timeoutScale: Double = 1, jobs: Int = 1, checkFilesExist: Bool = true,
                auditsCounterexamples: Bool = true) throws(BenchmarkingError) {
        guard timeoutScale.isFinite, timeoutScale > 0 else {
            throw .invalidOption(name: "timeout scale", value: "\(timeoutScale)", requirement: "must be a positive finite number")
        }
        guard jobs >= 1 else {
            throw .invalidOption(name: "jobs", value: "\(jobs)", requirement: "must be at least 1")
        }
        self.timeoutScale = timeoutScale
        self.jobs = jobs
        self.checkFilesExist = checkFilesExist
        self.auditsCounterexamples = auditsCounterexamples
    }

    /// The time budget the closure receives for `instance`: its csv timeout times `timeoutScale`.
    public func timeout(for instance: Instance) -> Double {
        instance.timeoutSeconds * timeoutScale
    }

    /// Runs all instances, blocking the calling thread; with `jobs > 1` the closure is called on
    /// `jobs` dedicated threads (so it may block and compute freely).
    /// - Parameters:
    ///   - verify: `(instance, timeoutSeconds) -> result`; called once per instance.
    ///   - progress: called once per row, in csv order, never concurrently with itself.
    ///   - finished: called once per row as soon as it is finished (any order; never concurrently
    ///     with itself or `progress`), e.g. to append it durably to a results file.
    public func run(
        _ instances: [Instance],
        expected: ExpectedVerdicts? = nil,
        verify: @escaping @Sendable (Instance, Double) -> VerificationResult,
        progress: @escaping @Sendable (BenchmarkProgress) -> Void = { _ in },
        finished: @escaping @Sendable (BenchmarkProgress) -> Void = { _ in }
    ) -> BenchmarkReport {
        let collector = OrderedCollector(instances: instances, finished: finished, progress: progress)
        let work: @Sendable () -> Void = {
            while let index = collector.claimNext() {
                let outcome = self.runOne(instances[index], expected: expected) { verify(instances[index], $0) }
                collector.finish(index: index, row: outcome.row, result: outcome.result)
            }
        }
        let threads = min(jobs, instances.count)
        if threads <= 1 {
            work()
        } else {
            let group = DispatchGroup()
            for _ in 0..<threads {
                group.enter()
                let thread = Thread {
                    work()
                    group.leave()
                }
                thread.stackSize = 16 << 20
                thread.start()
            }
            group.wait()
        }
        return collector.report(summaryOf: instances)
    }

    /// Runs all instances as child tasks, at most `jobs` at a time.
    /// - Parameters:
    ///   - verifyAsync: `(instance, timeoutSeconds) async -> result`; called once per instance.
    ///   - progress: called once per row, in csv order, never concurrently with itself.
    public func run(
        _ instances: [Instance],
        expected: ExpectedVerdicts? = nil,
        verifyAsync: @escaping @Sendable (Instance, Double) async -> VerificationResult,
        progress: @escaping @Sendable (BenchmarkProgress) -> Void = { _ in }
    ) async -> BenchmarkReport {
        let collector = OrderedCollector(instances: instances, finished: { _ in }, progress: progress)
        await withTaskGroup(of: (Int, RowOutcome).self) { group in
            var next = 0
            func startNext() {
                guard next < instances.count else { return }
                let index = next
                next += 1
                group.addTask {
                    let instance = instances[index]
                    let expectedVerdict = expected?.expected(for: instance)
                    if let missing = self.missingFilesOutcome(instance, expected: expectedVerdict) { return (index, missing) }
                    let clock = ContinuousClock()
                    let start = clock.now
                    let result = await verifyAsync(instance, self.timeout(for: instance))
                    return (index, self.outcome(instance, expected: expectedVerdict, result: result, elapsed: start.duration(to: clock.now)))
                }
            }
            for _ in 0..<min(jobs, instances.count) { startNext() }
            for await (index, outcome) in group {
                collector.finish(index: index, row: outcome.row, result: outcome.result)
                startNext()
            }
        }
        return collector.report(summaryOf: instances)
    }

    struct RowOutcome: Sendable {
        var row: BenchmarkRow
        var result: VerificationResult
    }

    /// Runs one instance synchronously through `call(timeout)`.
    func runOne(_ instance: Instance, expected: ExpectedVerdicts?, call: (Double) -> VerificationResult) -> RowOutcome {
        let expectedVerdict = expected?.expected(for: instance)
        if let missing = missingFilesOutcome(instance, expected: expectedVerdict) { return missing }
        let clock = ContinuousClock()
        let start = clock.now
        let result = call(timeout(for: instance))
        return outcome(instance, expected: expectedVerdict, result: result, elapsed: start.duration(to: clock.now))
    }

    /// The `error` outcome for an instance with missing files, or `nil` if all exist (or unchecked).
    func missingFilesOutcome(_ instance: Instance, expected: ExpectedVerdict?) -> RowOutcome? {
        guard checkFilesExist else { return nil }
        let missing = InstanceList.validateFilesExist([instance])
        guard !missing.isEmpty else { return nil }
        let detail = missing.map(\.description).joined(separator: "; ")
        let result = VerificationResult(verdict: .error, seconds: 0, decidedBy: "benchmark runner",
                                        statistics: [("error", detail)])
        let row = BenchmarkRow(onnx: instance.onnxPath, vnnlib: instance.vnnlibPath, verdict: .error,
                               seconds: 0, expected: expected, detail: detail)
        return RowOutcome(row: row, result: result)
    }

    /// The row for a finished call; an `error` result's `"error"` statistic becomes the row detail.
    /// The soundness audit (known witness, returned counterexample) runs here, outside the timed call.
    func outcome(_ instance: Instance, expected: ExpectedVerdict?, result: VerificationResult, elapsed: Duration) -> RowOutcome {
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        let detail = result.verdict == .error ? (result.statistics.first { $0.0 == "error" }?.1 ?? "") : ""
        let audit = auditsCounterexamples ? SoundnessAudit.audit(instance: instance, result: result) : SoundnessAudit()
        let row = BenchmarkRow(onnx: instance.onnxPath, vnnlib: instance.vnnlibPath, verdict: result.verdict,
                               seconds: seconds, expected: expected, detail: detail, audit: audit)
        return RowOutcome(row: row, result: result)
    }
}

/// Collects rows finished in any order and emits them to the progress callback in index order.
final class OrderedCollector: @unchecked Sendable {
    private let lock = NSLock()
    private let instances: [Instance]
    private let finished: @Sendable (BenchmarkProgress) -> Void
    private let progress: @Sendable (BenchmarkProgress) -> Void
    private var slots: [BenchmarkRunner.RowOutcome?]
    private var nextToClaim = 0
    private var nextToEmit = 0

    init(instances: [Instance], finished: @escaping @Sendable (BenchmarkProgress) -> Void,
         progress: @escaping @Sendable (BenchmarkProgress) -> Void) {
        self.instances = instances
        self.finished = finished
        self.progress = progress
        self.slots = Array(repeating: nil, count: instances.count)
    }

    /// The next unclaimed index, or `nil` when all are taken.
    func claimNext() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard nextToClaim < instances.count else { return nil }
        nextToClaim += 1
        return nextToClaim - 1
    }

    /// Stores a finished row and emits every row that is now next in order.
    func finish(index: Int, row: BenchmarkRow, result: VerificationResult) {
        lock.lock()
        defer { lock.unlock() }
        slots[index] = BenchmarkRunner.RowOutcome(row: row, result: result)
        finished(BenchmarkProgress(index: index, total: slots.count, instance: instances[index], row: row, result: result))
        while nextToEmit < slots.count, let ready = slots[nextToEmit] {
            progress(BenchmarkProgress(index: nextToEmit, total: slots.count, instance: instances[nextToEmit],
                                       row: ready.row, result: ready.result))
            nextToEmit += 1
        }
    }

    /// The report once every slot is filled.
    func report(summaryOf instances: [Instance]) -> BenchmarkReport {
        lock.lock()
        defer { lock.unlock() }
        let finished = slots.compactMap { $0 }
        precondition(finished.count == slots.count, "benchmark runner: \(slots.count - finished.count) instances never finished")
        let rows = finished.map(\.row)
        return BenchmarkReport(instances: instances, rows: rows, results: finished.map(\.result),
                               summary: BenchmarkSummary(rows: rows))
    }
}
