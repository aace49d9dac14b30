import Foundation

/// Why a robustness report cannot be made: bad settings, bad data or a file that cannot be written.
/// Every case carries what was given and what was expected.
public enum ReportError: Error, CustomStringConvertible, Equatable {
    /// A bad `--eps` list (empty, not a number, negative, repeated).
    case invalidEpsilons(given: String, reason: String)
    /// A bad `--fail-under` threshold.
    case invalidThreshold(given: String, reason: String)
    /// Another bad setting (range, timeout, image shape, ...).
    case invalidOption(String)
    /// A data sample that does not fit the settings (e.g. outside the valid range).
    case invalidSample(source: String, index: Int, line: Int?, reason: String)
    /// An output file or directory that cannot be written.
    case cannotWrite(path: String, reason: String)

    public var description: String {
        switch self {
        case .invalidEpsilons(let given, let reason):
            return "bad epsilon list '\(given)': \(reason); expected comma-separated numbers >= 0 such as 0.01,0.02,0.03"
        case .invalidThreshold(let given, let reason):
            return "bad threshold '\(given)': \(reason); expected METRIC@EPS=MIN such as certified@0.02=0.80 (metrics: \(ThresholdMetric.allCases.map(\.rawValue).joined(separator: ", ")))"
        case .invalidOption(let message):
            return message
        case .invalidSample(let source, let index, let line, let reason):
            return "\(source), sample \(index)\(line.map { " (line \($0))" } ?? ""): \(reason)"
        case .cannotWrite(let path, let reason):
            return "cannot write '\(path)': \(reason)"
        }
    }
}
