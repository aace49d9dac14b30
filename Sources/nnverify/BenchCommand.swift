import ArgumentParser
import Benchmarking
import Foundation
import LinearAlgebra
import Verifier

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Run a VNN-COMP instance list and score the verdicts against known answers.",
        discussion: """
            INSTANCES.csv lists `onnx_path,vnnlib_path,timeout_seconds` per line, paths relative to the \
            csv's folder. With --expected (header `onnx,vnnlib,expected`), every verdict is compared. \
            Known counterexamples in a `witnesses/` folder beside the csv are validated by concrete \
            evaluation; one that validates makes the instance sat. An unsat answer on a sat instance is \
            a SOUNDNESS ERROR; a sat answer whose counterexample fails re-validation is an INVALID \
            COUNTEREXAMPLE. Both are printed first and count as wrong. Prints one line per instance and \
            a summary (VNN-COMP score: +10 per correct sat/unsat, -150 per wrong one). Exit status 1 if \
            any verdict is wrong or the input is bad. --shard I/N runs the I-th of N shares (balanced by \
            timeout, the same on every machine); --resume appends each finished row to --results at once \
            (fsynced) and, when started again, skips the instances already there. `nnverify merge` \
            combines the shards' results files.
            """)

    @Argument(help: "The instance list (VNN-COMP instances.csv).")
    var instances: String

    @Option(help: "Known verdicts (csv with header onnx,vnnlib,expected).")
    var expected: String?

    @Option(help: "Write per-instance results as csv: onnx,vnnlib,verdict,seconds,expected,correct.")
    var results: String?

    @Option(help: "Multiply every instance timeout by this factor.")
    var timeoutScale: Double = 1

    @Option(help: "Search after the attack: auto, input-split or activation-split (see verify --help).")
    var method: VerificationMethod = .automatic

    @Option(help: "Instances run at once (each verification also uses both cores).")
    var jobs: Int = 1

    @Option(help: ArgumentHelp("Run only shard I of N (1-based), balanced by the instances' timeouts.", valueName: "I/N"))
    var shard: String?

    @Flag(help: "Append each finished row to --results at once (fsynced); skip instances already there.")
    var resume = false

    @Option(help: ArgumentHelp("Memory the branch-and-bound queue of each verification may hold (as verify --max-memory; the verifications share this process, so its resident size is not capped: run instances as separate verify processes for that).", valueName: "size"))
    var maxMemory: String?

    func validate() throws {
        guard timeoutScale > 0, timeoutScale.isFinite else { throw ValidationError("--timeout-scale must be positive") }
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
        if let shard { do { _ = try Shard(parsing: shard) } catch { throw ValidationError("\(error)") } }
        if resume && results == nil { throw ValidationError("--resume needs --results FILE (the file it appends to)") }
        if let maxMemory, MemorySize.parse(maxMemory) == nil {
            throw ValidationError("--max-memory must be a positive size such as 500M or 2G, got '\(maxMemory)'")
        }
    }

    func run() throws {
        var list: [Instance]
        let truth: ExpectedVerdicts?
        let runner: BenchmarkRunner
        var plan: ResumePlan?
        do {
            list = try InstanceList.read(path: instances)
            if let shard {
                let part = try Shard(parsing: shard)
                list = part.select(list)
                Console.line("shard \(part): \(list.count) instance(s)")
            }
            truth = try expected.map { try ExpectedVerdicts.read(path: $0) }
            runner = try BenchmarkRunner(timeoutScale: timeoutScale, jobs: jobs)
            if resume, let path = results { plan = try ResumePlan(path: path, instances: list) }
        } catch {
            throw CLIFailure(message: "\(error)")
        }
        var appender: ResultsAppender?
        if let plan, let path = results {
            if let note = plan.note { FileHandle.standardError.write(Data(("warning: " + note + "\n").utf8)) }
            Console.line("resuming \(path): \(plan.finished.count) finished, \(plan.remaining.count) to run")
            do { appender = try ResultsAppender(path: path, keepingBytes: plan.keepBytes) } catch {
                throw CLIFailure(message: "\(error)")
            }
        }
        let table = ResultsTable(instances: list)
        Console.line(table.header)
        let chosen = method, shared = jobs > 1, log = appender
        let memory = maxMemory.flatMap(MemorySize.parse) ?? VerifierOptions.defaultQueueMemoryBytes
        if shared { Matrix.setBLASThreads(1) }  // process-wide; each verification keeps it (see verifyInstance)
        let report = runner.run(plan?.remaining ?? list, expected: truth,
                                verify: { Self.verifyInstance($0, timeout: $1, method: chosen, sharedProcess: shared, memory: memory) },
                                progress: { Console.line(table.line($0.row)) },
                                finished: { progress in
                                    do { try log?.append(progress.row) } catch {
                                        // Without its row the run cannot be resumed correctly: stop now.
                                        FileHandle.standardError.write(Data("Error: \(error)\n".utf8))
                                        Foundation.exit(1)
                                    }
                                })
        let rows = (plan?.finished ?? []) + report.rows
        let summary = plan == nil ? report.summary : BenchmarkSummary(rows: rows)
        Console.line("")
        Console.line(summary.text)
        if appender == nil { try OutputFile.write(ResultsCSV.text(rows), to: results) }
        if summary.hasWrongVerdicts { throw ExitCode(1) }
    }

    /// Verifies one instance; `sharedProcess`: other instances run at the same time in this process.
    @Sendable static func verifyInstance(_ instance: Instance, timeout: Double, method: VerificationMethod,
                                         sharedProcess: Bool = false,
                                         memory: Int = VerifierOptions.defaultQueueMemoryBytes) -> VerificationResult {
        let start = Date()
        do {
            var options = VerifierOptions()
            options.timeout = timeout
            options.method = method
            options.inputSplit.workers = 2
            options.queueMemoryBytes = memory
            if sharedProcess { options.blasThreads = 1 }  // the BLAS setting is process-wide
            return Verifier(options: options).verify(problem: try instance.problem())
        } catch {
            return VerificationResult(verdict: .error, seconds: Date().timeIntervalSince(start),
                                      decidedBy: "\(error)", statistics: [("error", "\(error)")])
        }
    }
}
