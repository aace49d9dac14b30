import ArgumentParser
import BranchAndBound
import Foundation
import Splitting
import Verifier
import VNNLib

/// `nnverify split`: one hard instance cut into sub-instances for a job array.
struct SplitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "split",
        abstract: "Cut one instance into K sub-instances (input-box pieces or hidden-ReLU cases) to run on separate machines.",
        discussion: """
            --by input halves the property's input box (every box of a disjunctive property) \
            breadth-first along the dimension the input-split search would choose, until there are K \
            pieces; their union is exactly the original box (VNN-LIB 1.0 parts). --by hidden splits \
            cases on ReLU pre-activations instead (z >= 0 or z <= 0, breadth-first, each time on the \
            neuron the activation-split search would branch on): each part is the property restricted \
            by its signs, written as a VNN-LIB 2.0 query with hidden-node constraints on the Relu \
            inputs' ONNX names; together the parts cover every input. --by auto (default) takes hidden \
            for a property with one input box and more than 32 free inputs on a network whose \
            activations are all piecewise linear and that has Relu nodes, else input. \
            Writes DIR/vnnlib/part_001.vnnlib …, a copy of the \
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

    @Option(help: ArgumentHelp("What to split: input (box pieces), hidden (ReLU pre-activation signs, VNN-LIB 2.0 parts) or auto.", valueName: "auto|input|hidden"))
    var by: SplitKind = .auto

    enum SplitKind: String, ExpressibleByArgument { case auto, input, hidden }

    /// The part files of a hidden-ReLU split; nil (input pieces instead) when `--by auto` finds none possible.
    private func hiddenTexts(_ specification: Specification) throws -> [String]? {
        do {
            return try HiddenSplit.queryTexts(modelPath: model, specification: specification,
                                              specName: URL(fileURLWithPath: spec).lastPathComponent, count: parts)
        } catch {
            if by == .auto, error.isHiddenSplitImpossible { return nil }
            throw error
        }
    }

    func validate() throws {
        guard parts >= 1 else { throw ValidationError("--parts must be at least 1") }
        guard timeout > 0, timeout.isFinite else { throw ValidationError("--timeout must be a positive number of seconds") }
    }

    func run() throws {
        do {
            let problem = try VerificationProblem(modelPath: model, specPath: spec)
            let specification = problem.specification
            let free = specification.cases.map { c in zip(c.box.lower, c.box.upper).filter { $0 < $1 }.count }.max() ?? 0
            let hidden = by == .hidden || (by == .auto && specification.cases.count == 1 && free > VerifierOptions().inputSplitMaxDimension
                                           && ActivationSplitBranchAndBound.applies(to: problem.network))
            if hidden, let texts = try hiddenTexts(specification) {
                try SplitFolder.write(texts: texts, modelPath: model, specPath: spec, timeout: timeout, folder: out)
                Console.line("wrote \(parts) part(s) of \(spec) split on hidden ReLUs (VNN-LIB 2.0) to \(out)/instances.csv")
            } else {
                let pieces = try BoxSplit.parts(of: specification, network: problem.network, count: parts)
                try SplitFolder.write(parts: pieces, modelPath: model, specPath: spec, timeout: timeout, folder: out)
                Console.line("wrote \(parts) part(s) of \(spec) to \(out)/instances.csv")
            }
        } catch {
            throw CLIFailure(message: "\(error)")
        }
    }
}
