import Foundation
import LP
import Testing

/// Solves on several threads at once (each thread has its own GLPK environment) must give exactly the
/// answers of the same solves done one after another.
@Suite struct ConcurrencyTests {
    /// A mix of LPs and MILPs, with the sequential answers.
    static func problems() throws -> [(lp: LinearProgram, milp: Bool, expected: LPSolution)] {
        var list: [(LinearProgram, Bool)] = []
        for seed in UInt64(1)...8 { list.append((randomCoveringLP(rows: 40, cols: 30, seed: seed), false)) }
        for seed in UInt64(1)...8 { list.append((randomKnapsack(items: 14, seed: seed).lp, true)) }
        return try list.map { lp, milp in (lp, milp, milp ? try lp.solveMILP() : try lp.solve()) }
    }

    /// Results written from several threads, guarded by a lock.
    final class Results: @unchecked Sendable {
        private let lock = NSLock()
        private var storage: [Int: Result<LPSolution, any Error>] = [:]
        func set(_ index: Int, _ result: Result<LPSolution, any Error>) {
            lock.lock()
            storage[index] = result
            lock.unlock()
        }
        func get(_ index: Int) -> Result<LPSolution, any Error>? {
            lock.lock()
            defer { lock.unlock() }
            return storage[index]
        }
    }

    @Test func concurrentPerformGivesSequentialAnswers() throws {
        let problems = try Self.problems()
        let jobs = problems.map { ($0.lp, $0.milp) }
        let results = Results()
        // Three rounds over the list, so every problem is solved on several threads.
        DispatchQueue.concurrentPerform(iterations: 3 * jobs.count) { k in
            let (lp, milp) = jobs[k % jobs.count]
            results.set(k, Result { milp ? try lp.solveMILP() : try lp.solve() })
        }
        for k in 0..<(3 * jobs.count) {
            let got = try #require(results.get(k)).get()
            #expect(got == problems[k % jobs.count].expected, "job \(k)")
        }
    }

    @Test func taskGroupGivesSequentialAnswers() async throws {
        let problems = try Self.problems()
        let jobs = problems.map { ($0.lp, $0.milp) }
        let answers = try await withThrowingTaskGroup(of: (Int, LPSolution).self) { group in
            for (k, job) in jobs.enumerated() {
                let (lp, milp) = job
                group.addTask { (k, milp ? try lp.solveMILP() : try lp.solve()) }
            }
            var answers = [Int: LPSolution]()
            for try await (k, solution) in group { answers[k] = solution }
            return answers
        }
        for (k, problem) in problems.enumerated() {
            #expect(answers[k] == problem.expected, "job \(k)")
        }
    }

    @Test func freshThreadsGiveSequentialAnswers() throws {
        // Threads created here have never touched GLPK: each starts a new GLPK environment.
        let problems = try Self.problems()
        let jobs = problems.map { ($0.lp, $0.milp) }
        let results = Results()
        let done = DispatchSemaphore(value: 0)
        let threadCount = 4
        for t in 0..<threadCount {
            Thread {
                for k in stride(from: t, to: jobs.count, by: threadCount) {
                    let (lp, milp) = jobs[k]
                    results.set(k, Result { milp ? try lp.solveMILP() : try lp.solve() })
                }
                done.signal()
            }.start()
        }
        for _ in 0..<threadCount { done.wait() }
        for k in jobs.indices {
            #expect(try #require(results.get(k)).get() == problems[k].expected, "job \(k)")
        }
    }
}
