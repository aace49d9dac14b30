import Verifier

/// A fixed-width text table of benchmark rows for terminals, printable line by line while a run is
/// in progress: the column widths come from the instances (known before any row is finished).
///
/// Columns: onnx and vnnlib (left-aligned, as wide as the longest path), verdict, seconds
/// (right-aligned, 2 decimals), expected, correct, float32; two spaces between columns; a row's `detail`,
/// if any, follows after two more spaces. Lines carry no trailing spaces and no newline.
public struct ResultsTable: Sendable, Equatable {
    /// Width of the onnx column.
    public var onnxWidth: Int
    /// Width of the vnnlib column.
    public var vnnlibWidth: Int
    /// Width of the seconds column.
    public var secondsWidth: Int

    private static let verdictWidth = 7   // "unknown", "timeout", "verdict"
    private static let expectedWidth = 8  // "expected"

    /// A table sized for the paths of `instances`.
    public init(instances: [Instance]) {
        self.init(onnxPaths: instances.map(\.onnxPath), vnnlibPaths: instances.map(\.vnnlibPath))
    }

    /// A table sized for already finished `rows` (e.g. read back from a results CSV).
    public init(rows: [BenchmarkRow]) {
        self.init(onnxPaths: rows.map(\.onnx), vnnlibPaths: rows.map(\.vnnlib))
        secondsWidth = max(secondsWidth, rows.map { BenchmarkSummary.formatSeconds($0.seconds).count }.max() ?? 0)
    }

    private init(onnxPaths: [String], vnnlibPaths: [String]) {
        onnxWidth = max("onnx".count, onnxPaths.map(\.count).max() ?? 0)
        vnnlibWidth = max("vnnlib".count, vnnlibPaths.map(\.count).max() ?? 0)
        secondsWidth = 8
    }

    /// The header line.
    public var header: String {
        format(["onnx", "vnnlib", "verdict", "seconds", "expected", "correct", "float32"], detail: "")
    }

    /// The line for `row`. Values longer than their column widen that line only.
    public func line(_ row: BenchmarkRow) -> String {
        format([row.onnx, row.vnnlib, row.verdict.rawValue, BenchmarkSummary.formatSeconds(row.seconds),
                row.expectedText, row.correctText, row.float32Text], detail: row.detail)
    }

    /// Header and all rows, each line ending with a newline.
    public func render(_ rows: [BenchmarkRow]) -> String {
        ([header] + rows.map(line)).map { $0 + "\n" }.joined()
    }

    private func format(_ cells: [String], detail: String) -> String {
        let widths = [onnxWidth, vnnlibWidth, Self.verdictWidth, secondsWidth, Self.expectedWidth, "correct".count,
                      Float32Check.allCases.map(\.rawValue.count).max() ?? 0]
        var parts = [String]()
        for (column, cell) in cells.enumerated() {
            let padding = String(repeating: " ", count: max(0, widths[column] - cell.count))
            parts.append(column == 3 ? padding + cell : cell + padding)
        }
        if !detail.isEmpty { parts.append(detail) }
        var text = parts.joined(separator: "  ")
        while text.last == " " { text.removeLast() }
        return text
    }
}
