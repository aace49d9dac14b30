import Verifier

/// Locates the known counterexamples a curated suite ships in `<csv folder>/witnesses/`.
///
/// Naming rule (as found in /work/shared/benchmarks): `<onnx stem>__<vnnlib stem>.counterexample`,
/// where the onnx stem is the ONNX file name without `.onnx`, and the vnnlib stem is the VNN-LIB
/// path as written in the csv with leading `./` removed, its first folder (normally `vnnlib/`)
/// dropped, the `.vnnlib` extension dropped and the remaining `/` replaced by `_`. So
/// `onnx/mnist-net_256x2.onnx` + `vnnlib/vnncomp2022/prop_1_0.03.vnnlib` gives
/// `witnesses/mnist-net_256x2__vnncomp2022_prop_1_0.03.counterexample`.
public enum WitnessFiles {
    /// The folder name next to `instances.csv`.
    public static let folderName = "witnesses"

    /// The file name the suite uses for `instance`'s counterexample.
    public static func fileName(for instance: Instance) -> String {
        let onnxName = ExpectedVerdicts.normalise(instance.onnxPath).split(separator: "/").last.map(String.init) ?? instance.onnxPath
        let onnxStem = dropping(suffix: ".onnx", from: onnxName)
        var vnnlibParts = ExpectedVerdicts.normalise(instance.vnnlibPath).split(separator: "/").map(String.init)
        if vnnlibParts.count > 1 { vnnlibParts.removeFirst() }
        let vnnlibStem = dropping(suffix: ".vnnlib", from: vnnlibParts.joined(separator: "_"))
        return "\(onnxStem)__\(vnnlibStem).counterexample"
    }

    /// The absolute path `<csv folder>/witnesses/<name>` for `instance`; the file may not exist.
    public static func witnessPath(for instance: Instance) -> String {
        InstanceList.resolve(folderName + "/" + fileName(for: instance), against: instance.csvDirectory)
    }

    /// The known counterexample for `instance`, or `nil` when the suite has no witness file for it.
    /// - Throws: `BenchmarkingError` when the file exists but is malformed or holds no counterexample.
    public static func knownWitness(for instance: Instance) throws(BenchmarkingError) -> Witness? {
        let path = witnessPath(for: instance)
        guard InstanceList.isRegularFile(path) else { return nil }
        return try ResultFile.readWitness(path: path)
    }

    private static func dropping(suffix: String, from name: String) -> String {
        name.hasSuffix(suffix) && name.count > suffix.count ? String(name.dropLast(suffix.count)) : name
    }
}
