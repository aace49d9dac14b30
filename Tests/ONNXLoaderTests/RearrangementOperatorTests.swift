import Foundation
import NNGraph
import ONNXLoader
import ONNXProto
import SwiftProtobuf
import Testing

/// Forms of the rearrangement and linear operators that PyTorch's exporters do not all produce
/// (DepthToSpace `DCR`, SpaceToDepth, GatherND with `batch_dims`, CumSum `exclusive`/`reverse`, Trilu
/// lower with `k`, NonZero of a constant), checked on models built in memory against direct Swift
/// definitions of the ONNX operators.
@Suite("Rearrangement operators follow the ONNX definitions")
struct RearrangementOperatorTests {
    static func int64Tensor(_ name: String, _ dims: [Int64], _ values: [Int64]) -> Onnx_TensorProto {
        var t = Onnx_TensorProto()
        t.name = name
        t.dataType = 7
        t.dims = dims
        t.int64Data = values
        return t
    }

    /// A model `x (inputDims) → op → y` with int64 initializers, int attributes and one string attribute.
    static func load(_ op: String, inputDims: [Int64], outputDims: [Int64], extra: [Onnx_TensorProto] = [],
                     ints: [String: Int64] = [:], strings: [String: String] = [:], opset: Int64 = 18) throws -> Network {
        var node = HostileModelTests.node(op, ["x"] + extra.map(\.name), "y")
        for (name, value) in ints.sorted(by: { $0.key < $1.key }) {
            var a = Onnx_AttributeProto()
            a.name = name
            a.type = .int
            a.i = value
            node.attribute.append(a)
        }
        for (name, value) in strings {
            var a = Onnx_AttributeProto()
            a.name = name
            a.type = .string
            a.s = Data(value.utf8)
            node.attribute.append(a)
        }
        var model = try Onnx_ModelProto(serializedBytes: try HostileModelTests.model(inputDims: inputDims, nodes: [node],
                                                                                      outputDims: outputDims))
        model.graph.initializer = extra
        model.opsetImport[0].version = opset
        return try ONNXLoader.load(data: try model.serializedBytes(), fileName: "\(op).onnx")
    }

    static func input(_ count: Int) -> [Double] { (0..<count).map { Double(($0 * 37) % 101) / 10 - 5 } }

    @Test(arguments: ["DCR", "CRD"]) func depthToSpace(mode: String) throws {
        let (c, h, w, b) = (8, 2, 3, 2)
        let network = try Self.load("DepthToSpace", inputDims: [1, 8, 2, 3], outputDims: [1, 2, 4, 6],
                                    ints: ["blocksize": 2], strings: ["mode": mode])
        let x = Self.input(c * h * w)
        var expected = [Double]()
        let cOut = c / (b * b)
        for co in 0..<cOut {
            for y in 0..<h * b {
                for xx in 0..<w * b {
                    let (i, j) = (y % b, xx % b)
                    let ci = mode == "DCR" ? (i * b + j) * cOut + co : co * b * b + i * b + j
                    expected.append(x[(ci * h + y / b) * w + xx / b])
                }
            }
        }
        #expect(try network.evaluate(x) == expected)
    }

    @Test func spaceToDepthInvertsDepthToSpace() throws {
        let network = try Self.load("SpaceToDepth", inputDims: [1, 2, 4, 6], outputDims: [1, 8, 2, 3], ints: ["blocksize": 2])
        let back = try Self.load("DepthToSpace", inputDims: [1, 8, 2, 3], outputDims: [1, 2, 4, 6], ints: ["blocksize": 2])
        let x = Self.input(48)
        #expect(try back.evaluate(try network.evaluate(x)) == x)
        #expect(try network.evaluate(x) != x)
    }

    @Test func gatherNDWithBatchDims() throws {
        // data [2, 3, 4]; batch_dims 1, indices [2, 2, 1]: y[b, t, :] = x[b, idx[b, t], :]
        let indices = Self.int64Tensor("i", [2, 2, 1], [2, -3, 1, 1])
        let network = try Self.load("GatherND", inputDims: [2, 3, 4], outputDims: [2, 2, 4], extra: [indices],
                                    ints: ["batch_dims": 1])
        let x = Self.input(24)
        let rows = [2, 0, 3 + 1, 3 + 1]  // (batch, index) → data row
        var expected = [Double]()
        for r in rows { expected += x[(r * 4)..<(r * 4 + 4)] }
        #expect(try network.evaluate(x) == expected)
    }

    @Test func gatherNDOfElements() throws {
        let indices = Self.int64Tensor("i", [3, 2], [0, 3, 2, -1, 1, 0])
        let network = try Self.load("GatherND", inputDims: [3, 4], outputDims: [3], extra: [indices])
        let x = Self.input(12)
        #expect(try network.evaluate(x) == [x[3], x[11], x[4]])
    }

    @Test func gatherElementsAlongAxis1() throws {
        let indices = Self.int64Tensor("i", [2, 2], [2, 0, -1, 1])
        let network = try Self.load("GatherElements", inputDims: [2, 3], outputDims: [2, 2], extra: [indices], ints: ["axis": 1])
        let x = Self.input(6)
        #expect(try network.evaluate(x) == [x[2], x[0], x[5], x[4]])
    }

    @Test(arguments: [(0, 0), (1, 0), (0, 1), (1, 1)]) func cumSum(exclusive: Int, reverse: Int) throws {
        let axis = Self.int64Tensor("a", [], [-1])
        let network = try Self.load("CumSum", inputDims: [2, 4], outputDims: [2, 4], extra: [axis],
                                    ints: ["exclusive": Int64(exclusive), "reverse": Int64(reverse)])
        let x = Self.input(8)
        var expected = [Double]()
        for j in 0..<8 {
            let row = j / 4, p = j % 4
            let range: Range<Int> = reverse == 1 ? (p + exclusive)..<4 : 0..<(p + 1 - exclusive)
            var sum = 0.0
            for q in range { sum += x[row * 4 + q] }
            expected.append(sum)
        }
        let y = try network.evaluate(x)
        for (a, b) in zip(y, expected) { #expect(abs(a - b) <= 1e-12, "\(y) vs \(expected)") }
    }

    @Test func triluLowerWithK() throws {
        let k = Self.int64Tensor("k", [], [-1])
        let network = try Self.load("Trilu", inputDims: [2, 3, 4], outputDims: [2, 3, 4], extra: [k], ints: ["upper": 0])
        let x = Self.input(24)
        var expected = [Double]()
        for j in 0..<24 {
            let column = j % 4, row = (j / 4) % 3
            expected.append(column - row <= -1 ? x[j] : 0)
        }
        #expect(try network.evaluate(x) == expected)
    }

    @Test func nonZeroOfAConstantMaskFeedsGatherND() throws {
        // y = x[mask] for a constant mask over the whole [2, 3] input: NonZero → Transpose → GatherND.
        var model = try Onnx_ModelProto(serializedBytes: try HostileModelTests.model(
            inputDims: [2, 3], nodes: [HostileModelTests.node("NonZero", ["m"], "nz"),
                                       HostileModelTests.node("Transpose", ["nz"], "t", ints: ["perm": [1, 0]]),
                                       HostileModelTests.node("GatherND", ["x", "t"], "y")],
            outputDims: [3]))
        var mask = Onnx_TensorProto()
        mask.name = "m"
        mask.dataType = 9  // BOOL
        mask.dims = [2, 3]
        mask.int32Data = [0, 1, 0, 1, 0, 1]
        model.graph.initializer = [mask]
        let network = try ONNXLoader.load(data: try model.serializedBytes(), fileName: "nonzero.onnx")
        let x = Self.input(6)
        #expect(try network.evaluate(x) == [x[1], x[3], x[5]])
    }
}
