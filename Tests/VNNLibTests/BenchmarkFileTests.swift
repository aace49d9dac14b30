import Foundation
import Testing
@testable import VNNLib

/// The real VNN-COMP files in `<repo root>/../shared/benchmarks` (skipped when absent).
enum BenchmarkFiles {
    /// `<repo root>/../shared/benchmarks`, found from this file's real (symlink-resolved) path.
    static let root: URL = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/benchmarks")

    static let available = FileManager.default.fileExists(atPath: root.appendingPathComponent("README.md").path)

    /// Every `*.vnnlib` file (not `*.compiled`) under `<benchmark>/vnnlib`, sorted.
    static func files(_ benchmark: String) -> [String] {
        let dir = root.appendingPathComponent(benchmark).appendingPathComponent("vnnlib")
        guard let walker = FileManager.default.enumerator(atPath: dir.path) else { return [] }
        return walker.compactMap { $0 as? String }.filter { $0.hasSuffix(".vnnlib") }.sorted()
            .map { dir.appendingPathComponent($0).path }
    }

    /// The lines of a file, as byte arrays (plain byte work keeps debug builds fast).
    static func lines(_ path: String) throws -> [[UInt8]] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return data.split(separator: UInt8(ascii: "\n")).map { Array($0) }
    }

    /// The words of a line separated by spaces and tabs, as strings.
    static func words(_ line: [UInt8]) -> [String] {
        line.split { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }.map { String(decoding: $0, as: UTF8.self) }
    }

    /// An independent reading of the one-bound-per-line shape `(assert (<= X_i c))`, as the
    /// README describes the files: the box they spell out, for comparison with the parser's.
    static func lineByLineBox(_ path: String, inputCount: Int) throws -> InputBox {
        var lower = Array(repeating: -Double.infinity, count: inputCount)
        var upper = Array(repeating: Double.infinity, count: inputCount)
        for line in try lines(path) where line.starts(with: Array("(assert (".utf8)) {
            let words = words(line)
            guard words.count == 4, words[2].hasPrefix("X_"), let i = Int(words[2].dropFirst(2)),
                let v = Double(words[3].dropLast(2))
            else { continue }
            if words[1] == "(<=" { upper[i] = min(upper[i], v) } else if words[1] == "(>=" { lower[i] = max(lower[i], v) }
        }
        return InputBox(lower: lower, upper: upper)
    }

    /// `(and (>= Y_a Y_b))` lines read independently as the constraint `Y_b - Y_a <= 0`.
    static func lineByLineDisjuncts(_ path: String, outputCount: Int) throws -> [[LinearConstraint]] {
        try lines(path).filter { !$0.starts(with: Array("(assert (".utf8)) && !$0.starts(with: Array("(declare".utf8)) }
            .compactMap { line in
                let words = words(line)
                guard words.count == 4, words[0] == "(and", words[1] == "(>=",
                    let a = Int(words[2].dropFirst(2)), let b = Int(words[3].dropFirst(2).dropLast(2))
                else { return nil }
                var c = Array(repeating: 0.0, count: outputCount)
                c[a] = -1
                c[b] = 1
                return [LinearConstraint(coefficients: c, constant: 0)]
            }
    }
}

@Suite(.enabled(if: BenchmarkFiles.available, "skipped: ../shared/benchmarks not found next to the repository"))
struct BenchmarkFileTests {
    @Test(arguments: [
        // (property, cases, constraints per disjunct)
        (1, 1, [1]), (2, 1, [4]), (3, 1, [4]), (4, 1, [4]), (5, 1, [1, 1, 1, 1]), (6, 2, [1, 1, 1, 1]),
        (7, 1, [3, 3]), (8, 1, [2, 2, 2]), (9, 1, [1, 1, 1, 1]), (10, 1, [1, 1, 1, 1]),
    ])
    func acasXuProperty(property: Int, cases: Int, conjunctionSizes: [Int]) throws {
        let path = BenchmarkFiles.root.appendingPathComponent("acasxu/vnnlib/prop_\(property).vnnlib").path
        let spec = try VNNLibParser.parse(contentsOf: path)
        #expect(spec.inputCount == 5 && spec.outputCount == 5)
        #expect(spec.cases.count == cases)
        for c in spec.cases {
            #expect(c.disjuncts.map(\.count) == conjunctionSizes)
        }
        if property != 6 {
            #expect(spec.cases[0].box == (try BenchmarkFiles.lineByLineBox(path, inputCount: 5)))
        }
    }

    @Test func acasXuProperty1Exactly() throws {
        let spec = try VNNLibParser.parse(contentsOf: BenchmarkFiles.root.appendingPathComponent("acasxu/vnnlib/prop_1.vnnlib").path)
        #expect(spec == Specification(
            inputCount: 5, outputCount: 5,
            cases: [
                SpecCase(
                    box: box([(0.6, 0.679857769), (-0.5, 0.5), (-0.5, 0.5), (0.45, 0.5), (-0.5, -0.45)]),
                    disjuncts: [[constraint([-1, 0, 0, 0, 0], 3.991125645861615)]])
            ]))
    }

    @Test func acasXuProperty6TwoBoxes() throws {
        let spec = try VNNLibParser.parse(contentsOf: BenchmarkFiles.root.appendingPathComponent("acasxu/vnnlib/prop_6.vnnlib").path)
        let shared: [(Double, Double)] = [(-0.499999896, -0.499204121), (-0.5, 0.5), (-0.5, 0.5)]
        #expect(spec.cases.map(\.box) == [
            box([(-0.129289109, 0.700434925), (0.11140846, 0.499999896)] + shared),
            box([(-0.129289109, 0.700434925), (-0.499999896, -0.11140846)] + shared),
        ])
        let notMinimal = (1..<5).map { j -> [LinearConstraint] in
            var c = [-1.0, 0, 0, 0, 0]
            c[j] = 1
            return [constraint(c)]
        }
        #expect(spec.cases.allSatisfy { $0.disjuncts == notMinimal })
    }

    @Test(arguments: ["mnistfc", "eran"])
    func mnistRobustnessFiles(benchmark: String) throws {
        let files = BenchmarkFiles.files(benchmark)
        #expect(files.count >= 48)
        for path in files {
            let spec = try VNNLibParser.parse(contentsOf: path)
            #expect(spec.inputCount == 784 && spec.outputCount == 10, "\(path)")
            #expect(spec.cases.count == 1, "\(path)")
            #expect(spec.cases.first?.box == (try BenchmarkFiles.lineByLineBox(path, inputCount: 784)), "\(path)")
            #expect(spec.cases.first?.disjuncts == (try BenchmarkFiles.lineByLineDisjuncts(path, outputCount: 10)), "\(path)")
            #expect(spec.cases.first?.disjuncts.count == 9, "\(path)")
        }
    }

    @Test func distShiftFiles() throws {
        let files = BenchmarkFiles.files("dist_shift")
        #expect(files.count == 72)
        for path in files {
            let spec = try VNNLibParser.parse(contentsOf: path)
            #expect(spec.inputCount == 792 && spec.outputCount == 10, "\(path)")
            #expect(spec.cases.count == 1 && spec.cases[0].disjuncts.map(\.count) == [1], "\(path)")
            #expect(spec.cases.first?.box == (try BenchmarkFiles.lineByLineBox(path, inputCount: 792)), "\(path)")
            // One constraint Y_b - Y_a <= 0: one +1 and one -1 coefficient.
            let c = spec.cases[0].disjuncts[0][0]
            #expect(c.coefficients.sorted() == [-1] + Array(repeating: 0, count: 8) + [1] && c.constant == 0, "\(path)")
        }
    }

    @Test func collinsFiles() throws {
        let files = BenchmarkFiles.files("collins_rul_cnn")
        #expect(files.count == 41)
        for path in files {
            let spec = try VNNLibParser.parse(contentsOf: path)
            #expect([400, 800].contains(spec.inputCount) && spec.outputCount == 1, "\(path)")
            #expect(spec.cases.count == 1, "\(path)")
            #expect(spec.cases.first?.box == (try BenchmarkFiles.lineByLineBox(path, inputCount: spec.inputCount)), "\(path)")
            // (or (and (<= Y_0 lo)) (and (>= Y_0 hi))): Y_0 - lo <= 0 and -Y_0 + hi <= 0.
            let d = spec.cases.first?.disjuncts ?? []
            #expect(d.map(\.count) == [1, 1] && d[0][0].coefficients == [1] && d[1][0].coefficients == [-1], "\(path)")
        }
    }

    @Test func ifThenSpecExactOutput() throws {
        let path = BenchmarkFiles.root.appendingPathComponent("collins_rul_cnn/vnnlib/if_then_5levels_w20.vnnlib").path
        let spec = try VNNLibParser.parse(contentsOf: path)
        #expect(spec.cases[0].disjuncts == [[constraint([1], -41)], [constraint([-1], 236)]])
    }
}
