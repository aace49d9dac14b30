import ArgumentParser
import Foundation
import DataFiles
import Lipschitz
import ONNXLoader

struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Describe an ONNX model: operators, shapes, parameter count, input and output names.",
        discussion: """
            --tightness adds the IBP tightness per output (Mao et al., ICLR 2024: the optimal box of the \
            network's linearisation over an eps-box divided by the IBP box of it, in (0, 1]): global with \
            every activation as the identity, and with --inputs local at each input (activations replaced \
            by their slopes there, so inactive ReLUs drop out), averaged over the inputs.
            """)

    @Argument(help: "The model (ONNX file).")
    var model: String

    @Flag(help: "Print the IBP tightness per output.")
    var tightness = false

    @Option(help: "With --tightness: labelled inputs for the local tightness (.csv, .npy with --labels, .npz).")
    var inputs: String?

    @Option(help: "Labels for an .npy input file.")
    var labels: String?

    @Option(help: "With --inputs: use only the first N inputs.")
    var limit: Int?

    func validate() throws {
        if !tightness && (inputs != nil || limit != nil) { throw ValidationError("--inputs and --limit go with --tightness") }
        if let l = limit, l < 1 { throw ValidationError("--limit must be at least 1") }
    }

    func run() throws {
        do {
            print(try ONNXLoader.info(contentsOf: model).description)
            if tightness { try printTightness() }
        } catch let failure as CLIFailure {
            throw failure
        } catch {
            throw CLIFailure(message: "\(error)")
        }
    }

    private func printTightness() throws {
        let network = try ONNXLoader.load(contentsOf: model)
        let graph = try JacobianNetwork(network)
        let global = graph.globalTightness()
        var local: [Double]?
        var count = 0
        if let inputs {
            var data = try LabelledDataReader.read(inputs: inputs, labels: labels)
            try data.validate(inputCount: network.inputSize, classCount: nil)
            if let limit, limit < data.count { data.inputs = Array(data.inputs.prefix(limit)) }
            var sum = [Double](repeating: 0, count: network.outputSize)
            for x in data.inputs {
                for (i, t) in graph.localTightness(at: x).enumerated() { sum[i] += t }
            }
            count = data.inputs.count
            local = sum.map { $0 / Double(max(1, count)) }
        }
        print("IBP tightness (optimal box / IBP box of the linearisation; 1 = IBP exact):")
        print(local == nil ? "  output     global" : "  output     global  local (mean of \(count) inputs)")
        for i in 0..<network.outputSize {
            print("  " + pad("y\(i)", 6) + "  " + pad(format(global[i]), 9) + (local.map { "  " + pad(format($0[i]), 9) } ?? ""))
        }
    }

    private func format(_ v: Double) -> String { String(format: v < 1e-3 ? "%.3e" : "%.4f", v) }
    private func pad(_ s: String, _ n: Int) -> String { String(repeating: " ", count: max(0, n - s.count)) + s }
}
