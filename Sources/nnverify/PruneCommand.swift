import ArgumentParser
import Foundation
import ONNXLoader
import Planting

/// `nnverify prune MODEL --threshold T --out PATH`: the pruned copy of a dense network, for
/// ε-equivalence properties between a network and its pruned version (VNN-LIB 2.0, two networks).
struct PruneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune",
        abstract: "Write a copy of a dense model with every weight below a magnitude set to zero.",
        discussion: """
            The model must be a chain of dense layers with elementwise activations (Gemm/MatMul + Add, \
            ReLU, ...; the networks `plant` reads). Biases are kept. The copy is written as Gemm + \
            activation nodes with float32 weights (input `input`, output `output`); it prints how many \
            weights were zeroed. Exit status 0, or 1 on bad input.
            """)

    @Argument(help: "The model (ONNX file).")
    var model: String

    @Option(help: "Weights of magnitude below this are set to zero.")
    var threshold: Double

    @Option(help: "The ONNX file to write.")
    var out: String

    func validate() throws {
        guard threshold.isFinite, threshold >= 0 else { throw ValidationError("--threshold must be finite and >= 0") }
    }

    func run() throws {
        do {
            let chain = try LayerChain(network: ONNXLoader.load(contentsOf: model))
            let (pruned, zeroed) = try chain.pruned(magnitudeBelow: threshold)
            try ONNXWriter.data(try pruned.roundedToFloat32()).write(to: URL(fileURLWithPath: out))
            print("prune: zeroed \(zeroed) of \(chain.weightCount) weights (|w| < \(threshold)); wrote \(out)")
        } catch PlantingError.unsupportedModel(let node, let reason) {
            // Planting's wording names `plant`; the same reader refuses the model here.
            throw CLIFailure(message: "\(model): cannot prune this model: node '\(node)': \(reason)")
        } catch {
            throw CLIFailure(message: "\(error)")
        }
    }
}
