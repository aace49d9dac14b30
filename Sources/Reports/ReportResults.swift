import Foundation

/// The outcome for one labelled input at one radius.
public enum InputVerdict: String, Sendable, CaseIterable, Codable {
    /// Classified correctly, and the verifier proved every point of the ball keeps the label.
    case certified
    /// Classified correctly, but a validated counterexample in the ball changes the label (or ties it).
    case falsified
    /// Classified correctly; neither proven nor falsified within the time budget.
    case unknown
    /// The unperturbed input is already classified wrongly (or with a tie for the top output).
    case misclassified
}

/// A validated counterexample: a point of the ball whose output no longer ranks the label strictly first.
public struct Counterexample: Sendable, Equatable {
    /// The adversarial input (same layout as the data sample).
    public var input: [Double]
    /// The class with the largest output at `input` (the first on ties).
    public var predicted: Int
    /// Distances from the unperturbed input.
    public var linfDistance: Double
    public var l2Distance: Double

    /// A counterexample with the given fields (not re-checked).
    public init(input: [Double], predicted: Int, linfDistance: Double, l2Distance: Double) {
        self.input = input
        self.predicted = predicted
        self.linfDistance = linfDistance
        self.l2Distance = l2Distance
    }
}

/// The result for one (input, ε) pair.
public struct InputResult: Sendable, Equatable {
    /// Position of the sample in the data set (0-based).
    public var index: Int
    /// The CSV line of the sample, when known.
    public var line: Int?
    public var label: Int
    /// The clean prediction (the first largest output).
    public var predicted: Int
    public var epsilon: Double
    public var verdict: InputVerdict
    /// Which stage decided: "clean", "attack (pgd)", "bounds (CROWN)", "verifier: …", "inherited …".
    public var decidedBy: String
    /// CROWN lower bound of `min_{j≠label} (y_label − y_j)` over the ball's box; positive proves
    /// robustness. Nil when not computed (misclassified, or falsified before bounding).
    public var boundMargin: Double?
    public var counterexample: Counterexample?
    /// Wall-clock seconds spent on this pair.
    public var seconds: Double
    /// With ``ReportOptions/lipschitz``: the certified local Lipschitz bound of the margins over the
    /// ball (largest over the other classes), the Lipschitz-certified radius (capped at ε), and whether
    /// it certifies the ball (every `margin_j > L_j·ε`). Nil when not computed.
    public var lipschitzUpper: Double?
    public var lipschitzRadius: Double?
    public var lipschitzCertified: Bool?

    /// A result with the given fields.
    public init(index: Int, line: Int?, label: Int, predicted: Int, epsilon: Double, verdict: InputVerdict,
                decidedBy: String, boundMargin: Double?, counterexample: Counterexample?, seconds: Double) {
        self.index = index
        self.line = line
        self.label = label
        self.predicted = predicted
        self.epsilon = epsilon
        self.verdict = verdict
        self.decidedBy = decidedBy
        self.boundMargin = boundMargin
        self.counterexample = counterexample
        self.seconds = seconds
    }
}

/// A count and its share of all inputs.
public struct Rate: Sendable, Equatable {
    public var count: Int
    public var total: Int
    /// `count / total`, 0 for an empty total.
    public var fraction: Double { total == 0 ? 0 : Double(count) / Double(total) }
    public init(count: Int, total: Int) {
        self.count = count
        self.total = total
    }
}

/// Accuracies of one group of inputs (all inputs, or one class) at one radius.
public struct AccuracySummary: Sendable, Equatable {
    public var inputs: Int
    /// Correctly classified inputs.
    public var clean: Rate
    /// Correctly classified and not falsified (certified or unknown).
    public var attackRobust: Rate
    /// Certified inputs.
    public var certified: Rate
    /// Inputs left unknown.
    public var unknown: Rate
    /// Inputs falsified.
    public var falsified: Rate
    /// Inputs certified by their local Lipschitz bound (0 unless ``ReportOptions/lipschitz``).
    public var lipschitzCertified: Rate

    /// Counts the verdicts of `results` (all at one radius).
    public init(_ results: [InputResult]) {
        let n = results.count
        func rate(_ verdicts: Set<InputVerdict>) -> Rate { Rate(count: results.filter { verdicts.contains($0.verdict) }.count, total: n) }
        inputs = n
        clean = rate([.certified, .falsified, .unknown])
        attackRobust = rate([.certified, .unknown])
        certified = rate([.certified])
        unknown = rate([.unknown])
        falsified = rate([.falsified])
        lipschitzCertified = Rate(count: results.filter { $0.lipschitzCertified == true }.count, total: n)
    }
}

/// Accuracies of the inputs of one class at one radius.
public struct ClassSummary: Sendable, Equatable {
    public var label: Int
    public var summary: AccuracySummary
    public init(label: Int, summary: AccuracySummary) {
        self.label = label
        self.summary = summary
    }
}

/// Everything measured at one radius.
public struct EpsilonSummary: Sendable, Equatable {
    public var epsilon: Double
    public var overall: AccuracySummary
    /// One entry per class label present in the data, ascending.
    public var perClass: [ClassSummary]
    /// Wall-clock seconds spent on this radius (sum over its pairs).
    public var seconds: Double
    /// Median seconds per pair.
    public var medianSeconds: Double

    /// Aggregates the results at radius `epsilon`.
    public init(epsilon: Double, results: [InputResult]) {
        self.epsilon = epsilon
        let here = results.filter { $0.epsilon == epsilon }
        overall = AccuracySummary(here)
        perClass = Set(here.map(\.label)).sorted().map { label in
            ClassSummary(label: label, summary: AccuracySummary(here.filter { $0.label == label }))
        }
        seconds = here.reduce(0) { $0 + $1.seconds }
        let times = here.map(\.seconds).sorted()
        let m = times.count / 2
        medianSeconds = times.isEmpty ? 0 : (times.count % 2 == 1 ? times[m] : 0.5 * (times[m - 1] + times[m]))
    }
}
