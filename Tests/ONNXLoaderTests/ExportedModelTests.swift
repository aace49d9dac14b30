import Foundation
import NNGraph
import ONNXLoader
import Testing

/// `exported/references.json`: models exported by PyTorch's classic exporter (`torch.onnx.export(...,
/// dynamo=False)`, dynamic batch axis) at opsets 11, 13 and 17, with onnxruntime's CPU float32 outputs for
/// generated inputs (a few idioms also at opset 18, newer ones at 14, 16 and 18). Written by
/// `scripts/make_exported_fixtures.py`.
struct ExportedReferences: Decodable {
    struct Case: Decodable {
        let `case`: Int
        let output: [Double]
    }
    struct Model: Decodable, CustomTestStringConvertible {
        let file: String
        let idiom: String
        let description: String
        let opset: Int
        let inputName: String
        let inputShape: [Int]
        let outputShape: [Int]
        /// The ONNX operator types in the exported graph: what the loader must handle for this file.
        let ops: [String]
        /// Inputs are generated, not stored (the formula of ``BenchmarkReferences``):
        /// `x_i = ((i*a + b + 101*case) mod 1024) / 1024 * scale + shift`; exact in float32 and Double.
        let inputSegments: [BenchmarkReferences.Segment]
        /// The first values of case 0's input as the script computed them.
        let inputHead: [Double]
        let cases: [Case]
        var testDescription: String { file }

        func input(case k: Int) -> [Double] {
            inputSegments.flatMap { s in
                (0..<s.count).map { i in Double((i * s.a + s.b + 101 * k) % 1024) / 1024 * s.scale + s.shift }
            }
        }

        var path: String { Fixtures.path("exported/" + file) }
    }
    let fixtures: [Model]

    static func load() throws -> [Model] {
        try Fixtures.decode(ExportedReferences.self, from: "exported/references.json").fixtures
    }
}

/// Real exporter output must load and compute what onnxruntime computes: the shape subgraphs PyTorch emits
/// around view/flatten/chunk/pad/interpolate, Clip with bounds as inputs, Pad, Slice, Split, Gather,
/// Resize, ConvTranspose, LeakyRelu, PRelu, HardSigmoid, Abs, Max/Min, Reduce*, Erf, Softplus,
/// LayerNormalization, attention, ceil_mode pools, DepthToSpace, Trilu, CumSum, GatherElements, NonZero, and
/// torchvision's mobilenet_v2 and resnet18.
@Suite("PyTorch exports evaluate like onnxruntime")
struct ExportedModelTests {
    @Test("exported model matches onnxruntime", arguments: try ExportedReferences.load())
    func matchesOnnxruntime(_ model: ExportedReferences.Model) throws {
        let network = try ONNXLoader.load(contentsOf: model.path)
        #expect(network.inputName == model.inputName)
        #expect(network.inputShape == model.inputShape, "the symbolic batch axis counts as 1")
        #expect(network.outputSize == model.outputShape.reduce(1, *))
        #expect(network.nodes[network.output - 1].shape == model.outputShape, "output node shape")
        for c in model.cases {
            let input = model.input(case: c.case)
            try #require(input.count == model.inputShape.reduce(1, *))
            // The references are float32 (9 significant digits); the IR computes in Double from the same
            // float32 weights. The script checks that PyTorch in float64 stays within a quarter of this
            // tolerance of every reference (resnet18 comes closest, at 0.22 of it).
            expectClose(try network.evaluate(input), c.output, "\(model.file) case \(c.case)")
        }
    }

    @Test func inputGeneratorMatchesTheScript() throws {
        for model in try ExportedReferences.load() {
            #expect(Array(model.input(case: 0).prefix(model.inputHead.count)) == model.inputHead, "\(model.file)")
        }
    }

    @Test func everyIdiomIsExportedAtEveryOpset() throws {
        let files = Set(try ExportedReferences.load().map(\.file))
        let idioms = ["mlp_view", "mlp_flatten_fn", "mlp_nn_flatten", "leaky_relu", "relu6_clamp", "hardtanh",
                      "hardsigmoid", "prelu", "abs", "max_min_two", "max_min_const", "pad_constant", "pad_reflect",
                      "pad_replicate", "bn_residual_cnn", "pools", "adaptive_avg_pool", "split_cat", "chunk_cat",
                      "slice_range", "slice_step", "index_const", "interp_nearest", "interp_bilinear",
                      "interp_bilinear_align", "upsample_module", "conv_transpose", "reduce_sum", "reduce_mean",
                      "neg_affine", "const_left_matmul", "gelu", "softplus", "silu", "sigmoid_tanh", "layernorm"]
        var expected = idioms.flatMap { idiom in [11, 13, 17].map { "\(idiom)_op\($0).onnx" } }
        // The classic exporter needs opset 14 for scaled_dot_product_attention; torchvision at 13 only.
        expected += ["transformer_op17.onnx", "mobilenet_v2_op13.onnx", "resnet18_op13.onnx"]
        // Opset 18 (more attributes moved to inputs) for a few idioms; the idioms of forms found by trying
        // opsets 11-18 (ceil_mode pools, PixelShuffle's DepthToSpace, Trilu/CumSum/GatherElements, NonZero of a
        // constant mask) at 14, 16, 18.
        expected += ["mlp_view", "chunk_cat", "split_cat", "reduce_mean", "reduce_sum", "pad_reflect", "interp_bilinear",
                     "bn_residual_cnn"].map { "\($0)_op18.onnx" }
        expected += ["pool_ceil", "pixel_shuffle", "linear_maps", "mask_index"].flatMap { idiom in [14, 16, 18].map { "\(idiom)_op\($0).onnx" } }
        for file in expected {
            #expect(files.contains(file), "missing exported fixture \(file)")
        }
        #expect(files.count == expected.count, "unexpected fixtures: \(files.subtracting(expected).sorted())")
    }

    @Test func exportsUseTheShapeSubgraphIdiom() throws {
        // What the loader has to fold: x.view(x.size(0), -1) at every opset is Shape -> Gather -> Unsqueeze
        // -> Concat -> Reshape, and ReLU6/clamp are Clip with bounds as inputs.
        for model in try ExportedReferences.load() where model.idiom == "mlp_view" {
            #expect(Set(["Shape", "Gather", "Unsqueeze", "Concat", "Reshape"]).isSubset(of: model.ops), "\(model.file)")
        }
        for model in try ExportedReferences.load() where model.idiom == "relu6_clamp" {
            #expect(model.ops.contains("Clip"), "\(model.file)")
        }
    }
}
