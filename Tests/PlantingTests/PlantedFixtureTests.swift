import Foundation
import ONNXLoader
@testable import Planting
import Testing
import VNNLib

/// The committed planted fixtures (Tests/Fixtures/planted): onnxruntime agrees with nnverify's
/// loader, the witness is a counterexample in onnxruntime's float32 evaluation as well, and the
/// generator reproduces the files byte for byte.
@Suite struct PlantedFixtureTests {
    /// The three suites as `nnverify plant` made them (see the fixtures' README).
    static let suites: [(folder: String, shape: RandomNetworkShape, seed: UInt64, eps: Double, range: ClosedRange<Double>)] = [
        ("relu", RandomNetworkShape(inputs: 4, width: 8, depth: 2, outputs: 3, activation: .relu), 7, 0.05, 0...1),
        ("tanh", RandomNetworkShape(inputs: 3, width: 6, depth: 2, outputs: 3, activation: .tanh), 8, 0.05, 0...1),
        ("shallow", RandomNetworkShape(inputs: 3, width: 6, depth: 1, outputs: 2, activation: .relu), 9, 0.1, -1...1),
    ]

    struct Reference: Decodable {
        var points: [[Double]]
        var outputs: [[Double]]
        var witness_index: Int?
    }

    @Test func loaderMatchesOnnxruntime() throws {
        let root = PlantingFixtures.plantedFolder
        let data = try Data(contentsOf: root.appendingPathComponent("references.json"))
        let references = try JSONDecoder().decode([String: Reference].self, from: data)
        #expect(references.count == 6)
        var witnesses = 0
        for (key, reference) in references.sorted(by: { $0.key < $1.key }) {
            let network = try ONNXLoader.load(contentsOf: root.appendingPathComponent(key).path)
            for (x, expected) in zip(reference.points, reference.outputs) {
                let y = try network.evaluate(x)
                #expect(PlantingFixtures.close(y, expected, tolerance: 1e-5), "\(key) at \(x): \(y) vs onnxruntime \(expected)")
            }
            guard let w = reference.witness_index else { continue }
            witnesses += 1
            // The planted point violates the property in onnxruntime's float32 evaluation too.
            let suite = String(key.split(separator: "/")[0])
            let vnnlib = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(suite + "/vnnlib").path)
            let spec = try VNNLibParser.parse(contentsOf: root.appendingPathComponent(suite + "/vnnlib/" + vnnlib[0]).path)
            #expect(spec.cases[0].box.contains(reference.points[w]))
            #expect(spec.cases[0].isViolated(by: reference.outputs[w]), "\(key)")
        }
        #expect(witnesses == 3)
    }

    @Test func regeneratingReproducesTheFixtureBytes() throws {
        for suite in Self.suites {
            let base = try LayerChain.random(suite.shape, seed: suite.seed)
            let centres = try PlantingRegion.randomCentres(count: 1, inputSize: suite.shape.inputs, range: suite.range, seed: suite.seed)
            let regions = try centres.enumerated().map { k, c in
                try PlantingRegion.robustness(network: try base.network(), centre: c, eps: suite.eps, range: suite.range, label: "random point \(k)")
            }
            let s = suite.shape
            var options = PlantOptions(name: "random-\(s.inputs)x\(s.width)x\(s.depth)x\(s.outputs)-\(s.activation.rawValue)-s\(suite.seed)")
            options.seed = suite.seed
            options.proofTimeout = 20
            options.parameters.placement.range = suite.range
            let folder = try SuiteFolder(path: try PlantingFixtures.temporaryFolder("regen-\(suite.folder)"))
            _ = try PlantedSuite.generate(base: base, regions: regions, options: options, folder: folder)
            let fixture = PlantingFixtures.plantedFolder.appendingPathComponent(suite.folder).path
            let made = try files(under: folder.path), committed = try files(under: fixture)
            #expect(made == committed, "\(suite.folder)")
            for name in committed {
                let a = try Data(contentsOf: URL(fileURLWithPath: folder.path + "/" + name))
                let b = try Data(contentsOf: URL(fileURLWithPath: fixture + "/" + name))
                if name.hasSuffix(".counterexample") {
                    // The inputs are the construction's and must match to the bit; the outputs are the
                    // network evaluated through BLAS, whose summation order depends on the CPU's kernels.
                    let made = try witnessValues(a), kept = try witnessValues(b)
                    #expect(made.map(\.name) == kept.map(\.name), "\(suite.folder)/\(name)")
                    for (x, y) in zip(made, kept) {
                        if x.name.hasPrefix("X_") {
                            #expect(x.value == y.value, "\(suite.folder)/\(name): \(x.name)")
                        } else {
                            #expect(abs(x.value - y.value) <= 1e-12 * max(1, abs(y.value)), "\(suite.folder)/\(name): \(x.name)")
                        }
                    }
                } else {
                    #expect(a == b, "\(suite.folder)/\(name) differs from the committed fixture")
                }
            }
        }
    }

    /// The `(NAME value)` pairs of a VNN-COMP counterexample file, in order.
    private func witnessValues(_ data: Data) throws -> [(name: String, value: Double)] {
        let text = try #require(String(data: data, encoding: .utf8))
        var result = [(name: String, value: Double)]()
        for line in text.split(separator: "\n") where !line.hasPrefix(";") {
            let fields = line.split(whereSeparator: { $0 == "(" || $0 == ")" || $0 == " " })
            guard fields.count == 2 else { continue }
            result.append((String(fields[0]), try #require(Double(fields[1]))))
        }
        return result
    }

    private func files(under root: String) throws -> [String] {
        let enumerator = FileManager.default.enumerator(atPath: root)
        var result = [String]()
        while let name = enumerator?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: root + "/" + name, isDirectory: &isDirectory), !isDirectory.boolValue {
                result.append(name)
            }
        }
        return result.sorted()
    }
}
