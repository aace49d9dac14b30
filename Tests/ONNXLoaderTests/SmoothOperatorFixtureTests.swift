import Foundation
import NNGraph
import ONNXLoader
import Testing

/// The smooth elementwise operators on computed tensors (Exp, Log, Reciprocal, Sqrt, Pow with a constant
/// exponent, Sin, Cos, Erf, Gelu, Softplus, Softsign, Sign) load and compute what onnxruntime computes
/// (`smooth/`, written by scripts/make_smooth_fixtures.py); unsupported Pow forms are refused clearly.
@Suite("Smooth-operator fixtures evaluate like onnxruntime")
struct SmoothOperatorFixtureTests {
    static func references() throws -> [FixtureReferences.Model] {
        try Fixtures.decode(FixtureReferences.self, from: "smooth/references.json").fixtures
    }

    @Test("fixture matches onnxruntime", arguments: try references())
    func matchesOnnxruntime(_ model: FixtureReferences.Model) throws {
        let network = try ONNXLoader.load(contentsOf: Fixtures.path(model.file))
        #expect(network.inputShape == model.inputShape)
        #expect(network.outputSize == model.outputShape.reduce(1, *))
        for (k, c) in model.cases.enumerated() {
            expectClose(try network.evaluate(c.input), c.output, "\(model.file) case \(k)")
        }
    }

    @Test func everyOperatorHasAFixture() throws {
        let files = Set(try Self.references().map(\.file))
        for name in ["exp", "log", "reciprocal", "sqrt", "sin", "cos", "erf", "softplus", "softsign", "sign", "pow2", "pow3",
                     "pow_half", "pow_1_5", "pow_neg1", "pow_neg2_vector", "pow1_alias", "pow0_constant", "chain",
                     "gelu_op20", "gelu_tanh_op20"] {
            #expect(files.contains("smooth/\(name).onnx"), "missing fixture \(name)")
        }
    }

    private func kinds(_ name: String) throws -> [String] {
        try ONNXLoader.load(contentsOf: Fixtures.path("smooth/\(name).onnx")).nodes.map(\.op.kind)
    }

    @Test func operatorsBecomeTheExpectedIRNodes() throws {
        for (file, kind) in [("exp", "Exp"), ("log", "Log"), ("reciprocal", "Reciprocal"), ("sqrt", "Sqrt"), ("sin", "Sin"),
                             ("cos", "Cos"), ("erf", "Erf"), ("softplus", "Softplus"), ("softsign", "Softsign"), ("sign", "Sign"),
                             ("pow2", "Pow"), ("pow3", "Pow"), ("pow_1_5", "Pow"), ("pow_neg1", "Pow"), ("pow_neg2_vector", "Pow"),
                             ("pow_half", "Sqrt"), ("gelu_op20", "Gelu"), ("gelu_tanh_op20", "GeluTanh")] {
            let k = try kinds(file)
            #expect(k.contains(kind), "\(file) has no \(kind) node: \(k)")
        }
        #expect(try !kinds("pow1_alias").contains("Pow"), "Pow 1 is an alias")
        #expect(try !kinds("pow0_constant").contains("Pow"), "Pow 0 is a constant")
        let pow3 = try ONNXLoader.load(contentsOf: Fixtures.path("smooth/pow3.onnx"))
        #expect(pow3.nodes.compactMap { $0.op as? Pow }.first?.exponent == 3)
    }

    @Test func unsupportedPowFormsAreRefusedWithTheReason() {
        for (name, fragment) in [("bad_pow_computed_exponent", "computed exponent"),
                                 ("bad_pow_negative_real", "negative non-integer"),
                                 ("bad_pow_mixed", "different values"),
                                 ("bad_gelu_approximate", "approximate is 'fast'")] {
            let path = Fixtures.path("smooth/\(name).onnx")
            do {
                _ = try ONNXLoader.load(contentsOf: path)
                Issue.record("\(name) loaded without error")
            } catch {
                let text = "\(error)"
                #expect(text.contains(fragment) && text.contains("node '"), "\(name): \(text)")
            }
        }
    }

    /// PyTorch's exports of GELU before opset 20 (`x · (erf(x/√2) + 1) · 0.5`) and of SiLU (`x · σ(x)`)
    /// become one activation each, not a product (their outputs are checked by the exported-model tests).
    @Test func exportedGeluAndSiluPatternsAreFused() throws {
        let gelu = try ONNXLoader.load(contentsOf: Fixtures.path("exported/gelu_op13.onnx")).nodes.map(\.op.kind)
        #expect(gelu.contains("Gelu") && !gelu.contains("Erf"), "\(gelu)")
        let silu = try ONNXLoader.load(contentsOf: Fixtures.path("exported/silu_op13.onnx")).nodes.map(\.op.kind)
        #expect(silu == ["Affine", "SiLU", "Affine"], "\(silu)")
    }
}
