import Foundation
import Verifier

/// One benchmark instance: a line `onnx_path,vnnlib_path,timeout_seconds` of a VNN-COMP
/// `instances.csv`; the onnx column may be a VNN-COMP 2026 list of `(network name, path)` pairs.
public struct Instance: Sendable, Equatable {
    /// The ONNX path exactly as written in the csv (trimmed of surrounding spaces).
    public var onnxPath: String
    /// The VNN-LIB path exactly as written in the csv (trimmed of surrounding spaces).
    public var vnnlibPath: String
    /// The ONNX path resolved against the csv's folder: absolute and standardised.
    public var onnxFile: String
    /// The VNN-LIB path resolved against the csv's folder: absolute and standardised.
    public var vnnlibFile: String
    /// The per-instance time budget in seconds (> 0, finite), before any scaling.
    public var timeoutSeconds: Double
    /// The csv file as the caller named it (used in messages).
    public var csvFile: String
    /// The csv's folder, absolute and standardised.
    public var csvDirectory: String
    /// 1-based line of the instance in the csv.
    public var line: Int
    /// A VNN-COMP 2026 multi-network row (an onnx column `[('f', 'onnx/a.onnx'), ('g', 'onnx/b.onnx')]`):
    /// each network name of the VNN-LIB 2.0 query with its model file, resolved like `onnxFile`
    /// (``onnxFile`` is then the first one). Empty for a row with one model path.
    public var networkFiles: [(name: String, file: String)] = []

    /// Creates an instance; relative paths are resolved against `csvDirectory`.
    public init(onnxPath: String, vnnlibPath: String, timeoutSeconds: Double, csvFile: String, csvDirectory: String, line: Int) {
        self.onnxPath = onnxPath
        self.vnnlibPath = vnnlibPath
        self.timeoutSeconds = timeoutSeconds
        self.csvFile = csvFile
        self.csvDirectory = csvDirectory
        self.line = line
        self.vnnlibFile = InstanceList.resolve(vnnlibPath, against: csvDirectory)
        if let pairs = InstanceList.networkPairs(onnxPath) {
            networkFiles = pairs.map { ($0.name, InstanceList.resolve($0.path, against: csvDirectory)) }
        }
        self.onnxFile = networkFiles.first?.file ?? InstanceList.resolve(onnxPath, against: csvDirectory)
    }

    /// The models and property of this instance: ``networkFiles`` as `--network NAME=PATH` for a
    /// multi-network row, else the one model (either may be a VNN-LIB 2.0 query).
    /// - Throws: the loader's or parser's error.
    public func problem() throws -> VerificationProblem {
        if networkFiles.isEmpty { return try VerificationProblem(modelPath: onnxFile, specPath: vnnlibFile) }
        let paths = Dictionary(networkFiles.map { ($0.name, $0.file) }, uniquingKeysWith: { first, _ in first })
        return try VerificationProblem(specPath: vnnlibFile, modelPath: nil, networkPaths: paths)
    }

    public static func == (a: Instance, b: Instance) -> Bool {
        a.onnxPath == b.onnxPath && a.vnnlibPath == b.vnnlibPath && a.timeoutSeconds == b.timeoutSeconds
            && a.csvFile == b.csvFile && a.csvDirectory == b.csvDirectory && a.line == b.line
    }

    /// Where this instance sits in its csv, e.g. `acasxu/instances.csv:3`.
    public var location: SourceLocation { SourceLocation(file: csvFile, line: line) }
}

/// A referenced file that does not exist (or is not a regular file).
public struct MissingFile: Sendable, Equatable, CustomStringConvertible {
    /// Which column referenced it.
    public enum Role: String, Sendable { case onnx, vnnlib }

    /// The instance whose line references the file.
    public var instance: Instance
    /// Which of the two paths is missing.
    public var role: Role
    /// The resolved absolute path that was checked.
    public var path: String

    /// Creates a record of a missing file.
    public init(instance: Instance, role: Role, path: String) {
        self.instance = instance
        self.role = role
        self.path = path
    }

    /// `file:line: onnx file not found: /abs/path (written 'onnx/x.onnx')`.
    public var description: String {
        let written = role == .onnx ? instance.onnxPath : instance.vnnlibPath
        return "\(instance.location): \(role.rawValue) file not found: \(path) (written '\(written)')"
    }
}

/// Reads VNN-COMP `instances.csv` files: no header, one `onnx_path,vnnlib_path,timeout_seconds` per
/// line, paths relative to the csv's folder (absolute paths are kept). Blank lines, a trailing newline,
/// CRLF line ends and spaces around fields are tolerated. Referenced files need not exist when
/// reading; check them with `validateFilesExist(_:)`.
public enum InstanceList {
    /// The column names used in messages.
    public static let columns = ["onnx_path", "vnnlib_path", "timeout_seconds"]

    /// Reads and parses the csv at `path` (relative paths are taken from the current directory).
    /// - Returns: the instances in file order (at least one).
    /// - Throws: `BenchmarkingError` naming `path:line` and what was wrong.
    public static func read(path: String) throws(BenchmarkingError) -> [Instance] {
        let text = try CSVText.readFile(path)
        let directory = URL(fileURLWithPath: path).standardizedFileURL.deletingLastPathComponent().path
        return try parse(text: text, file: path, directory: directory)
    }

    /// Parses csv text; `file` labels errors and instances, `directory` resolves relative paths.
    public static func parse(text: String, file: String, directory: String) throws(BenchmarkingError) -> [Instance] {
        var instances = [Instance]()
        for line in try CSVText.parse(text, file: file) {
            let location = SourceLocation(file: file, line: line.number)
            guard line.fields.count == columns.count else {
                throw .wrongColumnCount(location, expected: columns, found: line.fields.count)
            }
            let onnx = line.fields[0], vnnlib = line.fields[1], timeoutText = line.fields[2]
            if onnx.isEmpty { throw .emptyField(location, field: columns[0]) }
            if onnx.hasPrefix("["), networkPairs(onnx) == nil {
                throw .malformedNetworkList(location, text: onnx)
            }
            if vnnlib.isEmpty { throw .emptyField(location, field: columns[1]) }
            guard let timeout = CSVText.decimal(timeoutText), timeout > 0 else {
                throw .invalidTimeout(location, text: timeoutText)
            }
            instances.append(Instance(onnxPath: onnx, vnnlibPath: vnnlib, timeoutSeconds: timeout,
                                      csvFile: file, csvDirectory: directory, line: line.number))
        }
        if instances.isEmpty { throw .noEntries(file: file, what: "instances") }
        return instances
    }

    /// Lists every referenced file that is missing or not a regular file, in csv order (onnx before
    /// vnnlib on the same line). An empty result means every file exists.
    public static func validateFilesExist(_ instances: [Instance]) -> [MissingFile] {
        var missing = [MissingFile]()
        for instance in instances {
            for file in instance.networkFiles.isEmpty ? [instance.onnxFile] : instance.networkFiles.map(\.file)
            where !isRegularFile(file) {
                missing.append(MissingFile(instance: instance, role: .onnx, path: file))
            }
            if !isRegularFile(instance.vnnlibFile) {
                missing.append(MissingFile(instance: instance, role: .vnnlib, path: instance.vnnlibFile))
            }
        }
        return missing
    }

    /// The `(name, path)` pairs of a VNN-COMP 2026 multi-network onnx column,
    /// `[('f', 'onnx/a.onnx'), ('g', 'onnx/b.onnx')]` (single or double quotes, spaces anywhere
    /// between tokens); nil when `field` is not such a list (a plain path, or a malformed list).
    static func networkPairs(_ field: String) -> [(name: String, path: String)]? {
        var rest = Substring(field.trimmingCharacters(in: .whitespaces))
        func skipSpaces() { rest = rest.drop { $0 == " " || $0 == "\t" } }
        func take(_ c: Character) -> Bool {
            skipSpaces()
            guard rest.first == c else { return false }
            rest = rest.dropFirst()
            return true
        }
        func quoted() -> String? {
            skipSpaces()
            guard let q = rest.first, q == "'" || q == "\"" else { return nil }
            let body = rest.dropFirst()
            guard let end = body.firstIndex(of: q) else { return nil }
            rest = body[body.index(after: end)...]
            return String(body[..<end])
        }
        guard take("[") else { return nil }
        var pairs: [(name: String, path: String)] = []
        while !take("]") {
            if !pairs.isEmpty { guard take(",") else { return nil } }
            guard take("("), let name = quoted(), !name.isEmpty, take(","), let path = quoted(), !path.isEmpty, take(")") else {
                return nil
            }
            pairs.append((name, path))
        }
        skipSpaces()
        return rest.isEmpty && !pairs.isEmpty ? pairs : nil
    }

    /// `path` if absolute, else `directory/path`, standardised (`.` and `..` removed).
    static func resolve(_ path: String, against directory: String) -> String {
        let base = URL(fileURLWithPath: directory, isDirectory: true)
        let url = path.hasPrefix("/") ? URL(fileURLWithPath: path) : URL(fileURLWithPath: path, relativeTo: base)
        return url.standardizedFileURL.path
    }

    static func isRegularFile(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
    }
}
