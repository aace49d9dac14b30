/// The ground truth for one instance.
public enum ExpectedVerdict: String, Sendable, CaseIterable, Equatable {
    /// A counterexample is known to exist.
    case sat
    /// The property is known to hold.
    case unsat
    /// Nobody knows.
    case unknown
}

/// The ground-truth file of a suite (`expected.csv`): a header `onnx,vnnlib,expected[,more...]`
/// (`onnx_path`/`vnnlib_path` are accepted too), then one line per instance with the two paths as
/// written in `instances.csv` and `sat`, `unsat` or `unknown`; further columns (e.g. `evidence`)
/// are kept as text. Every line must have as many columns as the header.
public struct ExpectedVerdicts: Sendable, Equatable {
    /// One line of the file.
    public struct Entry: Sendable, Equatable {
        /// The ONNX path as written.
        public var onnx: String
        /// The VNN-LIB path as written.
        public var vnnlib: String
        /// The ground truth.
        public var expected: ExpectedVerdict
        /// The columns after `expected`, keyed by their header names (empty if none).
        public var extra: [String: String]
        /// 1-based line in the file.
        public var line: Int

        /// Creates an entry.
        public init(onnx: String, vnnlib: String, expected: ExpectedVerdict, extra: [String: String] = [:], line: Int) {
            self.onnx = onnx
            self.vnnlib = vnnlib
            self.expected = expected
            self.extra = extra
            self.line = line
        }

        /// The `evidence` column, if the file has one.
        public var evidence: String? { extra["evidence"] }
    }

    /// The entries in file order.
    public private(set) var entries: [Entry]
    /// The file as the caller named it.
    public let file: String
    private var index: [Key: Int]

    private struct Key: Hashable, Sendable {
        var onnx: String
        var vnnlib: String
    }

    /// Builds the lookup from `entries`.
    /// - Throws: `.duplicateEntry` when two entries name the same pair after normalisation.
    public init(entries: [Entry], file: String) throws(BenchmarkingError) {
        self.entries = entries
        self.file = file
        self.index = [:]
        for (position, entry) in entries.enumerated() {
            let key = Key(onnx: Self.normalise(entry.onnx), vnnlib: Self.normalise(entry.vnnlib))
            if let first = index[key] {
                throw .duplicateEntry(SourceLocation(file: file, line: entry.line), onnx: entry.onnx,
                                      vnnlib: entry.vnnlib, firstLine: entries[first].line)
            }
            index[key] = position
        }
    }

    /// Reads and parses the file at `path`.
    /// - Throws: `BenchmarkingError` naming `path:line` and what was wrong.
    public static func read(path: String) throws(BenchmarkingError) -> ExpectedVerdicts {
        try parse(text: CSVText.readFile(path), file: path)
    }

    /// Parses the text of a ground-truth file; `file` labels errors.
    public static func parse(text: String, file: String) throws(BenchmarkingError) -> ExpectedVerdicts {
        let lines = try CSVText.parse(text, file: file)
        guard let header = lines.first else { throw .noEntries(file: file, what: "header line") }
        let names = header.fields
        let headerOK = names.count >= 3
            && ["onnx", "onnx_path"].contains(names[0])
            && ["vnnlib", "vnnlib_path"].contains(names[1])
            && names[2] == "expected"
        guard headerOK else {
            throw .wrongHeader(SourceLocation(file: file, line: header.number),
                               expected: "onnx,vnnlib,expected[,...]", found: header.text)
        }
        var entries = [Entry]()
        for line in lines.dropFirst() {
            let location = SourceLocation(file: file, line: line.number)
            guard line.fields.count == names.count else {
                throw .wrongColumnCount(location, expected: names, found: line.fields.count)
            }
            if line.fields[0].isEmpty { throw .emptyField(location, field: names[0]) }
            if line.fields[1].isEmpty { throw .emptyField(location, field: names[1]) }
            guard let verdict = ExpectedVerdict(rawValue: line.fields[2]) else {
                throw .invalidVerdict(location, field: "expected", text: line.fields[2],
                                      allowed: ExpectedVerdict.allCases.map(\.rawValue))
            }
            var extra = [String: String]()
            for column in 3..<names.count { extra[names[column]] = line.fields[column] }
            entries.append(Entry(onnx: line.fields[0], vnnlib: line.fields[1], expected: verdict, extra: extra, line: line.number))
        }
        if entries.isEmpty { throw .noEntries(file: file, what: "expected verdicts") }
        return try ExpectedVerdicts(entries: entries, file: file)
    }

    /// The entry for the pair as written in `instances.csv` (leading `./` ignored on both sides).
    public func entry(onnx: String, vnnlib: String) -> Entry? {
        index[Key(onnx: Self.normalise(onnx), vnnlib: Self.normalise(vnnlib))].map { entries[$0] }
    }

    /// The ground truth for the pair, or `nil` when the file has no line for it.
    public func expected(onnx: String, vnnlib: String) -> ExpectedVerdict? {
        entry(onnx: onnx, vnnlib: vnnlib)?.expected
    }

    /// The ground truth for `instance` (looked up by its paths as written), or `nil`.
    public func expected(for instance: Instance) -> ExpectedVerdict? {
        expected(onnx: instance.onnxPath, vnnlib: instance.vnnlibPath)
    }

    /// The instances that have no line in this file, in their order.
    public func instancesWithoutEntry(_ instances: [Instance]) -> [Instance] {
        instances.filter { expected(for: $0) == nil }
    }

    /// Removes any number of leading `./` (and repeated slashes after them).
    static func normalise(_ path: String) -> String {
        var value = Substring(path)
        while value.hasPrefix("./") {
            value = value.dropFirst(2).drop(while: { $0 == "/" })
        }
        return String(value)
    }
}
