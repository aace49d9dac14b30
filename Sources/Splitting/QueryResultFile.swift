import Benchmarking
import Foundation
import Verifier

/// Reads the result file `verify` writes for a VNN-LIB 2.0 query (the standard's output): the
/// verdict (`sat`, `unsat`, `unknown`, `timed-out`; also `timeout`, `error`), and after `sat` every
/// declared tensor as a `NAME TYPE [SHAPE]` line followed by one value a line. The witness is the
/// tensor named `input` (``HiddenQueryWriter`` calls the network input `X`); its values are the
/// counterexample, which the merge validates against the original anyway.
public enum QueryResultFile {
    /// - Throws: ``SplitError/badFolder(path:problem:)`` naming `file` and the line on malformed text.
    public static func parse(_ text: String, file: String, input: String = "X") throws(SplitError) -> ResultFile {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        func bad(_ line: Int, _ problem: String) -> SplitError { .badFolder(path: file, problem: "line \(line): \(problem)") }
        guard let first = lines.first, !first.isEmpty else { throw bad(1, "empty result file") }
        let verdicts: [String: Verdict] = ["sat": .sat, "unsat": .unsat, "unknown": .unknown, "timed-out": .timeout,
                                           "timeout": .timeout, "error": .error]
        guard let verdict = verdicts[first] else { throw bad(1, "expected sat, unsat, unknown or timed-out, found '\(first)'") }
        guard verdict == .sat else { return ResultFile(verdict: verdict, witness: nil) }
        var values: [Double]?
        var i = 1
        while i < lines.count {
            if lines[i].isEmpty { i += 1; continue }
            let header = lines[i].split(separator: " ", maxSplits: 2).map(String.init)
            guard header.count == 3, header[2].hasPrefix("["), header[2].hasSuffix("]") else {
                throw bad(i + 1, "expected NAME TYPE [SHAPE], found '\(lines[i])'")
            }
            let dims = header[2].dropFirst().dropLast().split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard dims.allSatisfy({ ($0 ?? -1) >= 0 }) else { throw bad(i + 1, "malformed shape '\(header[2])'") }
            let count = dims.reduce(1) { $0 * $1! }
            var tensor = [Double]()
            for k in 0..<count {
                let at = i + 1 + k
                guard at < lines.count, let v = Double(lines[at]), v.isFinite else {
                    throw bad(at + 1, "expected value \(k + 1) of \(count) of \(header[0])")
                }
                tensor.append(v)
            }
            if header[0] == input { values = tensor }
            i += 1 + count
        }
        guard let x = values else { throw bad(lines.count, "sat without the input tensor \(input)") }
        return ResultFile(verdict: .sat, witness: Witness(input: x, output: []))
    }
}
