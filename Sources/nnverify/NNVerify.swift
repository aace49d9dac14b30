import ArgumentParser
import Foundation

/// The `nnverify` command line: a thin layer over the library targets.
@main
struct NNVerify: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nnverify",
        abstract: "Verify neural networks (ONNX) against properties (VNN-LIB).",
        discussion: """
            Exit status of `verify`: 0 unsat (property holds), 10 sat (counterexample found and \
            validated), 20 unknown or timeout, 1 bad input or internal error. `bench` exits 1 when a \
            verdict contradicts the expected one. `report` exits 0 when every --fail-under threshold \
            holds, 2 when one fails, 1 on bad input.
            """,
        version: "0.1.0",
        subcommands: [VerifyCommand.self, AttackCommand.self, BenchCommand.self, MergeCommand.self, SplitCommand.self, ReportCommand.self,
                      InfoCommand.self, PlantCommand.self, PruneCommand.self, LipschitzCommand.self, SupportsCommand.self])

    /// Runs the command; usage errors (unknown or invalid options) exit with status 1 like every
    /// other bad input, rather than swift-argument-parser's 64.
    static func main() {
        MallocSettings.apply()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let code = exitCode(for: error)
            if code == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(1)
            }
            exit(withError: error)
        }
    }
}
