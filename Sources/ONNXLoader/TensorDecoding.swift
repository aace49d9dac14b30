import Foundation
import ONNXProto

/// Turns an ONNX `TensorProto` into a ``ConstantTensor``.
///
/// Reads `raw_data` (little-endian, loaded unaligned) or the typed fields `float_data`, `double_data`,
/// `int64_data`, `int32_data` (also FLOAT16 bit patterns and BOOL) for the element types FLOAT, DOUBLE,
/// INT64, INT32, FLOAT16 and BOOL (as 0 and 1; Dropout's `training_mode` is one). Refuses external data, sizes over ``ONNXLoader/maxTensorElements`` (before
/// allocating), data whose length does not match the shape, and NaN or infinite floating-point values.
enum TensorDecoding {
    /// Element types the loader reads, with their size in `raw_data`.
    private enum ElementType {
        case float, double, int64, int32, float16, bool

        var byteWidth: Int {
            switch self {
            case .float, .int32: return 4
            case .double, .int64: return 8
            case .float16: return 2
            case .bool: return 1
            }
        }
        var isInteger: Bool { self == .int64 || self == .int32 || self == .bool }
    }

    /// Decodes `tensor`; `label` names it in errors (the initializer name, or the Constant node).
    static func decode(_ tensor: Onnx_TensorProto, label: String, file: String) throws(ONNXError) -> ConstantTensor {
        if tensor.dataLocation == .external || !tensor.externalData.isEmpty {
            throw .externalData(file: file, tensor: label)
        }
        let type = try elementType(of: tensor, label: label, file: file)
        let shape = tensor.dims.map { Int(clamping: $0) }
        let count: Int
        do {
            count = try ShapeMath.elementCount(shape, what: "tensor '\(label)'")
        } catch {
            switch error {
            case .tooLarge(let what, let elements):
                throw .tooLarge(file: file, node: nil, what: what, elements: elements, limit: ONNXLoader.maxTensorElements)
            default:
                throw .invalidTensor(file: file, tensor: label, reason: "dimensions \(tensor.dims) are not valid")
            }
        }
        let values = try readValues(tensor, type: type, count: count, label: label, file: file)
        if !type.isInteger {
            if let bad = values.firstIndex(where: { !$0.isFinite }) {
                throw .nonFiniteWeight(file: file, tensor: label, index: bad, value: values[bad])
            }
        }
        return ConstantTensor(shape: shape, values: values, isInteger: type.isInteger)
    }

    /// The number of elements a tensor declares, without reading its data (for `ModelInfo`); nil when
    /// the dimensions are invalid or overflow.
    static func declaredElementCount(_ tensor: Onnx_TensorProto) -> Int? {
        var count = 1
        for d in tensor.dims {
            guard d >= 0, d <= Int64(Int.max) else { return nil }
            let (p, overflow) = count.multipliedReportingOverflow(by: Int(d))
            if overflow { return nil }
            count = p
        }
        return count
    }

    /// True for FLOAT, DOUBLE, FLOAT16 and BFLOAT16 tensors (the ones counted as parameters).
    static func isFloatingPoint(_ tensor: Onnx_TensorProto) -> Bool {
        [1, 10, 11, 16].contains(tensor.dataType)
    }

    /// The ONNX name of an element type code, e.g. `FLOAT` for 1.
    static func typeName(_ code: Int32) -> String {
        guard let type = Onnx_TensorProto.DataType(rawValue: Int(code)) else { return "unknown (\(code))" }
        return String(describing: type).uppercased()
    }

    private static func elementType(of tensor: Onnx_TensorProto, label: String, file: String) throws(ONNXError) -> ElementType {
        switch tensor.dataType {
        case 1: return .float
        case 11: return .double
        case 7: return .int64
        case 6: return .int32
        case 10: return .float16
        case 9: return .bool
        default: throw .unsupportedDataType(file: file, tensor: label, dataType: typeName(tensor.dataType))
        }
    }

    private static func readValues(_ tensor: Onnx_TensorProto, type: ElementType, count: Int,
                                   label: String, file: String) throws(ONNXError) -> [Double] {
        if tensor.hasRawData {
            let expected = count * type.byteWidth
            guard tensor.rawData.count == expected else {
                throw .invalidTensor(file: file, tensor: label, reason: "raw_data has \(tensor.rawData.count) bytes, "
                    + "expected \(expected) for shape \(ShapeMath.format(tensor.dims.map { Int($0) })) of \(typeName(tensor.dataType))")
            }
            return decodeRaw(tensor.rawData, type: type, count: count)
        }
        let values: [Double]
        let field: String
        switch type {
        case .float: values = tensor.floatData.map { Double($0) }; field = "float_data"
        case .double: values = tensor.doubleData; field = "double_data"
        case .int64: values = tensor.int64Data.map { Double($0) }; field = "int64_data"
        case .int32: values = tensor.int32Data.map { Double($0) }; field = "int32_data"
        case .float16: values = tensor.int32Data.map { halfToDouble(UInt16(truncatingIfNeeded: $0)) }; field = "int32_data"
        case .bool: values = tensor.int32Data.map { $0 != 0 ? 1 : 0 }; field = "int32_data"
        }
        guard values.count == count else {
            throw .invalidTensor(file: file, tensor: label, reason: "\(field) has \(values.count) values, expected \(count) "
                + "for shape \(ShapeMath.format(tensor.dims.map { Int($0) }))" + (values.isEmpty ? " (no data stored)" : ""))
        }
        return values
    }

    /// Little-endian bytes to `Double`s; `data.count == count * type.byteWidth` was checked.
    private static func decodeRaw(_ data: Data, type: ElementType, count: Int) -> [Double] {
        data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) -> [Double] in
            [Double](unsafeUninitializedCapacity: count) { out, initialized in
                switch type {
                case .float:
                    for i in 0..<count {
                        let bits = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self))
                        out[i] = Double(Float(bitPattern: bits))
                    }
                case .double:
                    for i in 0..<count {
                        let bits = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self))
                        out[i] = Double(bitPattern: bits)
                    }
                case .int64:
                    for i in 0..<count {
                        out[i] = Double(Int64(littleEndian: bytes.loadUnaligned(fromByteOffset: 8 * i, as: Int64.self)))
                    }
                case .int32:
                    for i in 0..<count {
                        out[i] = Double(Int32(littleEndian: bytes.loadUnaligned(fromByteOffset: 4 * i, as: Int32.self)))
                    }
                case .float16:
                    for i in 0..<count {
                        out[i] = halfToDouble(UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)))
                    }
                case .bool:
                    for i in 0..<count { out[i] = bytes[i] != 0 ? 1 : 0 }
                }
                initialized = count
            }
        }
    }

    /// IEEE 754 binary16 bit pattern to `Double` (exact).
    static func halfToDouble(_ h: UInt16) -> Double {
        let negative = h & 0x8000 != 0
        let exponent = Int((h >> 10) & 0x1f)
        let fraction = Double(h & 0x3ff)
        let magnitude: Double
        switch exponent {
        case 0: magnitude = Double(sign: .plus, exponent: -24, significand: fraction)
        case 31: magnitude = fraction == 0 ? .infinity : .nan
        default: magnitude = Double(sign: .plus, exponent: exponent - 15, significand: 1 + fraction / 1024)
        }
        return negative ? -magnitude : magnitude
    }
}
