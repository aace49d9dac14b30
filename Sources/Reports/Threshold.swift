import Foundation

/// The accuracies a threshold can constrain.
public enum ThresholdMetric: String, Sendable, CaseIterable {
    /// Clean accuracy (the same at every radius).
    case clean
    /// Attack (empirical) robust accuracy: correct and not falsified.
    case attack
    /// Certified (verified) robust accuracy.
    case certified
    /// Lipschitz-certified accuracy: correct, and the local Lipschitz bound of the margins certifies the ball.
    case lipschitz

    /// The measured value of this metric in `summary`.
    public func value(in summary: AccuracySummary) -> Double {
        switch self {
        case .clean: return summary.clean.fraction
        case .attack: return summary.attackRobust.fraction
        case .certified: return summary.certified.fraction
        case .lipschitz: return summary.lipschitzCertified.fraction
        }
    }
}

/// A `--fail-under` threshold: the metric at radius `epsilon` must be at least `minimum`.
public struct Threshold: Sendable, Equatable {
    /// The text the threshold was parsed from.
    public var text: String
    public var metric: ThresholdMetric
    public var epsilon: Double
    /// Lowest acceptable accuracy, in [0, 1].
    public var minimum: Double

    /// A threshold with the given fields (``text`` becomes `metric@eps=min`).
    public init(metric: ThresholdMetric, epsilon: Double, minimum: Double) {
        self.metric = metric
        self.epsilon = epsilon
        self.minimum = minimum
        self.text = "\(metric.rawValue)@\(epsilon)=\(minimum)"
    }

    /// Parses a comma-separated list such as `certified@0.02=0.80,attack@0.03=90%`. The accuracy is a
    /// fraction in [0, 1] or a percentage with `%`; `clean=0.9` may omit the radius. Every radius must
    /// be one of `epsilons`.
    public static func parseList(_ text: String, epsilons: [Double]) throws -> [Threshold] {
        try text.split(separator: ",").map { try parse(String($0).trimmingCharacters(in: .whitespaces), epsilons: epsilons) }
    }

    /// Parses one `METRIC@EPS=MIN`; see ``parseList(_:epsilons:)``.
    public static func parse(_ text: String, epsilons: [Double]) throws -> Threshold {
        func fail(_ reason: String) -> ReportError { .invalidThreshold(given: text, reason: reason) }
        let sides = text.split(separator: "=", omittingEmptySubsequences: false)
        guard sides.count == 2 else { throw fail("expected exactly one '='") }
        let left = sides[0].split(separator: "@", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard left.count <= 2 else { throw fail("expected at most one '@'") }
        let metricName = left[0].lowercased() == "attack-robust" ? "attack" : left[0].lowercased()
        guard let metric = ThresholdMetric(rawValue: metricName) else { throw fail("unknown metric '\(left[0])'") }
        var epsilon: Double
        if left.count == 2 {
            guard let e = Double(left[1]) else { throw fail("radius '\(left[1])' is not a number") }
            guard let match = epsilons.first(where: { abs($0 - e) <= 1e-12 * max(1, abs(e)) }) else {
                throw fail("radius \(left[1]) is not among the radii of --eps (\(epsilons.map { "\($0)" }.joined(separator: ", ")))")
            }
            epsilon = match
        } else {
            guard metric == .clean, let first = epsilons.first else { throw fail("metric '\(metric.rawValue)' needs a radius: \(metric.rawValue)@EPS=MIN") }
            epsilon = first
        }
        var valueText = sides[1].trimmingCharacters(in: .whitespaces)
        var scale = 1.0
        if valueText.hasSuffix("%") {
            valueText.removeLast()
            scale = 0.01
        }
        guard let raw = Double(valueText.trimmingCharacters(in: .whitespaces)), raw.isFinite else {
            throw fail("accuracy '\(sides[1])' is not a number")
        }
        let minimum = raw * scale
        guard (0...1).contains(minimum) else { throw fail("accuracy \(sides[1]) is outside 0...1 (or 0%...100%)") }
        var threshold = Threshold(metric: metric, epsilon: epsilon, minimum: minimum)
        threshold.text = text
        return threshold
    }
}

/// A threshold checked against a report.
public struct ThresholdOutcome: Sendable, Equatable {
    public var threshold: Threshold
    /// The measured accuracy.
    public var measured: Double
    /// `measured >= threshold.minimum`.
    public var passed: Bool { measured >= threshold.minimum }

    /// One line for people: `certified@0.02 >= 0.8: measured 0.72 (FAILED)`.
    public var message: String {
        let t = threshold
        return "\(t.metric.rawValue)@\(format(t.epsilon)) >= \(format(t.minimum)): measured \(format(measured)) (\(passed ? "passed" : "FAILED"))"
    }

    public init(threshold: Threshold, measured: Double) {
        self.threshold = threshold
        self.measured = measured
    }
}

/// Shortest decimal text of `x` with at most 4 decimals (`0.8`, `0.8125`, `0.0333`).
func format(_ x: Double) -> String {
    guard x.isFinite else { return "\(x)" }
    var s = String(format: "%.4f", x)
    while s.contains("."), s.hasSuffix("0") { s.removeLast() }
    if s.hasSuffix(".") { s.removeLast() }
    return s
}
