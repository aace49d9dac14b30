/// An error found while reading a VNN-LIB file, or when a specification does not fit a model.
///
/// Errors that arise at a place in the file carry its line and column (1-based; the column counts
/// Unicode scalars, a tab counts as one) and the text of that line, and render like a compiler
/// diagnostic:
///
/// ```text
/// prop.vnnlib:3:13: error: unknown variable 'Z_1'
/// (assert (<= Z_1 0.5))
///             ^
/// ```
///
/// Errors about the file as a whole (not found, unreadable) render as `path: error: message`;
/// errors without a file (`Specification.checkCompatible`) as `error: message`.
public struct VNNLibError: Error, CustomStringConvertible, Equatable, Sendable {
    /// What went wrong, for callers that branch on the kind of error.
    public enum Kind: String, Sendable, Equatable, CaseIterable {
        /// The file ended inside an open parenthesis.
        case unexpectedEndOfFile
        /// A `)` without a matching `(`.
        case unbalancedParenthesis
        /// A top-level command other than `declare-const`, `assert`, `check-sat`, `get-model`,
        /// or a top-level token that is not a parenthesised command.
        case unknownCommand
        /// A variable used before (or without) its `declare-const`.
        case unknownVariable
        /// A variable declared twice.
        case redeclaration
        /// A malformed, non-finite or out-of-range numeric constant, or a division by zero.
        case badNumber
        /// A command or operator with the wrong number of arguments.
        case wrongArity
        /// Valid SMT-LIB that this parser does not support (an operator such as `not`, a sort
        /// other than `Real`, a variable name other than `X_i`/`Y_j`, nesting too deep).
        case unsupportedConstruct
        /// A product of two non-constant terms, or a division by a non-constant term.
        case nonLinearTerm
        /// An atom involving inputs that is not a bound of one input against a constant.
        case unsupportedInputConstraint
        /// An input variable without a finite lower or upper bound in some input region.
        case missingBound
        /// Every input region is empty (some lower bound exceeds its upper bound).
        case emptyInputSet
        /// The assertions are false by constant evaluation alone: nothing is unsafe.
        case alwaysFalse
        /// Declared indices are not contiguous from 0, or no inputs/outputs are declared.
        case badDeclarations
        /// The file or what it expands to exceeds a limit of `VNNLibParser`: `maximumFileBytes`,
        /// `maximumDNFTerms`, `maximumAtomOccurrences`, `maximumBoxValues` or
        /// `maximumConstraintCoefficients`.
        case tooLarge
        /// The file does not exist.
        case fileNotFound
        /// The file exists but could not be read (for example a directory, or no permission).
        case unreadableFile
        /// The file's bytes are not valid UTF-8.
        case invalidUTF8
        /// A model's input or output size differs from the declared `X_`/`Y_` counts.
        case incompatibleModel
        /// VNN-LIB 2.0: a `vnnlib-version` header that is malformed, misplaced, or names a version
        /// other than 2.x.
        case badVersion
        /// VNN-LIB 2.0: a tensor element `X[i,j]` with the wrong number of indices or an index out of range.
        case indexOutOfRange
        /// VNN-LIB 2.0: a malformed network declaration or tensor declaration, or an `equal-to` /
        /// `isomorphic-to` naming no earlier network or one with other tensor shapes.
        case badNetwork
    }

    /// The kind of error.
    public let kind: Kind
    /// The message without location, e.g. `unknown variable 'Z_1'`.
    public let message: String
    /// The file name as given to the parser, or nil for errors not tied to a file.
    public let fileName: String?
    /// 1-based line of the error, or nil when the error is about the file as a whole.
    public let line: Int?
    /// 1-based column (in Unicode scalars) of the error, or nil with `line`.
    public let column: Int?
    /// The text of the offending line (possibly shortened around the column), or nil.
    public let sourceLine: String?
    /// The line under `sourceLine` with a `^` under the column, or nil.
    public let caretLine: String?

    /// Creates an error; `sourceLine` and `caretLine` are given together with `line`/`column`.
    public init(
        kind: Kind, message: String, fileName: String?, line: Int? = nil, column: Int? = nil,
        sourceLine: String? = nil, caretLine: String? = nil
    ) {
        self.kind = kind
        self.message = message
        self.fileName = fileName
        self.line = line
        self.column = column
        self.sourceLine = sourceLine
        self.caretLine = caretLine
    }

    /// The diagnostic: `file:line:column: error: message`, then the source line and a caret line.
    public var description: String {
        var head = ""
        if let fileName {
            head += fileName
            if let line, let column { head += ":\(line):\(column)" }
            head += ": "
        }
        head += "error: " + message
        guard let sourceLine, let caretLine else { return head }
        return head + "\n" + sourceLine + "\n" + caretLine
    }
}

/// Maps byte offsets of a source buffer to line, column and the text of the line, for errors.
struct SourceText {
    let bytes: [UInt8]
    let fileName: String

    /// Lines longer than this many scalars are shown as a window around the error column.
    static let maximumShownLineLength = 160

    /// Where a byte offset lies: 1-based line and column, and the line's byte range (without
    /// its line break).
    private func locate(_ offset: Int) -> (line: Int, column: Int, lineBytes: Range<Int>) {
        var lineStart = offset
        while lineStart > 0 && bytes[lineStart - 1] != UInt8(ascii: "\n") { lineStart -= 1 }
        var lineEnd = offset
        while lineEnd < bytes.count && bytes[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
        if lineEnd > lineStart && bytes[lineEnd - 1] == UInt8(ascii: "\r") { lineEnd -= 1 }
        var line = 1
        for i in 0..<lineStart where bytes[i] == UInt8(ascii: "\n") { line += 1 }
        // Columns count Unicode scalars as decoded for display (an invalid byte becomes one U+FFFD).
        let column = String(decoding: bytes[lineStart..<offset], as: UTF8.self).unicodeScalars.count + 1
        return (line, column, lineStart..<max(lineStart, lineEnd))
    }

    /// An error at byte `offset` (clamped into `0...bytes.count`; `bytes.count` means end of file).
    func error(_ kind: VNNLibError.Kind, _ message: String, at offset: Int) -> VNNLibError {
        let (line, column, lineBytes) = locate(max(0, min(offset, bytes.count)))
        let scalars = Array(String(decoding: bytes[lineBytes], as: UTF8.self).unicodeScalars)
        var shown = scalars[...]
        var prefix = ""
        var suffix = ""
        var caretIndex = column - 1
        if scalars.count > Self.maximumShownLineLength {
            let half = Self.maximumShownLineLength / 2
            let start = max(0, min(caretIndex - half, scalars.count - Self.maximumShownLineLength))
            let end = min(scalars.count, start + Self.maximumShownLineLength)
            shown = scalars[start..<end]
            if start > 0 { prefix = "..." }
            if end < scalars.count { suffix = "..." }
            caretIndex = caretIndex - start + prefix.count
        }
        var sourceLine = prefix
        sourceLine.unicodeScalars.append(contentsOf: shown)
        sourceLine += suffix
        // Tabs before the column are repeated so the caret lines up however tabs are shown.
        let lineScalars = Array(sourceLine.unicodeScalars)
        var caretLine = ""
        for i in 0..<caretIndex {
            caretLine += (i < lineScalars.count && lineScalars[i] == "\t") ? "\t" : " "
        }
        caretLine += "^"
        return VNNLibError(
            kind: kind, message: message, fileName: fileName, line: line, column: column,
            sourceLine: sourceLine, caretLine: caretLine)
    }

    /// An error about the file as a whole (no line or column).
    func fileError(_ kind: VNNLibError.Kind, _ message: String) -> VNNLibError {
        VNNLibError(kind: kind, message: message, fileName: fileName)
    }

    /// "line:column" of a byte offset, for messages that refer to another place in the file.
    func position(of offset: Int) -> String {
        let (line, column, _) = locate(max(0, min(offset, bytes.count)))
        return "\(line):\(column)"
    }

    /// The source text of the byte range, as a string (for messages).
    func text(_ range: Range<Int>) -> String {
        String(decoding: bytes[range], as: UTF8.self)
    }
}
