import Foundation
#if canImport(Glibc)
import Glibc
private let systemWrite = Glibc.write
#elseif canImport(Darwin)
import Darwin
private let systemWrite = Darwin.write
#endif

/// A results CSV (see ``ResultsCSV``) read back byte-exactly, for resuming a run or merging shards.
///
/// Lines are complete only when they end with a newline: a writer that appends one whole line per
/// `write` and is killed can leave at most one partial line, at the end, without its newline. That
/// line is reported in ``truncated`` and is not among ``rows``; everything before it is parsed
/// strictly (a malformed complete row throws with its line).
public struct ResultsLog: Sendable {
    /// The file as the caller named it.
    public var file: String
    /// The complete data rows with their 1-based line numbers, in file order.
    public var rows: [(line: Int, row: BenchmarkRow)]
    /// The last line when it lacks its newline (line number and text), else `nil`. A partial
    /// header counts too (the run was killed before its first row).
    public var truncated: (line: Int, text: String)?
    /// Bytes of the complete lines: where appending continues after dropping ``truncated``.
    public var completeLength: Int

    /// Reads `path`; a missing or empty file gives no rows and length 0.
    /// - Throws: `BenchmarkingError` for an unreadable file, a wrong header or a malformed complete row.
    public static func read(path: String) throws(BenchmarkingError) -> ResultsLog {
        guard FileManager.default.fileExists(atPath: path) else {
            return ResultsLog(file: path, rows: [], truncated: nil, completeLength: 0)
        }
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw .unreadableFile(path: path, reason: "permission denied or not a regular file")
        }
        let newline = UInt8(ascii: "\n")
        let complete = data.lastIndex(of: newline).map { $0 + 1 } ?? 0
        var truncated: (line: Int, text: String)?
        if complete < data.count {
            let lineNumber = data[..<complete].reduce(1) { $0 + ($1 == newline ? 1 : 0) }
            truncated = (lineNumber, String(decoding: data[complete...], as: UTF8.self))
        }
        guard complete > 0 else {
            return ResultsLog(file: path, rows: [], truncated: truncated, completeLength: 0)
        }
        guard let text = String(data: data[..<complete], encoding: .utf8) else {
            throw .unreadableFile(path: path, reason: "not UTF-8 text")
        }
        return ResultsLog(file: path, rows: try ResultsCSV.parseNumbered(text: text, file: path),
                          truncated: truncated, completeLength: complete)
    }

    /// The rows keyed by instance; throws on a second row for the same instance.
    public func indexed() throws(BenchmarkingError) -> [InstanceKey: (line: Int, row: BenchmarkRow)] {
        var seen = [InstanceKey: (line: Int, row: BenchmarkRow)]()
        for entry in rows {
            let key = InstanceKey(onnx: entry.row.onnx, vnnlib: entry.row.vnnlib)
            if let first = seen[key] {
                throw .duplicateRow(SourceLocation(file: file, line: entry.line), onnx: entry.row.onnx,
                                    vnnlib: entry.row.vnnlib, first: SourceLocation(file: file, line: first.line))
            }
            seen[key] = entry
        }
        return seen
    }
}

/// An instance's identity in results files: its two paths as written in `instances.csv`, leading
/// `./` ignored (as in `expected.csv`).
public struct InstanceKey: Hashable, Sendable {
    public var onnx: String
    public var vnnlib: String

    public init(onnx: String, vnnlib: String) {
        self.onnx = ExpectedVerdicts.normalise(onnx)
        self.vnnlib = ExpectedVerdicts.normalise(vnnlib)
    }

    public init(_ instance: Instance) { self.init(onnx: instance.onnxPath, vnnlib: instance.vnnlibPath) }

    /// Throws when two instances of the list have the same key: resuming and merging could not
    /// tell their rows apart.
    public static func requireDistinct(_ instances: [Instance]) throws(BenchmarkingError) {
        var lineOf = [InstanceKey: Int]()
        for instance in instances {
            if let first = lineOf[InstanceKey(instance)] {
                throw .invalidOption(name: "instance list", value: "\(instance.location)",
                                     requirement: "repeats the instance of line \(first); resuming and merging identify instances by their two paths")
            }
            lineOf[InstanceKey(instance)] = instance.line
        }
    }
}

/// Appends results rows durably: each row is one `write` of one complete line followed by `fsync`,
/// so after a crash or SIGKILL the file holds every row whose append returned, and at most one
/// partial last line (without newline) that ``ResultsLog`` detects.
public final class ResultsAppender: @unchecked Sendable {
    private let descriptor: Int32
    private let lock = NSLock()
    /// The file being written.
    public let path: String

    /// Opens `path` for appending, cutting it to `length` bytes first (dropping a partial last
    /// line); writes the header (durably) when the file is then empty.
    public init(path: String, keepingBytes length: Int) throws(BenchmarkingError) {
        self.path = path
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .unwritableFile(path: path, reason: String(cString: strerror(errno))) }
        descriptor = fd
        guard ftruncate(fd, off_t(length)) == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw .unwritableFile(path: path, reason: reason)
        }
        if length == 0 { try write(ResultsCSV.header + "\n") }
    }

    deinit { close(descriptor) }

    /// Appends `row` as one line and waits until it is on disk.
    public func append(_ row: BenchmarkRow) throws(BenchmarkingError) {
        try write(ResultsCSV.line(row) + "\n")
    }

    private func write(_ line: String) throws(BenchmarkingError) {
        lock.lock()
        defer { lock.unlock() }
        let bytes = Array(line.utf8)
        // One write call per line: with O_APPEND the line lands whole at the end; a short write
        // (disk full, signal) is finished by further calls and at worst leaves the detectable
        // partial last line.
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { systemWrite(descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                throw .unwritableFile(path: path, reason: String(cString: strerror(errno)))
            }
            offset += written
        }
        guard fsync(descriptor) == 0 else { throw .unwritableFile(path: path, reason: String(cString: strerror(errno))) }
    }
}
