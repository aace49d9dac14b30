import Foundation
import NNGraph
import Testing

/// Paths and reference data shared by the ONNX loader tests. Fixtures are read by path from the
/// repository (found from `#filePath`, symlinks resolved), not as SwiftPM resources.
enum Fixtures {
    /// The repository root: this file is `<root>/Tests/ONNXLoaderTests/FixtureSupport.swift`.
    static let repositoryRoot: URL = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let directory = repositoryRoot.appendingPathComponent("Tests/Fixtures/onnx")

    /// The VNN-COMP benchmarks, kept outside the repository at `<root>/../shared/benchmarks`.
    static let benchmarks = repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/benchmarks")

    static var benchmarksAvailable: Bool {
        FileManager.default.fileExists(atPath: benchmarks.appendingPathComponent("README.md").path)
    }

    static func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    static func decode<T: Decodable>(_ type: T.Type, from name: String) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(contentsOf: directory.appendingPathComponent(name)))
    }
}

/// `references.json`: onnxruntime outputs for the small fixture models.
struct FixtureReferences: Decodable {
    struct Case: Decodable {
        let input: [Double]
        let output: [Double]
    }
    struct Model: Decodable, CustomTestStringConvertible {
        let file: String
        let description: String
        let inputName: String
        let inputShape: [Int]
        let outputShape: [Int]
        let cases: [Case]
        var testDescription: String { file }
    }
    let fixtures: [Model]

    static func load() throws -> [Model] {
        try Fixtures.decode(FixtureReferences.self, from: "references.json").fixtures
    }
}

/// `benchmark_references.json`: onnxruntime outputs for the real VNN-COMP models.
struct BenchmarkReferences: Decodable {
    /// Inputs are generated, not stored: `x_i = ((i*a + b + 101*case) mod 1024) / 1024 * scale + shift`
    /// per segment (i restarting at 0); every value is exact in float32 and Double.
    struct Segment: Decodable {
        let count: Int
        let a: Int
        let b: Int
        let scale: Double
        let shift: Double
    }
    struct Case: Decodable {
        let `case`: Int
        let output: [Double]
    }
    struct Model: Decodable, CustomTestStringConvertible {
        let path: String
        let inputName: String
        let inputShape: [Int]
        let outputShape: [Int]
        let inputSegments: [Segment]
        let cases: [Case]
        var testDescription: String { path }

        func input(case k: Int) -> [Double] {
            inputSegments.flatMap { s in
                (0..<s.count).map { i in Double((i * s.a + s.b + 101 * k) % 1024) / 1024 * s.scale + s.shift }
            }
        }
    }
    let models: [Model]

    static func load() throws -> BenchmarkReferences {
        try Fixtures.decode(BenchmarkReferences.self, from: "benchmark_references.json")
    }
}

/// Checks `ours` against onnxruntime's `reference` output.
///
/// onnxruntime evaluates float32 models in float32, while the IR evaluates in Double from the same
/// float32 weights; the float32 rounding of each product and sum (relative 6e-8 per operation,
/// accumulated over layers of a few hundred terms) makes the two differ by up to about 1e-6 relative on
/// these models. `|ours - ref| <= 1e-5 * max(1, |ref|)` leaves a margin over that while still catching
/// any real conversion error (a wrong weight, transpose or bias changes outputs by far more).
func expectClose(_ ours: [Double], _ reference: [Double], _ label: String,
                 sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(ours.count == reference.count, "\(label): \(ours.count) outputs, reference has \(reference.count)",
            sourceLocation: sourceLocation)
    for (j, (a, r)) in zip(ours, reference).enumerated() {
        let tolerance = 1e-5 * max(1, abs(r))
        #expect(abs(a - r) <= tolerance, "\(label) output \(j): ours \(a), onnxruntime \(r), difference \(abs(a - r))",
                sourceLocation: sourceLocation)
    }
}

/// `collins_references.json`: onnxruntime outputs of the collins_rul_cnn models (Conv networks) for a few
/// random inputs near an instance's input box, stored with the inputs.
struct CollinsReferences: Decodable {
    struct Case: Decodable {
        let input: [Double]
        let output: [Double]
    }
    struct Model: Decodable, CustomTestStringConvertible {
        let path: String
        let inputName: String
        let inputShape: [Int]
        let outputShape: [Int]
        let cases: [Case]
        var testDescription: String { path }
    }
    let models: [Model]

    static func load() throws -> [Model] {
        try Fixtures.decode(CollinsReferences.self, from: "collins_references.json").models
    }
}
