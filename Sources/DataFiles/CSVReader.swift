import Foundation

/// Reads labelled CSV data: one sample per line, `label,x0,x1,...`.
///
/// Rules:
/// - Fields are separated by commas; spaces and tabs around a field are ignored; lines end in
///   `\n` or `\r\n`; a UTF-8 byte-order mark at the start is ignored.
/// - Blank lines and lines whose first non-blank character is `#` are skipped anywhere.
/// - Line 1 is a header, and skipped, when its first field is empty or not a number (e.g. `label,x0,...`).
/// - The label is a non-negative integer (`3`, or `3.0` written as a float); every other field a
///   finite decimal number (`0.5`, `-1e-3`; no NaN, infinity or hexadecimal).
/// - Every data row has the same number of fields, at least two (a label and one value).
///
/// Errors name the file, 1-based line and column (in bytes) and what was expected.
public enum CSVDataReader {
    /// Reads the CSV file at `path` (at most `limits.maxFileBytes` bytes).
    public static func read(contentsOf path: String, limits: DataLimits = .default) throws -> LabelledData {
        try parse(FileInput.read(path, limits: limits), fileName: path, limits: limits)
    }

    /// Parses CSV text held in memory; `fileName` names it in errors and becomes the data's `source`.
    ///
    /// - Throws: ``DataFileError`` `.syntax`, `.invalidValue`, `.shapeMismatch`, `.emptyData` or
    ///   `.limitExceeded`, with line and column.
    public static func parse(_ data: Data, fileName: String, limits: DataLimits = .default) throws -> LabelledData {
        try data.withUnsafeBytes { try parse(bytes: $0, fileName: fileName, limits: limits) }
    }

    static func parse(bytes: UnsafeRawBufferPointer, fileName: String, limits: DataLimits) throws -> LabelledData {
        var inputs: [[Double]] = []
        var labels: [Int] = []
        var lines: [Int] = []
        var width: Int?
        var firstDataLine = 0
        var lineNumber = 0
        var position = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        while position < bytes.count {
            lineNumber += 1
            var end = position
            while end < bytes.count, bytes[end] != 0x0A { end += 1 }
            let next = end + 1
            if end > position, bytes[end - 1] == 0x0D { end -= 1 }
            let line = CSVLine(bytes: bytes, start: position, end: end, number: lineNumber, file: fileName)
            position = next
            guard let firstCharacter = line.firstNonBlank, bytes[firstCharacter] != UInt8(ascii: "#") else { continue }

            let fields = line.fields()
            if lineNumber == 1, [.notANumber, .empty].contains(CSVNumber.parse(line.text(of: fields[0]))) { continue }
            guard fields.count >= 2 else {
                throw line.error(.shapeMismatch, at: end,
                                 "expected a label followed by at least one input value ('label,x0,x1,...'), found only one field")
            }
            if let width, fields.count != width {
                let column = fields.count > width ? fields[width].start - 1 : end
                throw line.error(.shapeMismatch, at: column,
                                 "row has \(fields.count - 1) input values; expected \(width - 1) like the first data row (line \(firstDataLine))")
            }
            if width == nil {
                width = fields.count
                firstDataLine = lineNumber
            }
            let (total, overflow) = (inputs.count + 1).multipliedReportingOverflow(by: fields.count - 1)
            guard !overflow, total <= limits.maxElements else {
                throw line.error(.limitExceeded, at: end,
                                 "more than \(limits.maxElements) values in the file (DataLimits.maxElements)")
            }
            labels.append(try line.label(fields[0]))
            var values = [Double]()
            values.reserveCapacity(fields.count - 1)
            for field in fields.dropFirst() { values.append(try line.value(field)) }
            inputs.append(values)
            lines.append(lineNumber)
        }
        guard let width else {
            throw DataFileError(.emptyData, file: fileName,
                                "no data rows; expected lines 'label,x0,x1,...' (blank lines, '#' comments and a header on line 1 are skipped)")
        }
        return LabelledData(inputs: inputs, labels: labels, sampleShape: [width - 1], source: fileName, lineNumbers: lines)
    }
}

/// One line of a CSV file, as offsets into the file's bytes.
private struct CSVLine {
    /// A field: `start..<end` without the blanks around it.
    struct Field {
        var start: Int
        var end: Int
    }

    let bytes: UnsafeRawBufferPointer
    let start: Int
    let end: Int
    let number: Int
    let file: String

    static func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }

    var firstNonBlank: Int? {
        var index = start
        while index < end, Self.isBlank(bytes[index]) { index += 1 }
        return index < end ? index : nil
    }

    func fields() -> [Field] {
        var result: [Field] = []
        var fieldStart = start
        var index = start
        while true {
            if index == end || bytes[index] == UInt8(ascii: ",") {
                var first = fieldStart, last = index
                while first < last, Self.isBlank(bytes[first]) { first += 1 }
                while last > first, Self.isBlank(bytes[last - 1]) { last -= 1 }
                result.append(Field(start: first, end: last))
                if index == end { return result }
                fieldStart = index + 1
            }
            index += 1
        }
    }

    func text(of field: Field) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: bytes[field.start..<field.end])
    }

    func shown(_ field: Field) -> String {
        let text = String(decoding: self.text(of: field), as: UTF8.self)
        return text.count > 40 ? String(text.prefix(40)) + "..." : text
    }

    /// An error at byte offset `offset` of the file (reported as a 1-based column of this line).
    func error(_ kind: DataFileError.Kind, at offset: Int, _ message: String) -> DataFileError {
        DataFileError(kind, file: file, at: .text(line: number, column: offset - start + 1), message)
    }

    func label(_ field: Field) throws -> Int {
        switch CSVNumber.parse(text(of: field)) {
        case .number(let value) where value >= 0 && value == value.rounded() && value <= Double(Int32.max):
            return Int(value)
        case .empty:
            throw error(.syntax, at: field.start, "expected a label (a non-negative integer), found an empty field")
        case .notANumber:
            throw error(.syntax, at: field.start, "expected a label (a non-negative integer), found '\(shown(field))'")
        default:
            throw error(.invalidValue, at: field.start, "label '\(shown(field))' is not a non-negative integer")
        }
    }

    func value(_ field: Field) throws -> Double {
        switch CSVNumber.parse(text(of: field)) {
        case .number(let value): return value
        case .empty: throw error(.syntax, at: field.start, "expected a number, found an empty field")
        case .notANumber: throw error(.syntax, at: field.start, "expected a number, found '\(shown(field))'")
        case .nonFinite:
            throw error(.invalidValue, at: field.start, "value '\(shown(field))' is not finite; inputs must be finite numbers")
        case .outOfRange:
            throw error(.invalidValue, at: field.start, "value '\(shown(field))' is out of the range of Double")
        }
    }
}
