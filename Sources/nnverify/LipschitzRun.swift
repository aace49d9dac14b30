import DataFiles
import Foundation
import Lipschitz
import NNGraph
import ONNXLoader
import Verifier

/// Runs `nnverify lipschitz`: builds one region per input (or property box), bounds it, prints the
/// table and writes lipschitz.json.
struct LipschitzRun {
    let command: LipschitzCommand

    /// The file written into --out.
    struct FileContents: Codable {
        var model: String
        var source: String
        var norm: String
        var dualNorm: String
        var eps: Double?
        var outputs: String
        var inputs: [InputLipschitz]
    }

    func run() throws {
        let selection = try command.selection()
        let (network, regions, labels, source) = try load()
        let lipschitz: LocalLipschitz
        do { lipschitz = try LocalLipschitz(network: network) } catch { throw CLIFailure(message: "\(command.model): \(error)") }
        let what = command.spec == nil ? "\(command.norm.rawValue) eps \(command.eps ?? 0)" : "\(regions.count) input box\(regions.count == 1 ? "" : "es")"
        Console.line("lipschitz \(what), outputs \(selection), bound on the gradient's \(command.norm.dualName) norm, \(regions.count) regions from \(source)")
        Console.line("  input  label  pred      upper      lower   up/low     global  unstable   radius  seconds")
        var results = [InputLipschitz]()
        for (i, region) in regions.enumerated() {
            let deadline = Date().addingTimeInterval(command.timeoutPerInput)
            do {
                let r = try lipschitz.analyse(region: region, index: i, label: labels[i], selection: selection,
                                              options: command.options(), deadline: deadline)
                results.append(r)
                Console.line(Self.format(r))
            } catch {
                throw CLIFailure(message: "\(source), input \(i): \(error)")
            }
        }
        Console.line(Self.summary(results, certifying: selection == .margin))
        if let dir = command.out {
            let file = FileContents(model: command.model, source: source, norm: command.norm.rawValue, dualNorm: command.norm.dualName,
                                    eps: command.eps, outputs: selection.description, inputs: results)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            let path = (dir as NSString).appendingPathComponent("lipschitz.json")
            do {
                try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
                try OutputFile.write(String(decoding: try encoder.encode(file), as: UTF8.self) + "\n", to: path)
            } catch let failure as CLIFailure { throw failure } catch {
                throw CLIFailure(message: "cannot write '\(path)': \(error.localizedDescription)")
            }
            Console.line("wrote \(path)")
        }
    }

    /// `--monotone`: one line per region; returns the exit status (0 all proven, 10 a violation, 20 otherwise).
    func runMonotone(_ query: (input: Int, output: Int, direction: MonotoneDirection)) throws -> Int32 {
        let (network, regions, _, source) = try load()
        let lipschitz: LocalLipschitz
        do { lipschitz = try LocalLipschitz(network: network) } catch { throw CLIFailure(message: "\(command.model): \(error)") }
        Console.line("monotonicity: y\(query.output) \(query.direction.rawValue) in x\(query.input), \(regions.count) regions from \(source)")
        var code: Int32 = 0
        for (i, region) in regions.enumerated() {
            let start = Date()
            let result: MonotonicityResult
            do {
                result = try lipschitz.monotonicity(input: query.input, output: query.output, direction: query.direction, region: region,
                                                    options: command.options(), deadline: start.addingTimeInterval(command.timeoutPerInput))
            } catch {
                throw CLIFailure(message: "\(source), region \(i): \(error)")
            }
            let seconds = String(format: "%.3f s", Date().timeIntervalSince(start))
            switch result {
            case .proven(let bound):
                Console.line("  region \(i): proven (partial derivative >= \(bound) in the direction), \(seconds)")
            case .violated(let first, let second, let outputs, _):
                code = 10
                Console.line("  region \(i): violated, \(seconds): x\(query.input) = \(first[query.input]) gives y\(query.output) = \(outputs.0), "
                             + "x\(query.input) = \(second[query.input]) gives y\(query.output) = \(outputs.1) (other inputs equal)")
                Console.line("    first point: " + first.map { "\($0)" }.joined(separator: " "))
            case .unknown(let bound):
                if code == 0 { code = 20 }
                Console.line("  region \(i): unknown (certified partial derivative >= \(bound)), \(seconds)")
            }
        }
        return code
    }

    /// The network, one region per input, the labels (nil for property boxes) and a source name.
    private func load() throws -> (Network, [LipschitzRegion], [Int?], String) {
        do {
            if let spec = command.spec {
                let problem = try VerificationProblem(modelPath: command.model, specPath: spec)
                let regions = try problem.specification.cases.map {
                    try LipschitzRegion(lower: $0.box.lower, upper: $0.box.upper, norm: command.norm)
                }
                return (problem.network, regions, regions.map { _ in nil }, spec)
            }
            let network = try command.normalisation.apply(to: try ONNXLoader.load(contentsOf: command.model))
            var data = try LabelledDataReader.read(inputs: command.inputs ?? "", labels: command.labels)
            try data.validate(inputCount: network.inputSize, classCount: network.outputSize)
            if let limit = command.limit, limit < data.count {
                data.inputs = Array(data.inputs.prefix(limit))
                data.labels = Array(data.labels.prefix(limit))
            }
            let (lo, hi) = try ValidRange.parse(command.range)
            let n = network.inputSize
            let regions = try data.inputs.enumerated().map { i, x in
                do {
                    return try LipschitzRegion(around: x, norm: command.norm, eps: command.eps ?? 0,
                                               validLower: [Double](repeating: lo, count: n), validUpper: [Double](repeating: hi, count: n))
                } catch {
                    throw CLIFailure(message: "\(data.source), sample \(i)\(data.lineNumbers.map { " (line \($0[i]))" } ?? ""): \(error); adjust --range")
                }
            }
            return (network, regions, data.labels.map { $0 }, data.source)
        } catch let failure as CLIFailure {
            throw failure
        } catch {
            throw CLIFailure(message: "\(error)")
        }
    }

    static func format(_ r: InputLipschitz) -> String {
        let label = r.label.map(String.init) ?? "-"
        let ratio = r.lower > 0 ? String(format: "%8.3f", r.upper / r.lower) : "       -"
        let radius = r.certifiedRadius.map { String(format: "%8.5f", $0) } ?? "       -"
        return String(format: "  %5d  %5@  %4d  %9.4g  %9.4g  ", r.index, label, r.predicted, r.upper, r.lower) + ratio
            + String(format: "  %9.4g  %8d  ", r.global, r.unstableNeurons) + radius + String(format: "  %7.3f", r.seconds)
    }

    static func summary(_ results: [InputLipschitz], certifying: Bool) -> String {
        guard !results.isEmpty else { return "no inputs" }
        let ratios = results.filter { $0.lower > 0 }.map { $0.upper / $0.lower }.sorted()
        let improvement = results.filter { $0.upper > 0 }.map { $0.global / $0.upper }.sorted()
        func median(_ v: [Double]) -> String { v.isEmpty ? "-" : String(format: "%.3g", v[v.count / 2]) }
        var text = "summary: \(results.count) inputs, median upper/lower \(median(ratios)), median global/upper \(median(improvement))"
        text += String(format: ", mean %.3f s per input", results.map(\.seconds).reduce(0, +) / Double(results.count))
        if certifying {
            let certified = results.filter { ($0.certifiedRadius ?? 0) > 0 }.count
            text += ", \(certified) with a positive Lipschitz-certified radius"
        }
        return text
    }
}
