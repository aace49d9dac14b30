import LinearAlgebra
import NNGraph
import ONNXLoader
import Testing

/// ONNX value names mapped to IR values (``ONNXLoader/load(contentsOf:exposing:)``), the hidden
/// nodes of VNN-LIB 2.0 queries: each named value keeps its ONNX meaning although the loader fuses.
@Suite struct ExposedValueTests {
    static let iris = Fixtures.repositoryRoot.appendingPathComponent("models/iris/onnx/iris_mlp.onnx").path

    @Test func namedValuesKeepTheirONNXMeaning() throws {
        // iris: Sub, Div (normalisation) -> Gemm fc1 -> Relu relu1 -> Gemm fc2 -> Relu relu2 -> Gemm output.
        let names = ["input", "normalized", "fc1", "relu1", "fc2", "output", "fc1.weight", "no_such_value"]
        let (network, values) = try ONNXLoader.load(contentsOf: Self.iris, exposing: names)
        let plain = try ONNXLoader.load(contentsOf: Self.iris)
        #expect(values["no_such_value"] == .missing)
        #expect(values["fc1.weight"] == .constant(shape: [16, 4]))
        #expect(values["input"] == .computed(0, shape: [1, 4]))
        func value(_ name: String) throws -> ValueID {
            guard case .computed(let v, _)? = values[name] else { throw Failure("\(name) is not computed") }
            return v
        }
        guard case .computed(_, let fc1Shape)? = values["fc1"] else { Issue.record("fc1"); return }
        #expect(fc1Shape == [1, 16])
        // The normalisation is not folded into fc1 (it is named), and fc1 is not fused with anything.
        #expect(try value("normalized") != value("fc1") && value("fc1") != value("relu1"))
        let x = Matrix(rowVectors: [[5.1, 3.5, 1.4, 0.2], [6.7, 3.0, 5.2, 2.3], [4.3, 2.0, 1.0, 0.1]])
        let all = network.evaluateAll(x)
        #expect(network.evaluate(x) == plain.evaluate(x), "exposing values does not change the function")
        #expect(try all[value("output")] == network.evaluate(x))
        let (fc1, relu1) = (try all[value("fc1")], try all[value("relu1")])
        #expect(fc1.data.map { max($0, 0) } == relu1.data, "relu1 = max(fc1, 0)")
        #expect(fc1.data.contains { $0 < 0 }, "fc1 is the pre-activation, not the ReLU output")
        let input = all[0], normalized = try all[value("normalized")]
        #expect(normalized.data != input.data, "normalized is after Sub and Div")
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ d: String) { description = d }
    }
}
