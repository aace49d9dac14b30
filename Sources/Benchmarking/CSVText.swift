import Foundation

/// Minimal CSV reading shared by the suite, ground-truth and results readers.
///
/// Lines end with LF, CRLF or CR; a UTF-8 byte-order mark is ignored; blank (whitespace-only) lines
/// are skipped but still counted, so reported line numbers match an editor's. Fields are separated by
/// commas; unquoted fields are trimmed of surrounding spaces and tabs; a field may be quoted with `"`
/// (a doubled `""` inside stands for one quote) to hold commas or keep spaces. A quoted field cannot
/// span lines.
enum CSVText {
    /// One non-blank line: its 1-based number, its raw text and its fields.
    struct Line {
        var number: Int
        var text: String
        var fields: [String]
    }

    /// Reads a whole file as UTF-8 text; `path` is used verbatim in error messages.
    static func readFile(_ path: String) throws(BenchmarkingError) -> String {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            let reason = FileManager.default.fileExists(atPath: path) ? "permission denied or not a regular file" : "no such file"
            throw .unreadableFile(path: path, reason: reason)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw .unreadableFile(path: path, reason: "not UTF-8 text")
        }
        return text
    }

    /// Splits `text` into numbered lines (1-based), keeping blank ones, without line terminators.
    static func numberedLines(_ text: String) -> [(number: Int, text: Substring)] {
        var body = Substring(text)
        if body.first == "\u{FEFF}" { body = body.dropFirst() }
        let pieces = body.split(omittingEmptySubsequences: false, whereSeparator: { $0.isNewline })
        return pieces.enumerated().map { (number: $0.offset + 1, text: $0.element) }
    }

    /// Parses every non-blank line of `text` into fields. `file` labels errors.
    static func parse(_ text: String, file: String) throws(BenchmarkingError) -> [Line] {
        var lines = [Line]()
        for (number, raw) in numberedLines(text) {
            if raw.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
            guard let fields = splitFields(raw) else {
                throw .malformedQuotes(SourceLocation(file: file, line: number))
            }
            lines.append(Line(number: number, text: String(raw), fields: fields))
        }
        return lines
    }

    /// Splits one line into fields; `nil` when a quoted field is malformed.
    static func splitFields(_ line: Substring) -> [String]? {
        var fields = [String]()
        var rest = line[...]
        while true {
            let trimmed = rest.drop(while: { $0 == " " || $0 == "\t" })
            if trimmed.first == "\"" {
                var value = ""
                var index = trimmed.index(after: trimmed.startIndex)
                var closed = false
                while index < trimmed.endIndex {
                    let character = trimmed[index]
                    index = trimmed.index(after: index)
                    if character == "\"" {
                        if index < trimmed.endIndex, trimmed[index] == "\"" {
                            value.append("\"")
                            index = trimmed.index(after: index)
                        } else {
                            closed = true
                            break
                        }
                    } else {
                        value.append(character)
                    }
                }
                guard closed else { return nil }
                let after = trimmed[index...].drop(while: { $0 == " " || $0 == "\t" })
                fields.append(value)
                if after.isEmpty { return fields }
                guard after.first == "," else { return nil }
                rest = after.dropFirst()
            } else if let comma = trimmed.firstIndex(of: ",") {
                fields.append(trimField(trimmed[..<comma]))
                rest = trimmed[trimmed.index(after: comma)...]
            } else {
                fields.append(trimField(trimmed))
                return fields
            }
        }
    }

    /// Renders one field for writing: quoted only when it holds a comma, quote, line break or
    /// surrounding spaces, so plain VNN-COMP paths stay unquoted.
    static func quote(_ field: String) -> String {
        let needsQuotes = field.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline })
            || field.first == " " || field.last == " " || field.first == "\t" || field.last == "\t"
        guard needsQuotes else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    private static func trimField(_ field: Substring) -> String {
        var value = field
        while let last = value.last, last == " " || last == "\t" { value = value.dropLast() }
        while let first = value.first, first == " " || first == "\t" { value = value.dropFirst() }
        return String(value)
    }

    /// Parses a decimal number (plain or exponent notation); rejects hexadecimal, `nan` and `inf`
    /// spellings that `Double.init` would accept.
    static func decimal(_ text: String) -> Double? {
        guard !text.isEmpty,
              text.allSatisfy({ $0.isASCII && ($0.isNumber || "+-.eE".contains($0)) }),
              let value = Double(text), value.isFinite
        else { return nil }
        return value
    }
}
