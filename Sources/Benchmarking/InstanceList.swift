import Foundation

/// One benchmark instance: a line `onnx_path,vnnlib_path,timeout_seconds` of a VNN-COMP
/// `instances.csv`.
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

    /// Creates an instance; relative paths are resolved against `csvDirectory`.
    public init(onnxPath: String, vnnlibPath: String, timeoutSeconds: Double, csvFile: String, csvDirectory: String, line: Int) {
        self.onnxPath = onnxPath
        self.vnnlibPath = vnnlibPath
        self.timeoutSeconds = timeoutSeconds
        self.csvFile = csvFile
        self.csvDirectory = csvDirectory
        self.line = line
        self.onnxFile = InstanceList.resolve(onnxPath, against: csvDirectory)
        self.vnnlibFile = InstanceList.resolve(vnnlibPath, against: csvDirectory)
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
            if !isRegularFile(instance.onnxFile) {
                missing.append(MissingFile(instance: instance, role: .onnx, path: instance.onnxFile))
            }
            if !isRegularFile(instance.vnnlibFile) {
                missing.append(MissingFile(instance: instance, role: .vnnlib, path: instance.vnnlibFile))
            }
        }
        return missing
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
