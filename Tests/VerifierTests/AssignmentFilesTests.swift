import Foundation
import ONNXProto
import Testing
import Verifier
import VNNLib

/// `verify --serialise-assignments DIR`: one serialised ONNX TensorProto per declared variable, of the
/// declared element type and shape, read back here with the same generated ONNX code.
@Suite struct AssignmentFilesTests {
    @Test func everyElementTypeRoundTrips() throws {
        let values = [0.5, -1.25, 3.0, 0.125, -0.0, 65504]
        for (type, expected) in [("float32", Onnx_TensorProto.DataType.float), ("float64", .double), ("real", .double),
                                 ("float16", .float16), ("bfloat16", .bfloat16)] {
            let declaration = TensorDeclaration(name: "X", elementType: type, shape: [2, 3], role: .input, onnxName: nil, offset: 0)
            let bytes = try AssignmentFiles.tensor(declaration, values: values).serializedData()
            let t = try Onnx_TensorProto(serializedBytes: bytes)
            #expect(t.name == "X" && t.dims == [2, 3] && t.dataType == Int32(expected.rawValue), "\(type)")
            let decoded: [Double]
            switch type {
            case "float32": decoded = t.floatData.map(Double.init)
            case "float16": decoded = t.int32Data.map { Double(Float16(bitPattern: UInt16($0))) }
            case "bfloat16": decoded = t.int32Data.map { Double(Float(bitPattern: UInt32($0) << 16)) }
            default: decoded = t.doubleData
            }
            // Each value is the nearest of the type (all of these are exact in float16; bfloat16 keeps 8 bits).
            let tolerance = type == "bfloat16" ? 1.0 / 128 : 0
            for (d, v) in zip(decoded, values) { #expect(abs(d - v) <= tolerance * abs(v), "\(type): \(d) for \(v)") }
        }
    }

    @Test func theFilesFollowTheDeclarationsAndOnlySatWritesThem() throws {
        let x = TensorDeclaration(name: "X", elementType: "float32", shape: [2], role: .input, onnxName: nil, offset: 0)
        let y = TensorDeclaration(name: "Y", elementType: "float32", shape: [], role: .output, onnxName: nil, offset: 0)
        let network = NetworkDeclaration(name: "f", relation: nil, inputs: [x], hidden: [], outputs: [y])
        let query = Query(version: "2.0", networks: [network],
                          specification: Specification(inputCount: 2, outputCount: 1, cases: []))
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nnverify-assign-\(UUID().uuidString)").path
        let sat = VerificationResult(verdict: .sat, witness: Witness(input: [0.25, -2], output: [7]), seconds: 0, decidedBy: "test")
        #expect(try AssignmentFiles.write(sat, query: query, to: dir).map { ($0 as NSString).lastPathComponent } == ["X.pb", "Y.pb"])
        let scalar = try Onnx_TensorProto(serializedBytes: Data(contentsOf: URL(fileURLWithPath: dir + "/Y.pb")))
        #expect(scalar.dims.isEmpty && scalar.floatData == [7])
        let input = try Onnx_TensorProto(serializedBytes: Data(contentsOf: URL(fileURLWithPath: dir + "/X.pb")))
        #expect(input.floatData == [0.25, -2])
        let unsat = VerificationResult(verdict: .unsat, seconds: 0, decidedBy: "test")
        #expect(try AssignmentFiles.write(unsat, query: query, to: dir + "-unsat").isEmpty)
    }
}
