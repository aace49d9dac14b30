import Foundation

/// A fresh temporary folder for one test; deleted by `remove()`.
struct TemporaryFolder {
    let path: String

    init() throws {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("nnverify-bench-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        path = url.standardizedFileURL.path
    }

    /// Writes `text` to `name` (sub-folders created) and returns the full path.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let full = path + "/" + name
        let folder = URL(fileURLWithPath: full).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: full))
        return full
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// The shared VNN-COMP benchmark folder, `<repo root>/../shared/benchmarks`, or `nil` if absent.
/// The repo root is found from this file's real location (symlinks resolved, so a dev package
/// that links this folder still finds the repository's neighbour).
func sharedBenchmarksFolder(filePath: String = #filePath) -> String? {
    let testsFolder = URL(fileURLWithPath: filePath).deletingLastPathComponent().resolvingSymlinksInPath()
    let root = testsFolder.deletingLastPathComponent().deletingLastPathComponent()
    let folder = root.deletingLastPathComponent().appendingPathComponent("shared/benchmarks").standardizedFileURL.path
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
        return nil
    }
    return folder
}

/// The path of one suite folder (e.g. `acasxu`) when its `instances.csv` exists.
func sharedSuite(_ name: String) -> String? {
    guard let folder = sharedBenchmarksFolder() else { return nil }
    let suite = folder + "/" + name
    return FileManager.default.fileExists(atPath: suite + "/instances.csv") ? suite : nil
}

/// Runs `body` and returns the `BenchmarkingError` description it threw, or `nil` if it did not throw.
func errorText(_ body: () throws -> Void) -> String? {
    do {
        try body()
        return nil
    } catch {
        return String(describing: error)
    }
}
