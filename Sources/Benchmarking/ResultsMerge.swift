/// Shard results files combined into the results of one suite run.
///
/// Refuses rather than guesses: a file that is missing, malformed or ends in a partial line, two
/// rows for one instance (overlapping shards), and, given the instance list, a row for an instance
/// not in it or an instance without a row (a shard that never ran or did not finish) all throw,
/// naming the files and lines.
public struct ResultsMerge: Sendable {
    /// The merged rows: in instance-list order when one is given, else in file and line order.
    public var rows: [BenchmarkRow]
    /// Totals and VNN-COMP score over `rows` (the same summary `bench` prints).
    public var summary: BenchmarkSummary

    /// Merges `files`; `instances` (optional) is the full list the shards came from.
    public init(files: [String], instances: [Instance]?, instancesFile: String = "the instance list") throws(BenchmarkingError) {
        var first = [InstanceKey: SourceLocation]()
        var merged = [InstanceKey: BenchmarkRow]()
        var inFileOrder = [BenchmarkRow]()
        for file in files {
            guard InstanceList.isRegularFile(file) else { throw .unreadableFile(path: file, reason: "no such file") }
            let log = try ResultsLog.read(path: file)
            if let truncated = log.truncated {
                throw .truncatedLine(SourceLocation(file: file, line: truncated.line), text: truncated.text)
            }
            if log.completeLength == 0 { throw .noEntries(file: file, what: "header line") }
            for (line, row) in log.rows {
                let key = InstanceKey(onnx: row.onnx, vnnlib: row.vnnlib)
                let location = SourceLocation(file: file, line: line)
                if let earlier = first[key] {
                    throw .duplicateRow(location, onnx: row.onnx, vnnlib: row.vnnlib, first: earlier)
                }
                first[key] = location
                merged[key] = row
                inFileOrder.append(row)
            }
        }
        guard let instances else {
            rows = inFileOrder
            summary = BenchmarkSummary(rows: rows)
            return
        }
        try InstanceKey.requireDistinct(instances)
        let listed = Set(instances.map(InstanceKey.init))
        for (key, location) in first.sorted(by: { ($0.value.file, $0.value.line) < ($1.value.file, $1.value.line) })
        where !listed.contains(key) {
            throw .unexpectedRow(location, onnx: key.onnx, vnnlib: key.vnnlib, reason: "is not in \(instancesFile)")
        }
        let missing = instances.filter { merged[InstanceKey($0)] == nil }
        if !missing.isEmpty {
            throw .missingRows(instancesFile: instancesFile, count: missing.count,
                               shown: missing.prefix(5).map { "\($0.location) \($0.onnxPath) \($0.vnnlibPath)" })
        }
        rows = instances.compactMap { merged[InstanceKey($0)] }
        summary = BenchmarkSummary(rows: rows)
    }
}
