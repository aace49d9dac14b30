import Verifier

/// The results file of a benchmark run: header `onnx,vnnlib,verdict,seconds,expected,correct,float32`,
/// one row per instance; seconds with 2 decimals, `expected` empty when unknown to the run, `correct`
/// `yes`/`no`/empty (see `BenchmarkRow.correct`), `float32` the 2026 float32 check of a `sat`
/// counterexample (see `BenchmarkRow.float32Text`). Files without the last column are read too. Fields holding a comma, quote or surrounding
/// spaces are quoted.
public enum ResultsCSV {
    /// The header line (without newline).
    public static let header = "onnx,vnnlib,verdict,seconds,expected,correct,float32"
    /// The header of files written before the float32 column existed.
    static let headerWithoutFloat32 = "onnx,vnnlib,verdict,seconds,expected,correct"

    /// The whole file text for `rows`, each line ending with a newline.
    public static func text(_ rows: [BenchmarkRow]) -> String {
        ([header] + rows.map(line)).map { $0 + "\n" }.joined()
    }

    /// One data line (without newline).
    public static func line(_ row: BenchmarkRow) -> String {
        [row.onnx, row.vnnlib, row.verdict.rawValue, BenchmarkSummary.formatSeconds(row.seconds),
         row.expectedText, row.correctText, row.float32Text].map(CSVText.quote).joined(separator: ",")
    }

    /// Reads a results file written by `text(_:)` (or by hand in the same format).
    /// - Throws: `BenchmarkingError` naming `path:line` and what was wrong.
    public static func read(path: String) throws(BenchmarkingError) -> [BenchmarkRow] {
        try parse(text: CSVText.readFile(path), file: path)
    }

    /// Parses results text; `file` labels errors. Rows get an empty `detail`. The `correct` column
    /// must agree with the verdict and expected columns, except that `no` on a `sat` row records a
    /// counterexample that failed re-validation (the row's audit says so, and it scores as wrong).
    public static func parse(text: String, file: String) throws(BenchmarkingError) -> [BenchmarkRow] {
        try parseNumbered(text: text, file: file).map(\.row)
    }

    /// As ``parse(text:file:)``, with each row's 1-based line number.
    public static func parseNumbered(text: String, file: String) throws(BenchmarkingError) -> [(line: Int, row: BenchmarkRow)] {
        let lines = try CSVText.parse(text, file: file)
        guard let first = lines.first else { throw .noEntries(file: file, what: "header line") }
        var columns = header.split(separator: ",").map(String.init)
        if first.fields == headerWithoutFloat32.split(separator: ",").map(String.init) { columns.removeLast() }
        guard first.fields == columns else {
            throw .wrongHeader(SourceLocation(file: file, line: first.number), expected: header, found: first.text)
        }
        var rows = [(line: Int, row: BenchmarkRow)]()
        for line in lines.dropFirst() {
            let location = SourceLocation(file: file, line: line.number)
            let fields = line.fields
            guard fields.count == columns.count else {
                throw .wrongColumnCount(location, expected: columns, found: fields.count)
            }
            if fields[0].isEmpty { throw .emptyField(location, field: "onnx") }
            if fields[1].isEmpty { throw .emptyField(location, field: "vnnlib") }
            guard let verdict = Verdict(rawValue: fields[2]) else {
                throw .invalidVerdict(location, field: "verdict", text: fields[2], allowed: Verdict.allCases.map(\.rawValue))
            }
            guard let seconds = CSVText.decimal(fields[3]), seconds >= 0 else {
                throw .invalidSeconds(location, text: fields[3])
            }
            var expected: ExpectedVerdict?
            if !fields[4].isEmpty {
                guard let value = ExpectedVerdict(rawValue: fields[4]) else {
                    throw .invalidVerdict(location, field: "expected", text: fields[4],
                                          allowed: ExpectedVerdict.allCases.map(\.rawValue) + ["(empty)"])
                }
                expected = value
            }
            var row = BenchmarkRow(onnx: fields[0], vnnlib: fields[1], verdict: verdict, seconds: seconds, expected: expected)
            if fields[5] == "no", verdict == .sat, row.correctText != "no" {
                row.audit.counterexample = .invalid(reason: "recorded as an invalid counterexample at \(location)")
            }
            if fields.count > 6, !fields[6].isEmpty {
                guard let check = Float32Check(rawValue: fields[6]) else {
                    throw .invalidVerdict(location, field: "float32", text: fields[6],
                                          allowed: Float32Check.allCases.map(\.rawValue) + ["(empty)"])
                }
                row.audit.float32 = check
            }
            guard fields[5] == row.correctText else {
                throw .inconsistentCorrectColumn(location, found: fields[5], computed: row.correctText)
            }
            rows.append((line: line.number, row: row))
        }
        return rows
    }
}
