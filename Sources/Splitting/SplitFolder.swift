import Foundation
import Planting
import VNNLib

/// The folder `nnverify split` writes, which a job array runs and `nnverify merge --split` reads:
///
/// ```
/// DIR/onnx/<model>.onnx          copy of the model
/// DIR/original.vnnlib            copy of the property (the merge validates witnesses against it)
/// DIR/vnnlib/part_001.vnnlib …   one file per part: VNN-LIB 1.0 (box pieces) or 2.0 (hidden-ReLU splits)
/// DIR/instances.csv              onnx/<model>.onnx,vnnlib/part_001.vnnlib,<timeout> per part
/// DIR/results/                   where each part's VNN-COMP result file goes: part_001.result …
/// ```
/// Everything is relative to DIR, so the folder can be copied to a cluster as it is.
public enum SplitFolder {
    /// The file name of part `k` (0-based) of `count`, without extension: `part_001` …
    public static func partName(_ k: Int, of count: Int) -> String {
        let digits = max(3, String(count).count)
        let number = String(k + 1)
        return "part_" + String(repeating: "0", count: digits - number.count) + number
    }

    /// Where the result file of the part whose VNN-LIB path is `vnnlibPath` (as in instances.csv) goes.
    public static func resultPath(folder: String, vnnlibPath: String) -> String {
        let stem = URL(fileURLWithPath: vnnlibPath).deletingPathExtension().lastPathComponent
        return folder + "/results/" + stem + ".result"
    }

    /// Writes the folder for `parts` of the property at `specPath` on the model at `modelPath`.
    /// - Throws: ``SplitError/folderNotEmpty(path:)`` if `folder/instances.csv` exists, else
    ///   ``SplitError/unwritable(path:reason:)``.
    public static func write(parts: [Specification], modelPath: String, specPath: String, timeout: Double,
                             folder: String) throws(SplitError) {
        let specName = URL(fileURLWithPath: specPath).lastPathComponent
        let texts = parts.enumerated().map { k, part in
            VNNLibWriter.text(part, comment: [
                "part \(k + 1) of \(parts.count) of \(specName), written by nnverify split:",
                "the parts' input boxes together are exactly the original's; the output constraints are unchanged."])
        }
        try write(texts: texts, modelPath: modelPath, specPath: specPath, timeout: timeout, folder: folder)
    }

    /// Writes the folder with the given part files' texts (see ``write(parts:modelPath:specPath:timeout:folder:)``).
    public static func write(texts: [String], modelPath: String, specPath: String, timeout: Double,
                             folder: String) throws(SplitError) {
        let manager = FileManager.default
        if manager.fileExists(atPath: folder + "/instances.csv") { throw .folderNotEmpty(path: folder) }
        let modelName = URL(fileURLWithPath: modelPath).lastPathComponent
        var lines = [String]()
        try attempt(folder) {
            for sub in ["onnx", "vnnlib", "results"] {
                try manager.createDirectory(atPath: folder + "/" + sub, withIntermediateDirectories: true)
            }
            try? manager.removeItem(atPath: folder + "/onnx/" + modelName)
            try manager.copyItem(atPath: modelPath, toPath: folder + "/onnx/" + modelName)
            try? manager.removeItem(atPath: folder + "/original.vnnlib")
            try manager.copyItem(atPath: specPath, toPath: folder + "/original.vnnlib")
        }
        for (k, text) in texts.enumerated() {
            let name = "vnnlib/" + partName(k, of: texts.count) + ".vnnlib"
            try attempt(folder + "/" + name) { try text.write(toFile: folder + "/" + name, atomically: true, encoding: .utf8) }
            lines.append("onnx/\(modelName),\(name),\(VNNLibWriter.decimal(timeout))")
        }
        // instances.csv last: its presence marks a complete split.
        let csv = lines.map { $0 + "\n" }.joined()
        try attempt(folder + "/instances.csv") { try csv.write(toFile: folder + "/instances.csv", atomically: true, encoding: .utf8) }
    }

    private static func attempt(_ path: String, _ body: () throws -> Void) throws(SplitError) {
        do { try body() } catch { throw .unwritable(path: path, reason: error.localizedDescription) }
    }
}
