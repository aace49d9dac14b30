import ArgumentParser
import Benchmarking
import Foundation
import Splitting
import Verifier

/// `nnverify merge`: the results files of a sharded `bench` run combined into one.
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Combine the results of `bench --shard` runs, or of the parts of a `split` instance.",
        discussion: """
            Shards: reads every RESULTS file (the csv that `bench --results` writes), refuses two rows for one \
            instance, a missing or malformed file, or a last line without newline (a run killed while \
            writing it: finish it with `bench --resume`), and with --instances every instance without a \
            row and every row not in the list. Prints the merged table and the summary `bench` prints \
            (VNN-COMP score); --output writes the merged results csv. Exit status 1 on refusal or if any \
            verdict contradicts its expected one, else 0.

            Split instances (--split DIR, no RESULTS): reads DIR/results/part_K.result for every part in \
            DIR/instances.csv. Some part sat with a counterexample that validates against the original \
            model and property => sat with it; every part unsat => unsat; else timeout (every undecided \
            part timed out) or unknown. Prints the verdict first, then one line per part; --output writes \
            the VNN-COMP result file. Exit status as `verify`: 0 unsat, 10 sat, 20 unknown/timeout, 1 \
            when the folder or a result file is malformed.
            """)

    @Argument(help: "Results files of the shards (csv written by `bench --results`).")
    var results: [String] = []

    @Option(help: "The full instance list the shards came from: every instance must have exactly one row.")
    var instances: String?

    @Option(help: "Write the merged results csv (shards) or the VNN-COMP result file (--split) here.")
    var output: String?

    @Option(help: ArgumentHelp("Merge the parts of a `split` folder instead of shard results.", valueName: "DIR"))
    var split: String?

    func validate() throws {
        if split != nil {
            if !results.isEmpty || instances != nil { throw ValidationError("--split takes no results files and no --instances") }
        } else if results.isEmpty {
            throw ValidationError("give at least one results file (or --split DIR)")
        }
    }

    func run() throws {
        if let split { return try mergeSplit(split) }
        let merge: ResultsMerge
        do {
            let list = try instances.map { try InstanceList.read(path: $0) }
            merge = try ResultsMerge(files: results, instances: list, instancesFile: instances ?? "the instance list")
        } catch {
            throw CLIFailure(message: "\(error)")
        }
        let table = ResultsTable(rows: merge.rows)
        Console.line(table.render(merge.rows), terminator: "")
        Console.line("")
        Console.line(merge.summary.text, terminator: "")
        try OutputFile.write(ResultsCSV.text(merge.rows), to: output)
        if merge.summary.hasWrongVerdicts { throw ExitCode(1) }
    }

    private func mergeSplit(_ folder: String) throws {
        let merge: SplitMerge
        do { merge = try SplitMerge(folder: folder) } catch { throw CLIFailure(message: "\(error)") }
        Console.line(merge.verdict.rawValue)
        for (name, outcome) in merge.parts {
            let text: String
            switch outcome {
            case .unsat: text = "unsat"
            case .sat: text = "sat (counterexample validated against the original)"
            case .invalidCounterexample(let why): text = "INVALID COUNTEREXAMPLE, counted as unknown: \(why)"
            case .undecided(let verdict): text = verdict.rawValue
            case .missing: text = "no result file, counted as unknown"
            }
            Console.line("  \(name): \(text)")
        }
        let result = VerificationResult(verdict: merge.verdict, witness: merge.witness, seconds: 0, decidedBy: "merge")
        try OutputFile.write(result.resultFileText, to: output)
        if merge.verdict.exitCode != 0 { throw ExitCode(merge.verdict.exitCode) }
    }
}
