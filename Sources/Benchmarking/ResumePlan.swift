/// What a `bench --resume` run still has to do: the rows a results file already holds for the
/// instances to run, and the instances without a row.
///
/// The file must belong to this run: every complete row must name one of the instances (of this
/// shard) exactly once; otherwise resuming would mix runs, so it throws and names the line. A
/// partial last line (a run killed while appending it) is dropped: ``note`` says so, and its
/// instance runs again.
public struct ResumePlan: Sendable {
    /// Rows already finished, in file order.
    public var finished: [BenchmarkRow]
    /// Instances still to run, in csv order.
    public var remaining: [Instance]
    /// Where appending continues (bytes of complete lines to keep).
    public var keepBytes: Int
    /// A message for people about a dropped partial line, or `nil`.
    public var note: String?

    /// Plans the resumption of `instances` from the results file at `path` (missing: start afresh).
    /// - Throws: `BenchmarkingError` for a malformed complete row, a duplicate row, or a row naming
    ///   an instance outside `instances`.
    public init(path: String, instances: [Instance]) throws(BenchmarkingError) {
        try InstanceKey.requireDistinct(instances)
        let log = try ResultsLog.read(path: path)
        let done = try log.indexed()
        let wanted = Set(instances.map(InstanceKey.init))
        for entry in log.rows where !wanted.contains(InstanceKey(onnx: entry.row.onnx, vnnlib: entry.row.vnnlib)) {
            throw .unexpectedRow(SourceLocation(file: path, line: entry.line), onnx: entry.row.onnx, vnnlib: entry.row.vnnlib,
                                 reason: "is not among the instances of this run (a different instances csv or --shard?)")
        }
        finished = log.rows.map(\.row)
        remaining = instances.filter { done[InstanceKey($0)] == nil }
        keepBytes = log.completeLength
        note = log.truncated.map { line, text in
            "\(path):\(line): dropped a partial last line (the previous run was killed while writing it): '\(text)'; its instance runs again"
        }
    }
}
