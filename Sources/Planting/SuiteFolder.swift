import Benchmarking
import Foundation

/// The output folder of `nnverify plant`, in VNN-COMP layout: `onnx/`, `vnnlib/`, `witnesses/`,
/// `instances.csv` (`onnx,vnnlib,timeout`, no header) and `expected.csv` (header
/// `onnx,vnnlib,expected`). Runs into the same folder append rows; files are never overwritten.
public struct SuiteFolder: Sendable {
    /// The folder as given.
    public let path: String

    /// Creates the folder and its subfolders when missing.
    /// - Throws: ``PlantingError/output(path:reason:)`` when a folder cannot be created or an
    ///   existing `expected.csv` has another header.
    public init(path: String) throws {
        self.path = path
        let fm = FileManager.default
        for sub in ["", "onnx", "vnnlib", WitnessFiles.folderName] {
            let dir = sub.isEmpty ? path : path + "/" + sub
            var isDirectory: ObjCBool = false
            if fm.fileExists(atPath: dir, isDirectory: &isDirectory) {
                guard isDirectory.boolValue else { throw PlantingError.output(path: dir, reason: "exists and is not a folder") }
                continue
            }
            do {
                try fm.createDirectory(atPath: dir, withIntermediateDirectories: true)
            } catch {
                throw PlantingError.output(path: dir, reason: "cannot create folder: \(error.localizedDescription)")
            }
        }
        let expected = path + "/expected.csv"
        if let text = try? String(contentsOfFile: expected, encoding: .utf8), !text.isEmpty {
            let header = text.split(separator: "\n", maxSplits: 1).first.map(String.init) ?? ""
            guard header.trimmingCharacters(in: .whitespacesAndNewlines).hasPrefix("onnx,vnnlib,expected") else {
                throw PlantingError.output(path: expected, reason: "exists with header '\(header)'; expected 'onnx,vnnlib,expected'")
            }
        }
    }

    /// Throws when `onnx/` or `vnnlib/` already holds a file whose name starts with `prefix-`.
    public func checkUnused(prefix: String) throws {
        for sub in ["onnx", "vnnlib"] {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: path + "/" + sub)) ?? []
            if let clash = names.first(where: { $0.hasPrefix(prefix + "-") }) {
                throw PlantingError.output(path: path + "/" + sub + "/" + clash,
                                           reason: "already exists; choose another --name (files are never overwritten)")
            }
        }
    }

    /// Writes `data` to `relative` (inside the folder); refuses to overwrite.
    public func write(_ data: Data, to relative: String) throws {
        let full = path + "/" + relative
        guard !FileManager.default.fileExists(atPath: full) else {
            throw PlantingError.output(path: full, reason: "already exists (files are never overwritten)")
        }
        do {
            try data.write(to: URL(fileURLWithPath: full))
        } catch {
            throw PlantingError.output(path: full, reason: "cannot write: \(error.localizedDescription)")
        }
    }

    /// Appends instance rows to `instances.csv` and `expected.csv` (creating them, the latter with
    /// its header).
    public func append(_ rows: [SuiteRow]) throws {
        guard !rows.isEmpty else { return }
        try appendText(rows.map { "\($0.onnx),\($0.vnnlib),\(Self.seconds($0.timeout))\n" }.joined(), to: "instances.csv", header: nil)
        try appendText(rows.map { "\($0.onnx),\($0.vnnlib),\($0.expected)\n" }.joined(), to: "expected.csv", header: "onnx,vnnlib,expected\n")
    }

    /// The witness file path (relative to the folder) for an instance, by the rule of ``WitnessFiles``.
    public func witnessPath(onnx: String, vnnlib: String) -> String {
        let instance = Instance(onnxPath: onnx, vnnlibPath: vnnlib, timeoutSeconds: 1, csvFile: path + "/instances.csv",
                                csvDirectory: path, line: 1)
        return WitnessFiles.folderName + "/" + WitnessFiles.fileName(for: instance)
    }

    private func appendText(_ text: String, to name: String, header: String?) throws {
        let full = path + "/" + name
        let existing = (try? String(contentsOfFile: full, encoding: .utf8)) ?? ""
        var combined = existing.isEmpty ? (header ?? "") : existing
        if !combined.isEmpty && !combined.hasSuffix("\n") { combined += "\n" }
        combined += text
        do {
            try combined.write(toFile: full, atomically: true, encoding: .utf8)
        } catch {
            throw PlantingError.output(path: full, reason: "cannot write: \(error.localizedDescription)")
        }
    }

    static func seconds(_ t: Double) -> String {
        t == t.rounded() && abs(t) < 1e15 ? String(Int(t)) : "\(t)"
    }
}

/// One row of a planted suite's csv files.
public struct SuiteRow: Sendable, Equatable {
    /// Paths relative to the suite folder.
    public var onnx: String
    public var vnnlib: String
    /// Timeout in seconds.
    public var timeout: Double
    /// `sat` (planted) or `unsat` (clean).
    public var expected: String

    /// A row.
    public init(onnx: String, vnnlib: String, timeout: Double, expected: String) {
        self.onnx = onnx
        self.vnnlib = vnnlib
        self.timeout = timeout
        self.expected = expected
    }
}
