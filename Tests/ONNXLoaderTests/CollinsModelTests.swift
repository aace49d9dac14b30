import Foundation
import NNGraph
import ONNXLoader
import Testing

/// The collins_rul_cnn models of VNN-COMP (MATLAB exports: every layer a Conv — kernels 5x1 and 3x1, the
/// dense layers as Convs over the whole feature map —, Relu, Dropout with a `ratio` attribute (opset 8),
/// Flatten; symbolic batch dimension; initializers listed among the graph inputs) load and compute what
/// onnxruntime computes on `collins_references.json`.
@Suite("collins_rul_cnn models", .enabled(if: Fixtures.benchmarksAvailable,
                                          "needs ../shared/benchmarks next to the repository (VNN-COMP models, not committed)"))
struct CollinsModelTests {
    static let references: [CollinsReferences.Model] = (try? CollinsReferences.load()) ?? []

    @Test func referencesCoverTheThreeModels() {
        #expect(Self.references.map(\.path) == ["collins_rul_cnn/onnx/NN_rul_full_window_20.onnx",
                                                "collins_rul_cnn/onnx/NN_rul_small_window_20.onnx",
                                                "collins_rul_cnn/onnx/NN_rul_full_window_40.onnx"])
        #expect(Self.references.allSatisfy { $0.cases.count == 3 })
    }

    @Test("model matches onnxruntime", arguments: references)
    func matchesOnnxruntime(_ model: CollinsReferences.Model) throws {
        let path = Fixtures.benchmarks.appendingPathComponent(model.path).path
        let network = try ONNXLoader.load(contentsOf: path)
        #expect(network.inputName == model.inputName)
        #expect(network.inputShape == model.inputShape)
        #expect(network.nodes[network.output - 1].shape == model.outputShape)
        for (k, c) in model.cases.enumerated() {
            expectClose(try network.evaluate(c.input), c.output, "\(model.path) case \(k)")
        }
        // Six Convs with five ReLUs between them; Dropout and Flatten add no node.
        #expect(network.nodes.map(\.op.kind) == Array(repeating: ["Convolution", "Relu"], count: 5).flatMap { $0 } + ["Convolution"])
        #expect(network.nodes.map(\.name).first == "conv_1")
        let convolutions = network.nodes.compactMap { $0.op as? Convolution }
        #expect(convolutions.map(\.geometry.kernelWidth) == [1, 1, 1, 1, 20, 1])
        #expect(network.nodes.last?.shape == [1, 1])
    }
}
