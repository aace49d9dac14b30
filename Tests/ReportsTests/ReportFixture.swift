import DataFiles
import Foundation
import NNGraph
import ONNXLoader
import Reports

/// The bundled digits model and test images, and one report over them shared by the tests.
enum ReportFixture {
    /// The repository root (from this file's real path: Tests/ReportsTests/ReportFixture.swift).
    static let root: URL = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    static let modelPath = path("models/digits/onnx/digits_mlp.onnx")
    static let dataPath = path("models/digits/data/digits_test.csv")
    static let epsilons = [0.02, 0.05, 0.1]
    static let sampleCount = 50

    static func network() throws -> Network { try ONNXLoader.load(contentsOf: modelPath) }

    static func data(limit: Int = sampleCount) throws -> LabelledData {
        var data = try LabelledDataReader.read(inputs: dataPath)
        data.inputs = Array(data.inputs.prefix(limit))
        data.labels = Array(data.labels.prefix(limit))
        return data
    }

    /// 50 images at three radii, with one threshold that holds and one that fails, written to a
    /// fresh directory. Computed once (a global `let` is initialised lazily and exactly once).
    static let shared: Result<(report: RobustnessReport, directory: String), any Error> = Result {
        var options = ReportOptions(epsilons: epsilons)
        options.timeoutPerInput = 5
        let runner = try ReportRunner(network: try network(), options: options)
        var report = try runner.run(data: try data(), modelPath: "models/digits/onnx/digits_mlp.onnx")
        report.check([Threshold(metric: .clean, epsilon: 0.02, minimum: 0.5), Threshold(metric: .certified, epsilon: 0.1, minimum: 0.99)])
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("nnverify-report-\(UUID().uuidString)").path
        try ReportWriter.write(report, to: directory)
        return (report, directory)
    }

    static func file(_ name: String) throws -> String {
        (try shared.get().directory as NSString).appendingPathComponent(name)
    }
}
