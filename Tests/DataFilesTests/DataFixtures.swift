import DataFiles
import Foundation
import Testing

/// Paths and expected contents of the fixtures made by `scripts/make_data_fixtures.py`, read by
/// path from the repository (found from `#filePath`, symlinks resolved).
enum DataFixtures {
    /// The repository root: this file is `<root>/Tests/DataFilesTests/DataFixtures.swift`.
    static let repositoryRoot: URL = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let directory = repositoryRoot.appendingPathComponent("Tests/Fixtures/data")

    static func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    static func data(_ name: String) throws -> Data { try Data(contentsOf: directory.appendingPathComponent(name)) }

    /// A path under `models/` (the bundled digits data).
    static func modelsPath(_ relative: String) -> String {
        repositoryRoot.appendingPathComponent("models").appendingPathComponent(relative).path
    }

    static let manifest: Manifest = {
        do {
            return try JSONDecoder().decode(Manifest.self, from: data("fixtures.json"))
        } catch {
            Issue.record("cannot read fixtures.json: \(error)")
            return Manifest(csv: [], npy: [], labels: [], npz: [])
        }
    }()

    /// A fresh temporary directory for files a test writes; removed by the caller.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("nnverify-datafiles-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// `fixtures.json`.
struct Manifest: Decodable {
    struct CSV: Decodable {
        let file: String
        let values: [[Double]]
        let labels: [Int]
        let lines: [Int]
    }
    struct NPY: Decodable, CustomTestStringConvertible {
        let file: String
        let dtype: String
        let bigEndian: Bool
        let shape: [Int]
        let version: String
        let fortranOrder: Bool
        /// C-order values; nil stands for NaN.
        let values: [Double?]
        var testDescription: String { file }
    }
    struct Labels: Decodable, CustomTestStringConvertible {
        let file: String
        let shape: [Int]
        let values: [Double]
        var testDescription: String { file }
    }
    struct NPZ: Decodable, CustomTestStringConvertible {
        let file: String
        let compressed: Bool
        let entries: [String]
        let xShape: [Int]?
        let xValues: [Double]?
        let xSum: Double?
        let labels: [Int]?
        let xEntry: String?
        var testDescription: String { file }
    }
    let csv: [CSV]
    let npy: [NPY]
    let labels: [Labels]
    let npz: [NPZ]
}

/// SplitMix64: a small seeded generator so the mutation tests are reproducible.
struct MutationGenerator: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Runs `body`, which must throw a ``DataFileError`` of `kind`; returns the error for more checks.
@discardableResult
func expectDataError<T>(
    _ kind: DataFileError.Kind, sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> T
) -> DataFileError? {
    do {
        _ = try body()
        Issue.record("expected a \(kind) error, but the call succeeded", sourceLocation: sourceLocation)
    } catch let error as DataFileError {
        #expect(error.kind == kind, "\(error)", sourceLocation: sourceLocation)
        return error
    } catch {
        Issue.record("expected DataFileError, got \(type(of: error)): \(error)", sourceLocation: sourceLocation)
    }
    return nil
}

extension Data {
    /// The bytes of a UTF-8 string (for CSV tests).
    init(text: String) { self.init(text.utf8) }
}
