import Benchmarking
import Foundation
import ONNXLoader
@testable import Planting
import Testing
import VNNLib
import Verifier

/// Reads a counterexample file with the benchmark reader (the format `nnverify bench` reads).
func readWitnessFile(_ path: String) throws -> Witness { try ResultFile.readWitness(path: path) }

/// A whole suite written to a folder, read back with the benchmark readers.
@Suite struct PlantedSuiteTests {
    @Test func suiteFolderReadsBackWithTheBenchmarkReaders() throws {
        let base = try PlantingFixtures.base(seed: 61)
        let regions = try (0..<2).map { try PlantingFixtures.region(base, seed: 62 + UInt64($0)) }
        let folder = try SuiteFolder(path: try PlantingFixtures.temporaryFolder("suite"))
        var options = PlantOptions(name: "t")
        options.plantedPerRegion = 2
        options.instanceTimeout = 7
        options.proofTimeout = 10
        options.parameters.placement.range = 0...1
        var lines = [String]()
        let outcomes = try PlantedSuite.generate(base: base, regions: regions, options: options, folder: folder) { lines.append($0) }
        #expect(lines.count == 2)
        #expect(outcomes.allSatisfy { $0.baseVerdict == .unsat && $0.rows.count == 3 })

        let instances = try InstanceList.read(path: folder.path + "/instances.csv")
        let expected = try ExpectedVerdicts.read(path: folder.path + "/expected.csv")
        #expect(instances.count == 6)
        var sat = 0
        for instance in instances {
            #expect(instance.timeoutSeconds == 7)
            let verdict = try #require(expected.expected(for: instance))
            let network = try ONNXLoader.load(contentsOf: instance.onnxFile)
            let spec = try VNNLibParser.parse(contentsOf: instance.vnnlibFile)
            let witness = try WitnessFiles.knownWitness(for: instance)
            if verdict == .sat {
                sat += 1
                let w = try #require(witness)
                #expect(validateCounterexample(w.input, network: network, specification: spec) == w)
            } else {
                #expect(verdict == .unsat && witness == nil)
            }
        }
        #expect(sat == 4)
    }

    @Test func regionWhoseBasePropertyFailsIsSkipped() throws {
        let base = try PlantingFixtures.base(seed: 71)
        // "Y_0 >= -1000" holds everywhere: the base property is violated (sat).
        let box = InputBox(lower: [0, 0, 0, 0], upper: [1, 1, 1, 1])
        let spec = Specification(inputCount: 4, outputCount: 3, cases: [
            SpecCase(box: box, disjuncts: [[LinearConstraint(coefficients: [-1, 0, 0], constant: -1000)]])])
        let region = PlantingRegion(specification: spec, label: "always violated")
        let folder = try SuiteFolder(path: try PlantingFixtures.temporaryFolder("skip"))
        var options = PlantOptions(name: "s")
        options.proofTimeout = 10
        let outcomes = try PlantedSuite.generate(base: base, regions: [region], options: options, folder: folder)
        #expect(outcomes.count == 1 && outcomes[0].rows.isEmpty && outcomes[0].baseVerdict == .sat)
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/instances.csv"))
        #expect((try FileManager.default.contentsOfDirectory(atPath: folder.path + "/onnx")).isEmpty)
    }
}
