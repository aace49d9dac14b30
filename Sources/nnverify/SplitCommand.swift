import ArgumentParser
import Foundation
import Splitting
import Verifier

/// `nnverify split`: one hard instance cut into sub-instances for a job array.
struct SplitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "split",
        abstract: "Cut one instance into K sub-instances (input-box pieces) to run on separate machines.",
        discussion: """
            Halves the property's input box (every box of a disjunctive property) breadth-first along \
            the dimension the input-split search would choose, until there are K pieces; their union is \
            exactly the original box. Writes DIR/vnnlib/part_001.vnnlib … (VNN-LIB 1.0), a copy of the \
            model in DIR/onnx/ and of the property as DIR/original.vnnlib, and DIR/instances.csv. Run \
            each part with `nnverify verify DIR/onnx/MODEL DIR/vnnlib/part_K.vnnlib --results \
            DIR/results/part_K.result` (or the Slurm script in scripts/slurm/), then `nnverify merge \
            --split DIR`. Exit status 0, or 1 on bad input.
            """)

    @Argument(help: "The model (ONNX file).")
    var model: String

    @Argument(help: "The property (VNN-LIB file).")
    var spec: String

    @Option(help: "Number of sub-instances.")
    var parts: Int = 4

    @Option(help: "Folder to write (must not hold a split already).")
    var out: String

    @Option(help: "Timeout in seconds written for every part in instances.csv.")
    var timeout: Double = 60

    func validate() throws {
        guard parts >= 1 else { throw ValidationError("--parts must be at least 1") }
        guard timeout > 0, timeout.isFinite else { throw ValidationError("--timeout must be a positive number of seconds") }
    }

    func run() throws {
        do {
            let problem = try VerificationProblem(modelPath: model, specPath: spec)
            let pieces = try BoxSplit.parts(of: problem.specification, network: problem.network, count: parts)
            try SplitFolder.write(parts: pieces, modelPath: model, specPath: spec, timeout: timeout, folder: out)
        } catch {
            throw CLIFailure(message: "\(error)")
        }
        Console.line("wrote \(parts) part(s) of \(spec) to \(out)/instances.csv")
    }
}
