import Foundation
import NNGraph
import ONNXLoader
import Testing

/// The real VNN-COMP models in `<repo>/../shared/benchmarks` (not part of the repository) load and
/// compute what onnxruntime computes (the Conv models of collins_rul_cnn: ``CollinsModelTests``).
@Suite("VNN-COMP models", .enabled(if: Fixtures.benchmarksAvailable,
                                   "needs ../shared/benchmarks next to the repository (VNN-COMP models, not committed)"))
struct BenchmarkModelTests {
    static let references: BenchmarkReferences? = try? BenchmarkReferences.load()

    @Test("model matches onnxruntime", arguments: references?.models ?? [])
    func matchesOnnxruntime(_ model: BenchmarkReferences.Model) throws {
        let path = Fixtures.benchmarks.appendingPathComponent(model.path).path
        let network = try ONNXLoader.load(contentsOf: path)
        #expect(network.inputName == model.inputName)
        #expect(network.inputShape == model.inputShape)
        #expect(network.nodes[network.output - 1].shape == model.outputShape)
        for c in model.cases {
            expectClose(try network.evaluate(model.input(case: c.case)), c.output, "\(model.path) case \(c.case)")
        }
    }

    @Test func referencesCoverTheExpectedModels() throws {
        #expect(try BenchmarkReferences.load().models.count == 38, "7 VNN-COMP 2021-2023 models and 31 of the 2023-2024 suites")
    }

    @Test func acasXuStructure() throws {
        let path = Fixtures.benchmarks.appendingPathComponent("acasxu/onnx/ACASXU_run2a_1_1_batch_2000.onnx").path
        let network = try ONNXLoader.load(contentsOf: path)
        #expect(network.inputName == "input")
        #expect(network.inputShape == [1, 1, 1, 5])
        // The Sub of input_AvgImg (all zeros) is a no-op and dropped; Flatten adds nothing; each MatMul+Add
        // is one Affine: 7 Affines with 6 ReLUs between them.
        #expect(network.nodes.map(\.op.kind) == Array(repeating: ["Affine", "Relu"], count: 6).flatMap { $0 } + ["Affine"])
        #expect(network.nodes.first?.inputs == [0])
        #expect(network.nodes.map(\.shape) == Array(repeating: [1, 50], count: 12) + [[1, 5]])
        #expect(network.parameterCount == (5 * 50 + 50) + 5 * (50 * 50 + 50) + (50 * 5 + 5))
    }

    @Test func infoOfRealModels() throws {
        let collins = try ONNXLoader.info(contentsOf: Fixtures.benchmarks.appendingPathComponent("collins_rul_cnn/onnx/NN_rul_small_window_20.onnx").path)
        #expect(collins.inputs.map(\.name) == ["imageinput"])
        #expect(collins.inputs.first?.dimensions == [.symbolic("BatchSize"), .fixed(1), .fixed(20), .fixed(20)])
        #expect(collins.unsupportedOperators.isEmpty)
        #expect(collins.operators.map(\.opType) == ["Conv", "Relu", "Dropout", "Flatten"])
        #expect(collins.opset == 8)
        let mnist = try ONNXLoader.info(contentsOf: Fixtures.benchmarks.appendingPathComponent("mnistfc/onnx/mnist-net_256x2.onnx").path)
        #expect(mnist.producer == "pytorch 1.3")
        #expect(mnist.operators.map(\.opType) == ["Flatten", "Gemm", "Relu"])
        #expect(mnist.parameterCount == 784 * 256 + 256 + 256 * 256 + 256 + 256 * 10 + 10)
        #expect(mnist.description.contains("input:      0 [1 x 784 x 1] FLOAT"))
    }
}
