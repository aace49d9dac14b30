/// The element type of an NPY array, parsed from its `descr` string (e.g. `<f4`, `>i8`, `|u1`).
///
/// Supported: `f4`, `f8` (float32, float64), `i1`, `i2`, `i4`, `i8` (signed), `u1`, `u2`, `u4`, `u8`
/// (unsigned) and `b1` (bool), with byte order `<` (little), `>` (big), `=` (native, little on
/// every platform Swift targets here) or `|` (not applicable; only for 1-byte types).
public struct NPYDType: Sendable, Equatable, CustomStringConvertible {
    /// The family of the element type.
    public enum Kind: Sendable, Equatable {
        /// IEEE 754 binary floating point.
        case float
        /// Two's complement signed integer.
        case signedInteger
        /// Unsigned integer.
        case unsignedInteger
        /// One byte per element; zero is false, anything else true (read as 1).
        case bool
    }

    /// The family of the element type.
    public let kind: Kind
    /// Bytes per element.
    public let size: Int
    /// Whether multi-byte elements are stored big-endian.
    public let bigEndian: Bool

    /// The dtype descriptions accepted, for error messages.
    public static let supportedDescription =
        "float32, float64, int8, int16, int32, int64, uint8, uint16, uint32, uint64 or bool ('<f4', '>f8', '|u1', ...)"

    /// Parses a `descr` string; nil when it is not a supported numeric dtype.
    public init?(descr: String) {
        let utf8 = Array(descr.utf8)
        guard utf8.count >= 3, let order = utf8.first else { return nil }
        let code = String(decoding: utf8[1...], as: UTF8.self)
        let table: [String: (Kind, Int)] = [
            "f4": (.float, 4), "f8": (.float, 8),
            "i1": (.signedInteger, 1), "i2": (.signedInteger, 2), "i4": (.signedInteger, 4),
            "i8": (.signedInteger, 8),
            "u1": (.unsignedInteger, 1), "u2": (.unsignedInteger, 2), "u4": (.unsignedInteger, 4),
            "u8": (.unsignedInteger, 8), "b1": (.bool, 1),
        ]
        guard let (kind, size) = table[code] else { return nil }
        switch order {
        case UInt8(ascii: "<"), UInt8(ascii: "="): bigEndian = false
        case UInt8(ascii: ">"): bigEndian = true
        case UInt8(ascii: "|") where size == 1: bigEndian = false
        default: return nil
        }
        self.kind = kind
        self.size = size
    }

    /// Whether elements are integers (signed, unsigned or bool).
    public var isInteger: Bool { kind != .float }

    /// The numpy name, e.g. `float32`, `int64` or `bool`, with `(big-endian)` when so.
    public var description: String {
        let name: String
        switch kind {
        case .float: name = "float\(size * 8)"
        case .signedInteger: name = "int\(size * 8)"
        case .unsignedInteger: name = "uint\(size * 8)"
        case .bool: name = "bool"
        }
        return bigEndian && size > 1 ? name + " (big-endian)" : name
    }

    /// Converts `count` elements starting at `offset` of `bytes` to `Double`, in file order.
    /// The caller has checked that `offset + count * size <= bytes.count`.
    func convert(_ bytes: UnsafeRawBufferPointer, offset: Int, count: Int) -> [Double] {
        var values = [Double](repeating: 0, count: count)
        let big = bigEndian
        func load<T: FixedWidthInteger>(_: T.Type, _ transform: (T) -> Double) {
            for i in 0..<count {
                let raw = bytes.loadUnaligned(fromByteOffset: offset + i * size, as: T.self)
                values[i] = transform(big ? T(bigEndian: raw) : T(littleEndian: raw))
            }
        }
        switch (kind, size) {
        case (.float, 4): load(UInt32.self) { Double(Float(bitPattern: $0)) }
        case (.float, _): load(UInt64.self) { Double(bitPattern: $0) }
        case (.signedInteger, 1): load(Int8.self) { Double($0) }
        case (.signedInteger, 2): load(Int16.self) { Double($0) }
        case (.signedInteger, 4): load(Int32.self) { Double($0) }
        case (.signedInteger, _): load(Int64.self) { Double($0) }
        case (.unsignedInteger, 1): load(UInt8.self) { Double($0) }
        case (.unsignedInteger, 2): load(UInt16.self) { Double($0) }
        case (.unsignedInteger, 4): load(UInt32.self) { Double($0) }
        case (.unsignedInteger, _): load(UInt64.self) { Double($0) }
        case (.bool, _): load(UInt8.self) { $0 == 0 ? 0 : 1 }
        }
        return values
    }
}
