import ArgumentParser
import Benchmarking
import Foundation
import Reports
import Verifier

/// `nnverify report --instances instances.csv`: one verdict per VNN-COMP instance, written as the
/// four report files; exit 2 when `--fail-under verified=MIN` fails.
enum InstanceReportRun {
    static func run(_ command: ReportCommand, instanceList: String) throws {
        let entries: [InstanceEntry]
        let minimum: Double?
        do {
            var list = try InstanceList.read(path: instanceList)
            if let shard = command.shard { list = try Shard(parsing: shard).select(list) }
            entries = list.map {
                InstanceEntry(onnx: $0.onnxPath, vnnlib: $0.vnnlibPath, onnxFile: $0.onnxFile, vnnlibFile: $0.vnnlibFile, timeout: $0.timeoutSeconds)
            }
            minimum = try command.failUnder.last.map { try InstanceReport.parseThreshold($0) }
        } catch {
            throw CLIFailure(message: "\(error)")
        }
        let limited = command.limit.map { Array(entries.prefix($0)) } ?? entries
        var options = VerifierOptions()
        options.method = command.method
        options.attack.seed = command.seed
        let progress = ProgressPrinter(quiet: command.quiet, noun: "instances")
        var report = InstanceReport.run(limited, source: instanceList, options: options, timeoutScale: command.timeoutScale) { progress.show($0) }
        progress.finish()
        report.minimumVerified = minimum
        let paths: [String]
        do { paths = try InstanceReportFiles.write(report, to: command.out) } catch { throw CLIFailure(message: "\(error)") }
        let counts = report.counts.filter { $0.count > 0 }.map { "\($0.verdict.rawValue) \($0.count)" }.joined(separator: ", ")
        Console.line("verification report: \(report.results.count) instances (\(counts)), \(String(format: "%.1f", report.seconds)) s")
        if let message = report.thresholdMessage { Console.line("threshold \(message)") }
        Console.line("wrote " + paths.joined(separator: ", "))
        if !report.passed {
            FileHandle.standardError.write(Data("threshold failed: \(report.thresholdMessage ?? "")\n".utf8))
            throw ExitCode(2)
        }
    }
}
