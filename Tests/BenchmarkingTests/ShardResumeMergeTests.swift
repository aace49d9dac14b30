import Benchmarking
import Foundation
import Testing
import Verifier

/// Sharding, durable resumption and merging of results files (no verifier involved: rows are
/// written directly, so every corner case is exact).
@Suite struct ShardResumeMergeTests {
    static func instances(_ timeouts: [Double]) throws -> [Instance] {
        let text = timeouts.enumerated().map { "n.onnx,p\($0.offset).vnnlib,\($0.element)" }.joined(separator: "\n")
        return try InstanceList.parse(text: text, file: "suite/instances.csv", directory: "/nonexistent-suite")
    }

    static func row(_ index: Int, _ verdict: Verdict = .unsat) -> BenchmarkRow {
        BenchmarkRow(onnx: "n.onnx", vnnlib: "p\(index).vnnlib", verdict: verdict, seconds: Double(index), expected: nil)
    }

    @Test func shardsPartitionTheSuiteAndBalanceTimeouts() throws {
        var generator = SystemRandomNumberGenerator()
        for count in [1, 2, 3, 7, 40] {
            let timeouts = (0..<37).map { _ in Double(Int.random(in: 1...300, using: &generator)) }
            let list = try Self.instances(timeouts)
            var seen = [Int: Int]()
            var loads = [Double]()
            for index in 1...count {
                let part = try Shard(index: index, count: count).select(list)
                #expect(part.map(\.line) == part.map(\.line).sorted(), "csv order within a shard")
                for instance in part { seen[instance.line, default: 0] += 1 }
                loads.append(part.map(\.timeoutSeconds).reduce(0, +))
            }
            #expect(seen.count == list.count && seen.values.allSatisfy { $0 == 1 }, "every instance in exactly one shard")
            // LPT: the largest load exceeds the mean by at most the largest single timeout.
            let mean = timeouts.reduce(0, +) / Double(count)
            #expect(loads.max()! <= mean + timeouts.max()! + 1e-9)
            // Deterministic: a second computation gives the same partition.
            #expect(Shard.assignment(timeouts: timeouts, count: count) == Shard.assignment(timeouts: timeouts, count: count))
        }
        // Ties are broken by csv position and the lowest shard number.
        #expect(Shard.assignment(timeouts: [5, 5, 5, 5], count: 2) == [1, 2, 1, 2])
        #expect(Shard.assignment(timeouts: [1, 9, 4, 4], count: 2) == [2, 1, 2, 2])
    }

    @Test func badShardTextIsRefused() {
        #expect(errorText { _ = try Shard(parsing: "0/3") } == "invalid shard '0/3': must be I/N with N >= 1 and 1 <= I <= N (I is 1-based)")
        #expect(errorText { _ = try Shard(parsing: "4/3") } != nil)
        #expect(errorText { _ = try Shard(parsing: "1-3") } != nil)
        #expect(errorText { _ = try Shard(parsing: "2/3") } == nil)
    }

    @Test func appendedRowsAreReadBackAndAPartialLastLineIsDropped() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.path + "/r.csv"
        let list = try Self.instances([1, 2, 3, 4])
        var plan = try ResumePlan(path: path, instances: list)
        #expect(plan.finished.isEmpty && plan.remaining.count == 4 && plan.note == nil)
        var appender: ResultsAppender? = try ResultsAppender(path: path, keepingBytes: plan.keepBytes)
        try appender?.append(Self.row(0))
        try appender?.append(Self.row(2, .sat))
        appender = nil
        // A kill in the middle of the third append leaves a partial line.
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("n.onnx,p1.vnnlib,uns".utf8))
        try handle.close()
        plan = try ResumePlan(path: path, instances: list)
        #expect(plan.finished == [Self.row(0), Self.row(2, .sat)])
        #expect(plan.remaining.map(\.vnnlibPath) == ["p1.vnnlib", "p3.vnnlib"])
        #expect(plan.note == "\(path):4: dropped a partial last line (the previous run was killed while writing it): 'n.onnx,p1.vnnlib,uns'; its instance runs again")
        appender = try ResultsAppender(path: path, keepingBytes: plan.keepBytes)
        try appender?.append(Self.row(1))
        appender = nil
        #expect(try String(contentsOfFile: path, encoding: .utf8) == ResultsCSV.text([Self.row(0), Self.row(2, .sat), Self.row(1)]))
        // A killed header write (nothing but part of the header) starts afresh.
        try Data("onnx,vnn".utf8).write(to: URL(fileURLWithPath: path))
        plan = try ResumePlan(path: path, instances: list)
        #expect(plan.keepBytes == 0 && plan.remaining.count == 4 && plan.note != nil)
    }

    @Test func corruptOrForeignResumeFilesAreRefused() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let list = try Self.instances([1, 2])
        let header = ResultsCSV.header + "\n"
        func refusal(_ text: String) throws -> String? {
            let path = try folder.write("r.csv", text)
            return errorText { _ = try ResumePlan(path: path, instances: list) }
        }
        let path = folder.path + "/r.csv"
        #expect(try refusal(header + "n.onnx,p0.vnnlib,unsat,1.00,,,\nn.onnx,p1.vnnlib,maybe,1.00,,,\n")
            == "\(path):3: verdict must be one of sat, unsat, unknown, timeout, error, found 'maybe'")
        #expect(try refusal(header + "n.onnx,p0.vnnlib,unsat,1.00,,,\n./n.onnx,p0.vnnlib,sat,1.00,,,\n")
            == "\(path):3: second row for ./n.onnx, p0.vnnlib (first at \(path):2); shards overlap or a row was written twice")
        #expect(try refusal(header + "n.onnx,p9.vnnlib,unsat,1.00,,,\n")
            == "\(path):2: row for n.onnx, p9.vnnlib is not among the instances of this run (a different instances csv or --shard?)")
        #expect(try refusal("garbage\n") == "\(path):1: expected header '\(ResultsCSV.header)', found 'garbage'")
    }

    @Test func mergeCombinesShardsAndRefusesOverlapsGapsAndTruncation() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let list = try Self.instances([1, 2, 3])
        let a = try folder.write("a.csv", ResultsCSV.text([Self.row(2, .sat), Self.row(0)]))
        let b = try folder.write("b.csv", ResultsCSV.text([Self.row(1, .timeout)]))
        let merged = try ResultsMerge(files: [a, b], instances: list, instancesFile: "suite/instances.csv")
        #expect(merged.rows.map(\.vnnlib) == ["p0.vnnlib", "p1.vnnlib", "p2.vnnlib"])
        #expect(merged.summary.solved == 2 && merged.summary.unknownOrTimeout == 1 && merged.summary.score == 20)
        #expect(errorText { _ = try ResultsMerge(files: [a], instances: list, instancesFile: "suite/instances.csv") }
            == "1 instance(s) of suite/instances.csv have no results row: suite/instances.csv:2 n.onnx p1.vnnlib")
        #expect(errorText { _ = try ResultsMerge(files: [a, b, a], instances: nil) }
            == "\(a):2: second row for n.onnx, p2.vnnlib (first at \(a):2); shards overlap or a row was written twice")
        let foreign = try folder.write("c.csv", ResultsCSV.text([Self.row(1), Self.row(7)]))
        #expect(errorText { _ = try ResultsMerge(files: [a, foreign], instances: list, instancesFile: "i.csv") }
            == "\(foreign):3: row for n.onnx, p7.vnnlib is not in i.csv")
        let cut = try folder.write("d.csv", ResultsCSV.text([Self.row(1)]) + "n.onnx,p2.vnnlib,un")
        #expect(errorText { _ = try ResultsMerge(files: [cut], instances: nil) }?.hasPrefix("\(cut):3: last line has no newline") == true)
        #expect(errorText { _ = try ResultsMerge(files: [folder.path + "/none.csv"], instances: nil) }
            == "\(folder.path)/none.csv: cannot read file: no such file")
    }

    @Test func invalidCounterexampleRowsSurviveTheRoundTrip() throws {
        var row = Self.row(0, .sat)
        row.audit.counterexample = .invalid(reason: "output does not violate")
        #expect(row.correctText == "no")
        let back = try ResultsCSV.parse(text: ResultsCSV.text([row]), file: "r.csv")
        #expect(back.first?.correct == false)
        #expect(BenchmarkSummary(rows: back).invalidCounterexamples == 1)
    }
}
