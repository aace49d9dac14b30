import Benchmarking
import Foundation
import Testing

/// Reads the real VNN-COMP suites in `<repo root>/../shared/benchmarks` (skipped when absent).
@Suite struct RealSuiteTests {
    private static let skipMessage = "shared benchmarks not found next to the repository (../shared/benchmarks)"

    private struct Counts: Equatable {
        var sat = 0, unsat = 0, unknown = 0, missing = 0
    }

    private func counts(_ instances: [Instance], _ expected: ExpectedVerdicts) -> Counts {
        var counts = Counts()
        for instance in instances {
            switch expected.expected(for: instance) {
            case .sat?: counts.sat += 1
            case .unsat?: counts.unsat += 1
            case .unknown?: counts.unknown += 1
            case nil: counts.missing += 1
            }
        }
        return counts
    }

    @Test(.enabled(if: sharedSuite("acasxu") != nil, Comment(rawValue: skipMessage)))
    func acasxuSuite() throws {
        let suite = try #require(sharedSuite("acasxu"))
        let instances = try InstanceList.read(path: suite + "/instances.csv")
        #expect(instances.count == 186)
        #expect(instances.allSatisfy { $0.timeoutSeconds == 116 })
        #expect(instances[0].onnxPath == "onnx/ACASXU_run2a_1_1_batch_2000.onnx")
        #expect(instances[0].onnxFile == suite + "/onnx/ACASXU_run2a_1_1_batch_2000.onnx")
        #expect(InstanceList.validateFilesExist(instances).isEmpty)
        let expected = try ExpectedVerdicts.read(path: suite + "/expected.csv")
        #expect(counts(instances, expected) == Counts(sat: 47, unsat: 139, unknown: 0, missing: 0))

        var witnesses = 0
        for instance in instances where expected.expected(for: instance) == .sat {
            let witness = try #require(try WitnessFiles.knownWitness(for: instance),
                                       "no witness for \(instance.onnxPath) \(instance.vnnlibPath)")
            #expect(witness.input.count == 5)
            #expect(witness.output.count == 5)
            witnesses += 1
        }
        #expect(witnesses == 47)
    }

    @Test(.enabled(if: sharedSuite("mnistfc") != nil, Comment(rawValue: skipMessage)))
    func mnistfcSuite() throws {
        let suite = try #require(sharedSuite("mnistfc"))
        let instances = try InstanceList.read(path: suite + "/instances.csv")
        #expect(instances.count == 144)
        #expect(instances.allSatisfy { $0.timeoutSeconds == ($0.onnxPath.contains("256x2") ? 120 : 300) })
        #expect(InstanceList.validateFilesExist(instances).isEmpty)
        let expected = try ExpectedVerdicts.read(path: suite + "/expected.csv")
        #expect(counts(instances, expected) == Counts(sat: 29, unsat: 99, unknown: 16, missing: 0))

        var witnesses = 0
        for instance in instances {
            guard let witness = try WitnessFiles.knownWitness(for: instance) else { continue }
            #expect(expected.expected(for: instance) == .sat)
            #expect(witness.input.count == 784)
            #expect(witness.output.count == 10)
            witnesses += 1
        }
        #expect(witnesses == 25)
    }

    /// Every witness file of every suite belongs to a `sat` instance under the naming rule, and parses.
    @Test(.enabled(if: sharedBenchmarksFolder() != nil, Comment(rawValue: skipMessage)))
    func everyWitnessFileMatchesASatInstance() throws {
        let root = try #require(sharedBenchmarksFolder())
        let suites = try FileManager.default.contentsOfDirectory(atPath: root).sorted()
            .filter { FileManager.default.fileExists(atPath: root + "/" + $0 + "/instances.csv") }
        #expect(suites.count >= 2)
        for name in suites {
            let suite = root + "/" + name
            let instances = try InstanceList.read(path: suite + "/instances.csv")
            let expected = try ExpectedVerdicts.read(path: suite + "/expected.csv")
            #expect(expected.instancesWithoutEntry(instances).isEmpty, "\(name): instances without expected verdict")
            var named = [String: Instance]()
            for instance in instances { named[WitnessFiles.fileName(for: instance)] = instance }
            let files = (try? FileManager.default.contentsOfDirectory(atPath: suite + "/witnesses")) ?? []
            for file in files.sorted() where file.hasSuffix(".counterexample") {
                let instance = try #require(named[file], "\(name)/witnesses/\(file) matches no instance")
                #expect(expected.expected(for: instance) == .sat, "\(name)/\(file)")
                let witness = try ResultFile.readWitness(path: suite + "/witnesses/" + file)
                #expect(!witness.input.isEmpty && !witness.output.isEmpty, "\(name)/\(file)")
            }
        }
    }
}
