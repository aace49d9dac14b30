import Foundation
import NNGraph
import ONNXLoader
import Testing

/// The exact linear operators on computed tensors (ConvTranspose, Resize/Upsample, Pad, MatMul/Gemm with
/// the constant on either side, Neg, Reduce*, Sum/Mean, broadcasting arithmetic, Cast) load and compute
/// what onnxruntime computes, for every attribute and input form in `linear_ops/` (written by
/// scripts/make_linear_op_fixtures.py); unsupported attribute values are refused with a clear message.
@Suite("Linear-operator fixtures evaluate like onnxruntime")
struct LinearOperatorFixtureTests {
    static func references() throws -> [FixtureReferences.Model] {
        try Fixtures.decode(FixtureReferences.self, from: "linear_ops/references.json").fixtures
    }

    @Test("fixture matches onnxruntime", arguments: try references())
    func matchesOnnxruntime(_ model: FixtureReferences.Model) throws {
        let network = try ONNXLoader.load(contentsOf: Fixtures.path(model.file))
        #expect(network.inputShape == model.inputShape)
        #expect(network.outputSize == model.outputShape.reduce(1, *))
        #expect(network.nodes[network.output - 1].shape == model.outputShape, "output node shape")
        for (k, c) in model.cases.enumerated() {
            expectClose(try network.evaluate(c.input), c.output, "\(model.file) case \(k)")
        }
    }

    @Test func everyOperatorFormHasAFixture() throws {
        let files = Set(try Self.references().map(\.file))
        for name in ["convtranspose_basic", "convtranspose_strides_pads", "convtranspose_groups_dilations",
                     "convtranspose_output_shape", "convtranspose_same_upper", "convtranspose_same_lower",
                     "convtranspose_valid", "convtranspose_1d", "convtranspose_depthwise_1d",
                     "resize_half_pixel", "resize_asymmetric", "resize_align_corners", "resize_pytorch_half_pixel",
                     "resize_tf_half_pixel_for_nn", "resize10", "resize11", "resize19", "resize_nhwc", "upsample7", "upsample9",
                     "pad7", "pad11", "pad18", "pad19", "pad_1d", "matmul_constant_left", "gemm_computed_forms",
                     "reduce11", "reduce13", "reduce18", "sum_mean", "broadcast_arithmetic", "constant_folding"] {
            #expect(files.contains("linear_ops/\(name).onnx"), "missing fixture \(name)")
        }
    }

    private func kinds(_ name: String) throws -> [String] {
        try ONNXLoader.load(contentsOf: Fixtures.path("linear_ops/\(name).onnx")).nodes.map(\.op.kind)
    }

    @Test func operatorsBecomeTheExpectedIRNodes() throws {
        #expect(try kinds("convtranspose_basic") == ["TransposedConvolution"])
        #expect(try kinds("pad_1d") == ["Selection"])
        #expect(try kinds("upsample9").prefix(2) == ["Selection", "SparseLinear"])
        #expect(try kinds("resize_nhwc") == ["SparseLinear"])
        // Everything but `Sum(..., x)` and `Mul(x, ...)` is evaluated at load time.
        #expect(try kinds("constant_folding") == ["ElementwiseAffine"])
    }

    private func expectError(_ name: String, _ fragments: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        let path = Fixtures.path("linear_ops/\(name).onnx")
        do {
            _ = try ONNXLoader.load(contentsOf: path)
            Issue.record("\(name) loaded without error", sourceLocation: sourceLocation)
        } catch let error as ONNXError {
            let text = error.description
            for fragment in fragments {
                #expect(text.contains(fragment), "'\(fragment)' missing from: \(text)", sourceLocation: sourceLocation)
            }
        } catch {
            Issue.record("\(name): unexpected error \(error)", sourceLocation: sourceLocation)
        }
    }

    @Test func unsupportedAttributeValuesAreRefusedClearly() {
        expectError("bad_resize_crop", ["(Resize)", "coordinate_transformation_mode", "tf_crop_and_resize"])
        expectError("bad_resize_antialias", ["(Resize)", "antialias", "downsampling"])
        expectError("bad_resize_mode", ["(Resize)", "'mode' = 'area'", "nearest, linear, cubic"])
        expectError("bad_pad_wrap_crop", ["(Pad)", "negative pads", "wrap"])
        expectError("bad_pad_mode", ["(Pad)", "'mode' = 'symmetric'"])
        expectError("bad_convtranspose_3d", ["(ConvTranspose)", "only 1-D and 2-D"])
        expectError("bad_convtranspose_output_padding", ["(ConvTranspose)", "output_padding"])
        expectError("bad_cast_to_int", ["(Cast)", "INT64"])
    }
}
