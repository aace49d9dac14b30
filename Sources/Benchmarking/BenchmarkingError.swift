/// A place in an input file: the path as given by the caller, a 1-based line and, where it helps,
/// a 1-based column (counted in characters).
public struct SourceLocation: Sendable, Equatable, CustomStringConvertible {
    /// The file path exactly as the caller passed it (or a label such as `<text>`).
    public var file: String
    /// 1-based line number.
    public var line: Int
    /// 1-based column, or `nil` when the whole line is meant.
    public var column: Int?

    /// Creates a location.
    public init(file: String, line: Int, column: Int? = nil) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `file:line` or `file:line:column`.
    public var description: String {
        if let column { return "\(file):\(line):\(column)" }
        return "\(file):\(line)"
    }
}

/// Everything that can go wrong while reading benchmark suites, ground truth, result files and
/// counterexamples, or configuring a benchmark run. Every case says where (file and line) and what
/// was expected; `description` is the one message shown to the user.
public enum BenchmarkingError: Error, Equatable, CustomStringConvertible {
    /// The file could not be opened or is not UTF-8 text.
    case unreadableFile(path: String, reason: String)
    /// The file holds no data lines (instances, expected verdicts or results).
    case noEntries(file: String, what: String)
    /// A CSV line has the wrong number of columns. `expected` names the columns.
    case wrongColumnCount(SourceLocation, expected: [String], found: Int)
    /// A CSV field that must not be empty is empty.
    case emptyField(SourceLocation, field: String)
    /// An onnx column that starts with `[` but is not a list of `('NAME', 'PATH')` pairs.
    case malformedNetworkList(SourceLocation, text: String)
    /// A quoted CSV field is not closed, or text follows a closing quote.
    case malformedQuotes(SourceLocation)
    /// A timeout is not a positive finite number of seconds.
    case invalidTimeout(SourceLocation, text: String)
    /// A seconds value (results CSV) is not a finite number >= 0.
    case invalidSeconds(SourceLocation, text: String)
    /// The header line is not what the format requires.
    case wrongHeader(SourceLocation, expected: String, found: String)
    /// A verdict field holds a word outside `allowed`.
    case invalidVerdict(SourceLocation, field: String, text: String, allowed: [String])
    /// The `correct` column of a results CSV disagrees with its verdict and expected columns.
    case inconsistentCorrectColumn(SourceLocation, found: String, computed: String)
    /// The same (onnx, vnnlib) pair occurs twice in a ground-truth file.
    case duplicateEntry(SourceLocation, onnx: String, vnnlib: String, firstLine: Int)
    /// A VNN-COMP result or counterexample file does not follow the format.
    case malformedCounterexample(SourceLocation, problem: String)
    /// A benchmark run option is out of range.
    case invalidOption(name: String, value: String, requirement: String)
    /// A results file's last line has no newline: the run writing it was probably killed mid-line.
    case truncatedLine(SourceLocation, text: String)
    /// Two results rows name the same instance (within one file or across merged files).
    case duplicateRow(SourceLocation, onnx: String, vnnlib: String, first: SourceLocation)
    /// A results row names an instance that is not in the instance list (or not in this shard).
    case unexpectedRow(SourceLocation, onnx: String, vnnlib: String, reason: String)
    /// Instances of the list that have no results row (`shown` lists the first few).
    case missingRows(instancesFile: String, count: Int, shown: [String])
    /// A file could not be written.
    case unwritableFile(path: String, reason: String)

    /// The single human-readable message, starting with the location.
    public var description: String {
        switch self {
        case let .unreadableFile(path, reason):
            return "\(path): cannot read file: \(reason)"
        case let .noEntries(file, what):
            return "\(file): contains no \(what)"
        case let .wrongColumnCount(location, expected, found):
            return "\(location): expected \(expected.count) columns (\(expected.joined(separator: ","))), found \(found)"
        case let .emptyField(location, field):
            return "\(location): empty \(field)"
        case let .malformedNetworkList(location, text):
            return "\(location): malformed multi-network onnx column '\(text)' (expected [('NAME', 'PATH'), ...])"
        case let .malformedQuotes(location):
            return "\(location): malformed quoted field (a quote must close the field and be followed by a comma or the end of the line)"
        case let .invalidTimeout(location, text):
            return "\(location): timeout must be a positive finite number of seconds, found '\(text)'"
        case let .invalidSeconds(location, text):
            return "\(location): seconds must be a finite number >= 0, found '\(text)'"
        case let .wrongHeader(location, expected, found):
            return "\(location): expected header '\(expected)', found '\(found)'"
        case let .invalidVerdict(location, field, text, allowed):
            return "\(location): \(field) must be one of \(allowed.joined(separator: ", ")), found '\(text)'"
        case let .inconsistentCorrectColumn(location, found, computed):
            return "\(location): correct column says '\(found)' but verdict and expected give '\(computed)'"
        case let .duplicateEntry(location, onnx, vnnlib, firstLine):
            return "\(location): duplicate entry for \(onnx), \(vnnlib) (first given at line \(firstLine))"
        case let .malformedCounterexample(location, problem):
            return "\(location): \(problem)"
        case let .invalidOption(name, value, requirement):
            return "invalid \(name) '\(value)': \(requirement)"
        case let .truncatedLine(location, text):
            return "\(location): last line has no newline, so it may be truncated (was the run killed while writing it?): '\(text)'; "
                + "finish the run with `bench --resume`, or end the line with a newline if it is complete"
        case let .duplicateRow(location, onnx, vnnlib, first):
            return "\(location): second row for \(onnx), \(vnnlib) (first at \(first)); shards overlap or a row was written twice"
        case let .unexpectedRow(location, onnx, vnnlib, reason):
            return "\(location): row for \(onnx), \(vnnlib) \(reason)"
        case let .missingRows(instancesFile, count, shown):
            let more = count > shown.count ? ", … (\(count - shown.count) more)" : ""
            return "\(count) instance(s) of \(instancesFile) have no results row: \(shown.joined(separator: "; "))\(more)"
        case let .unwritableFile(path, reason):
            return "\(path): cannot write file: \(reason)"
        }
    }
}
