/// The parsed header of an NPY file: the three keys of its Python dict literal.
///
/// Format (numpy.lib.format): magic `\x93NUMPY`, major and minor version bytes, the header length
/// (2 bytes little-endian in version 1.0, 4 bytes in 2.0 and 3.0), then the header: a Python dict
/// literal such as `{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }` padded with spaces
/// and ending in a newline. The array data follow the header.
struct NPYHeader: Equatable {
    /// The `descr` string, e.g. `<f4`.
    var descr: String
    /// Whether the data are stored in Fortran (column-major) order.
    var fortranOrder: Bool
    /// The array shape.
    var shape: [Int]
    /// `major.minor`, e.g. `1.0`.
    var version: String
    /// Offset of the first data byte.
    var dataOffset: Int

    /// The magic string that starts every NPY file.
    static let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]

    /// Parses the preamble and header of `bytes`; errors name `file` and a byte offset.
    static func parse(_ bytes: UnsafeRawBufferPointer, file: String, limits: DataLimits) throws -> NPYHeader {
        guard bytes.count >= 10 else {
            if bytes.isEmpty || !bytes.prefix(6).elementsEqual(magic.prefix(bytes.count)) {
                throw DataFileError(.malformed, file: file, at: .byte(0),
                                    "not an NPY file: expected the magic string \\x93NUMPY (file has \(bytes.count) bytes)")
            }
            throw DataFileError(.truncated, file: file, at: .byte(bytes.count),
                                "file ends inside the NPY preamble (\(bytes.count) bytes; expected at least 10)")
        }
        guard bytes.prefix(6).elementsEqual(magic) else {
            throw DataFileError(.malformed, file: file, at: .byte(0), "not an NPY file: expected the magic string \\x93NUMPY")
        }
        let major = bytes[6], minor = bytes[7]
        let headerLength: Int, headerStart: Int
        switch major {
        case 1:
            headerLength = Int(UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt16.self)))
            headerStart = 10
        case 2, 3:
            guard bytes.count >= 12 else {
                throw DataFileError(.truncated, file: file, at: .byte(bytes.count),
                                    "file ends inside the NPY preamble (expected a 4-byte header length)")
            }
            headerLength = Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt32.self)))
            headerStart = 12
        default:
            throw DataFileError(.unsupportedFeature, file: file, at: .byte(6),
                                "NPY format version \(major).\(minor) is not supported; expected 1.0, 2.0 or 3.0")
        }
        guard minor == 0 else {
            throw DataFileError(.unsupportedFeature, file: file, at: .byte(7),
                                "NPY format version \(major).\(minor) is not supported; expected 1.0, 2.0 or 3.0")
        }
        guard headerLength <= limits.maxNPYHeaderBytes else {
            throw DataFileError(.limitExceeded, file: file, at: .byte(8),
                                "NPY header length \(headerLength) exceeds the limit of \(limits.maxNPYHeaderBytes) bytes (DataLimits.maxNPYHeaderBytes)")
        }
        guard headerStart + headerLength <= bytes.count else {
            throw DataFileError(.truncated, file: file, at: .byte(bytes.count),
                                "file ends inside the NPY header (declared \(headerLength) bytes, \(bytes.count - headerStart) present)")
        }
        var parser = HeaderParser(bytes: UnsafeRawBufferPointer(rebasing: bytes[headerStart..<headerStart + headerLength]),
                                  base: headerStart, file: file)
        let (descr, fortran, shape) = try parser.parseDict()
        return NPYHeader(descr: descr, fortranOrder: fortran, shape: shape, version: "\(major).\(minor)",
                         dataOffset: headerStart + headerLength)
    }
}

/// A recursive-descent parser for the restricted Python dict literal of an NPY header.
private struct HeaderParser {
    let bytes: UnsafeRawBufferPointer
    /// Offset of `bytes` in the file, for error locations.
    let base: Int
    let file: String
    var position = 0

    init(bytes: UnsafeRawBufferPointer, base: Int, file: String) {
        self.bytes = bytes
        self.base = base
        self.file = file
    }

    private func error(_ message: String) -> DataFileError {
        DataFileError(.malformed, file: file, at: .byte(base + position), "NPY header: " + message)
    }

    private var current: UInt8? { position < bytes.count ? bytes[position] : nil }

    private mutating func skipSpace() {
        while let c = current, c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D { position += 1 }
    }

    private mutating func expect(_ char: UInt8, _ what: String) throws {
        skipSpace()
        guard current == char else { throw error("expected \(what)") }
        position += 1
    }

    /// Parses `{'descr': ..., 'fortran_order': ..., 'shape': (...)}` and trailing padding.
    mutating func parseDict() throws -> (String, Bool, [Int]) {
        var descr: String?, fortran: Bool?, shape: [Int]?
        try expect(UInt8(ascii: "{"), "'{' starting the header dict")
        while true {
            skipSpace()
            if current == UInt8(ascii: "}") { position += 1; break }
            let keyStart = position
            let key = try parseString()
            try expect(UInt8(ascii: ":"), "':' after key '\(key)'")
            skipSpace()
            switch key {
            case "descr" where descr == nil:
                if current == UInt8(ascii: "[") {
                    throw DataFileError(.unsupportedFeature, file: file, at: .byte(base + position),
                                        "structured (record) dtypes are not supported; expected a plain numeric dtype")
                }
                descr = try parseString()
            case "fortran_order" where fortran == nil:
                fortran = try parseBool()
            case "shape" where shape == nil:
                shape = try parseShape()
            case "descr", "fortran_order", "shape":
                position = keyStart
                throw error("key '\(key)' appears twice")
            default:
                position = keyStart
                throw error("unexpected key '\(key)'; expected only 'descr', 'fortran_order' and 'shape'")
            }
            skipSpace()
            if current == UInt8(ascii: ",") { position += 1; continue }
            try expect(UInt8(ascii: "}"), "',' or '}' in the header dict")
            break
        }
        skipSpace()
        guard position == bytes.count else { throw error("unexpected text after the header dict") }
        guard let descr else { throw error("missing key 'descr'") }
        guard let fortran else { throw error("missing key 'fortran_order'") }
        guard let shape else { throw error("missing key 'shape'") }
        return (descr, fortran, shape)
    }

    /// A single- or double-quoted string without escapes.
    private mutating func parseString() throws -> String {
        guard let quote = current, quote == UInt8(ascii: "'") || quote == UInt8(ascii: "\"") else {
            throw error("expected a quoted string")
        }
        position += 1
        let start = position
        while let c = current, c != quote {
            guard c != UInt8(ascii: "\\"), c != 0x0A else { throw error("unsupported character in a string") }
            position += 1
        }
        guard current == quote else { throw error("unterminated string") }
        let text = String(decoding: bytes[start..<position], as: UTF8.self)
        position += 1
        return text
    }

    private mutating func parseBool() throws -> Bool {
        for (word, value) in [("True", true), ("False", false)] where matches(word) {
            position += word.utf8.count
            return value
        }
        throw error("expected True or False for 'fortran_order'")
    }

    private func matches(_ word: String) -> Bool {
        let utf8 = Array(word.utf8)
        guard position + utf8.count <= bytes.count else { return false }
        return bytes[position..<position + utf8.count].elementsEqual(utf8)
    }

    /// A tuple of non-negative integers: `()`, `(3,)`, `(3, 4)`.
    private mutating func parseShape() throws -> [Int] {
        guard current == UInt8(ascii: "(") else { throw error("expected a tuple of integers for 'shape'") }
        position += 1
        var dims: [Int] = []
        var trailingComma = false
        while true {
            skipSpace()
            if current == UInt8(ascii: ")") { position += 1; break }
            guard dims.count < 64 else { throw error("more than 64 dimensions") }
            dims.append(try parseDimension())
            skipSpace()
            trailingComma = current == UInt8(ascii: ",")
            if trailingComma { position += 1; continue }
            guard current == UInt8(ascii: ")") else { throw error("expected ',' or ')' in 'shape'") }
            position += 1
            break
        }
        if dims.count == 1, !trailingComma {
            // `(3)` is an integer in Python, not a tuple; numpy always writes `(3,)`.
            throw error("expected a tuple for 'shape', found a parenthesised integer")
        }
        return dims
    }

    private mutating func parseDimension() throws -> Int {
        let start = position
        var value = 0
        while let c = current, c >= 0x30, c <= 0x39 {
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(Int(c - 0x30))
            guard !o1, !o2 else { position = start; throw error("dimension too large") }
            value = sum
            position += 1
        }
        guard position > start else { throw error("expected a non-negative integer dimension in 'shape'") }
        if current == UInt8(ascii: "L") { position += 1 }  // Python 2 long literal
        return value
    }
}
