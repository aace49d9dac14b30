import Foundation
import ONNXProto
import SwiftProtobuf
import VNNLib

/// The VNN-LIB 2.0 standard's serialised assignment format (`verify --serialise-assignments DIR`,
/// VNNLIB-Standard, "Serialised assignment format"): after `sat`, one file `DIR/NAME.pb` per declared
/// variable holding a serialised ONNX `TensorProto` of the declared element type and shape.
public enum AssignmentFiles {
    /// The tensor of one variable: `float32` as FLOAT, `float64` and `real` as DOUBLE, `float16` and
    /// `bfloat16` as their 16-bit patterns in `int32_data` (as ONNX stores them), rounded to nearest.
    public static func tensor(_ declaration: TensorDeclaration, values: [Double]) -> Onnx_TensorProto {
        var t = Onnx_TensorProto()
        t.name = declaration.name
        t.dims = declaration.shape.map(Int64.init)
        switch declaration.elementType {
        case "float32":
            t.dataType = Int32(Onnx_TensorProto.DataType.float.rawValue)
            t.floatData = values.map(Float.init)
        case "float16":
            t.dataType = Int32(Onnx_TensorProto.DataType.float16.rawValue)
            t.int32Data = values.map { Int32(Float16($0).bitPattern) }
        case "bfloat16":
            t.dataType = Int32(Onnx_TensorProto.DataType.bfloat16.rawValue)
            t.int32Data = values.map { Int32(bfloat16Bits(Float($0))) }
        default:
            t.dataType = Int32(Onnx_TensorProto.DataType.double.rawValue)
            t.doubleData = values
        }
        return t
    }

    /// The bfloat16 nearest `x` (ties to even) as its bit pattern: the upper half of the float32's bits.
    static func bfloat16Bits(_ x: Float) -> UInt16 {
        let bits = x.bitPattern
        if x.isNaN { return UInt16(bits >> 16) | 0x40 }
        return UInt16((bits &+ 0x7FFF &+ ((bits >> 16) & 1)) >> 16)
    }

    /// Writes the assignment of `result` (nothing unless it is `sat` with a witness) into `directory`,
    /// created when missing. Returns the files written.
    /// - Throws: a file-system error, or a name that is not a plain file name.
    @discardableResult
    public static func write(_ result: VerificationResult, query: Query, to directory: String) throws -> [String] {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var written = [String]()
        for (declaration, values) in QueryAssignment.assignment(result, query: query) {
            guard !declaration.name.contains("/"), declaration.name != ".", declaration.name != ".." else {
                throw CocoaError(.fileWriteInvalidFileName, userInfo: [NSFilePathErrorKey: declaration.name])
            }
            let path = (directory as NSString).appendingPathComponent(declaration.name + ".pb")
            try tensor(declaration, values: values).serializedData().write(to: URL(fileURLWithPath: path), options: .atomic)
            written.append(path)
        }
        return written
    }
}
