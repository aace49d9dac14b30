import ArgumentParser
import BranchAndBound
import Foundation
import Verifier

struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Prove a VNN-LIB property of an ONNX model or find a counterexample.",
        discussion: """
            Prints the verdict on the first line — unsat (proven), sat (a counterexample, re-checked \
            by concrete evaluation), unknown or timeout — then a short summary. Exit status: 0 unsat, \
            10 sat, 20 unknown/timeout, 1 bad input or internal error. On SIGTERM or SIGINT it writes \
            `timeout` to the result file and exits with 20 at once (a sat already validated is written \
            as sat). A VNN-LIB 2.0 query (first line \
            (vnnlib-version <2.0>)) is given as QUERY --network NAME=PATH ... (or MODEL QUERY when it \
            has one network); stdout then follows the 2.0 standard: sat, unsat, unknown or timed-out, \
            and after sat every declared variable as NAME TYPE [SHAPE] and one value a line (with \
            --serialise-assignments DIR: the verdict line only, and one ONNX TensorProto file DIR/NAME.pb \
            per variable); the summary goes to stderr. On a terminal, a run longer than a second shows a status line on \
            stderr (stage, elapsed time, domains bounded, open domains, lowest bound), redrawn in place \
            and erased before the verdict; never when stderr is not a terminal, nor with --quiet.
            """)

    @Argument(help: ArgumentHelp("The model (ONNX file) and the property (VNN-LIB file, describing the unsafe set); or a VNN-LIB 2.0 query alone with --network.", valueName: "MODEL.onnx SPEC.vnnlib | QUERY.vnnlib"))
    var files: [String]

    @Option(name: .customLong("network"), help: ArgumentHelp("A network of a VNN-LIB 2.0 query and its ONNX file; once per network that is not equal-to another.", valueName: "NAME=PATH"))
    var networks: [String] = []

    @Option(help: "Time budget in seconds.")
    var timeout: Double = 60

    @Option(help: "Share of the budget for the PGD falsification stage (0 to 1).")
    var attackShare: Double = 0.1

    @Option(help: ArgumentHelp("Search after the attack: auto (input split with at most 32 free inputs, else activation split when every activation is piecewise linear, else CROWN and alpha-CROWN bounds of the whole box, branch-and-bound on smooth neurons and products, and more PGD), input-split, activation-split (alpha/beta-CROWN branch-and-bound splitting ReLU, LeakyReLU, Clip, Abs, ... at their breakpoints; a case open after a tenth of the time is searched again from MILP-refined root bounds), or milp (GLPK's MILP as the search, every unsat certified by a branch-and-bound over the neurons' phases with proven LP bounds; small piecewise-linear networks).", valueName: "auto|input-split|activation-split|milp"))
    var method: VerificationMethod = .automatic

    @Option(help: "Write a VNN-COMP result file: the verdict line, and after sat the witness as ((X_0 v) ... (Y_0 v)).")
    var results: String?

    @Option(name: .customLong("serialise-assignments"), help: ArgumentHelp("VNN-LIB 2.0 queries: after sat, write each declared variable to DIR/NAME.pb as a serialised ONNX TensorProto of its declared type and shape (created when missing), and print only the verdict line on stdout.", valueName: "DIR"))
    var serialiseAssignments: String?

    @Option(help: ArgumentHelp("Memory limit (bytes, or with K, M, G): for the branch-and-bound queue of open domains, and for the process's resident memory, checked after every search batch and as the MILP and the alpha-CROWN bound run (queues, relaxation caches, LP problems); beyond it the answer is unknown. Default: queue a quarter of physical memory, at most 2G; resident memory half of physical memory.", valueName: "size"))
    var maxMemory: String?

    @Flag(help: "No live status line on a terminal (none is shown when stderr is not a terminal anyway).")
    var quiet = false

    func validate() throws {
        guard (1...2).contains(files.count) else { throw ValidationError("give MODEL.onnx SPEC.vnnlib, or QUERY.vnnlib --network NAME=PATH") }
        for n in networks where !n.contains("=") { throw ValidationError("--network must be NAME=PATH, got '\(n)'") }
        guard timeout > 0, timeout.isFinite else { throw ValidationError("--timeout must be a positive number of seconds") }
        guard (0...1).contains(attackShare) else { throw ValidationError("--attack-share must be between 0 and 1") }
        if let maxMemory, MemorySize.parse(maxMemory) == nil {
            throw ValidationError("--max-memory must be a positive size such as 500M or 2G, got '\(maxMemory)'")
        }
    }

    func run() throws {
        let termination = TerminationGuard(results: results)
        let showStatus = !quiet && isatty(STDERR_FILENO) != 0
        let memory = maxMemory.flatMap(MemorySize.parse)
        let progress = SearchProgress(memoryLimit: memory ?? VerifierOptions.defaultResidentMemoryBytes, tracksBound: showStatus)
        let status = showStatus
            ? StatusLine(progress: progress, width: Self.terminalWidth()) { FileHandle.standardError.write(Data($0.utf8)) } : nil
        termination.onSignal { status?.stop() }
        defer { status?.stop() }
        let problem: VerificationProblem
        do {
            var paths: [String: String] = [:]
            for n in networks {
                let parts = n.split(separator: "=", maxSplits: 1).map(String.init)
                guard paths.updateValue(parts.count > 1 ? parts[1] : "", forKey: parts[0]) == nil else {
                    throw CLIFailure(message: "--network \(parts[0]) is given twice")
                }
            }
            problem = try VerificationProblem(specPath: files[files.count - 1], modelPath: files.count == 2 ? files[0] : nil,
                                              networkPaths: paths)
        } catch {
            if termination.claim() { try writeResults("error\n") }
            throw CLIFailure(message: "\(error)")
        }
        if problem.query == nil, serialiseAssignments != nil {
            if termination.claim() { try writeResults("error\n") }
            throw CLIFailure(message: "--serialise-assignments needs a VNN-LIB 2.0 query (this property is VNN-LIB 1.0)")
        }
        if problem.query != nil { termination.answer("timed-out") }
        var options = VerifierOptions()
        options.timeout = timeout
        options.attackShare = attackShare
        options.method = method
        options.queueMemoryBytes = memory ?? VerifierOptions.defaultQueueMemoryBytes
        options.progress = progress
        let result = Verifier(options: options).verify(problem: problem)
        status?.stop()
        // A signal that already wrote `timeout` is ending the process; it must not be overwritten.
        guard termination.claim() else { while true { sleep(1) } }
        if let query = problem.query {
            var text = QueryAssignment.text(result, query: query)
            if let directory = serialiseAssignments {
                // The standard's serialised format replaces the assignment lines on stdout.
                do { try AssignmentFiles.write(result, query: query, to: directory) } catch {
                    throw CLIFailure(message: "cannot write the assignment to \(directory): \(error.localizedDescription)")
                }
                text = QueryAssignment.verdictLine(result.verdict) + "\n"
            }
            print(text, terminator: "")
            FileHandle.standardError.write(Data((Summary.lines(result).joined(separator: "\n") + "\n").utf8))
            try writeResults(text)
        } else {
            print(result.verdict.rawValue)
            print(Summary.lines(result).joined(separator: "\n"))
            try writeResults(result.resultFileText)
        }
        if result.verdict.exitCode != 0 { throw ExitCode(result.verdict.exitCode) }
    }

    private func writeResults(_ text: String) throws { try OutputFile.write(text, to: results) }

    /// The columns of the terminal on stderr (80 when it does not say).
    private static func terminalWidth() -> Int {
        var size = winsize()
        return ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0 && size.ws_col > 0 ? Int(size.ws_col) : 80
    }
}

/// Human summary of a verification result.
enum Summary {
    static func lines(_ r: VerificationResult) -> [String] {
        var lines = ["  decided by: \(r.decidedBy)", String(format: "  time: %.3f s", r.seconds)]
        for (k, v) in r.statistics { lines.append("  \(k): \(v)") }
        if let w = r.witness {
            lines.append("  counterexample input:  " + preview(w.input))
            lines.append("  output there:          " + preview(w.output))
            if let check = w.float32 { lines.append("  float32 check:         " + float32Text(check)) }
        }
        return lines
    }

    /// What the VNN-COMP 2026 float32 check of the witness found, for people.
    static func float32Text(_ check: Float32Check) -> String {
        switch check {
        case .passes: return "pass (float32 inputs inside the input set; violated in float32 and double evaluation)"
        case .passesInFloat32Comparison:
            return "pass in float32 comparison: no float32 point lies inside the input set in exact comparison, but the"
                + " witness cast to float32 lies inside when compared in float32, as the 2026 checker compares, and violates"
                + " the property; the double witness is kept"
        case .noFloat32Point: return "impossible: the input set holds no float32 point; the double witness is kept"
        case .fails: return "fail: no float32 point tried violates the property; the double witness is kept"
        }
    }

    static func preview(_ v: [Double]) -> String {
        let shown = v.prefix(10).map { String(format: "%.6g", $0) }.joined(separator: ", ")
        return "[" + shown + (v.count > 10 ? ", … (\(v.count) values)]" : "]")
    }
}

/// A failure already explained to the user: printed as `error: message`, exit status 1.
struct CLIFailure: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
