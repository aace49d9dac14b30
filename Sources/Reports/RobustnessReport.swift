import DataFiles
import Foundation

/// A complete robustness report: what was checked, every per-(input, ε) result, the summaries and
/// the thresholds. Written to disk by ``ReportWriter`` as JSON, Markdown, JUnit XML and HTML.
public struct RobustnessReport: Sendable {
    /// Version of the JSON layout (Docs/report-schema.md); bumped on incompatible changes.
    public static let schemaVersion = 1

    /// Path of the model as given.
    public var modelPath: String
    public var inputCount: Int
    public var outputCount: Int
    /// Where the data came from and the shape of one sample.
    public var dataSource: String
    public var sampleShape: [Int]
    /// Number of samples evaluated.
    public var sampleCount: Int
    public var options: ReportOptions
    /// One entry per (input, ε), ordered by input, then ε ascending.
    public var results: [InputResult]
    /// The unperturbed inputs by sample index (for the HTML gallery).
    public var originals: [Int: [Double]]
    /// Per radius, ascending.
    public var summaries: [EpsilonSummary]
    public var thresholds: [ThresholdOutcome] = []
    /// With ``ReportOptions/tightness``: IBP tightness per output.
    public var tightness: TightnessSummary?
    /// When the run started, and its wall-clock seconds.
    public var startedAt: Date
    public var seconds: Double

    /// A report over `results`, with the summaries computed from them.
    public init(modelPath: String, inputCount: Int, outputCount: Int, dataSource: String, sampleShape: [Int],
                sampleCount: Int, options: ReportOptions, results: [InputResult], originals: [Int: [Double]],
                startedAt: Date, seconds: Double) {
        self.modelPath = modelPath
        self.inputCount = inputCount
        self.outputCount = outputCount
        self.dataSource = dataSource
        self.sampleShape = sampleShape
        self.sampleCount = sampleCount
        self.options = options
        self.results = results
        self.originals = originals
        self.startedAt = startedAt
        self.seconds = seconds
        summaries = options.epsilons.map { EpsilonSummary(epsilon: $0, results: results) }
    }

    /// Checks `thresholds` against the summaries and stores the outcomes.
    public mutating func check(_ thresholds: [Threshold]) {
        self.thresholds = thresholds.map { t in
            let summary = summaries.first { $0.epsilon == t.epsilon }?.overall ?? AccuracySummary([])
            return ThresholdOutcome(threshold: t, measured: t.metric.value(in: summary))
        }
    }

    /// True when every threshold holds (also when there are none).
    public var passed: Bool { thresholds.allSatisfy(\.passed) }

    /// Violations of `certified <= attack-robust <= clean` at a radius, or of monotonicity in ε
    /// (certified and attack-robust counts must not grow with ε); empty when consistent.
    public var inconsistencies: [String] {
        var problems = [String]()
        for s in summaries {
            let o = s.overall
            if !(o.certified.count <= o.attackRobust.count && o.attackRobust.count <= o.clean.count) {
                problems.append("at eps \(s.epsilon): certified \(o.certified.count), attack-robust \(o.attackRobust.count), clean \(o.clean.count) are not ordered")
            }
        }
        for r in results where r.lipschitzCertified == true && r.verdict == .falsified {
            problems.append("input \(r.index) at eps \(r.epsilon) is Lipschitz-certified and falsified")
        }
        for (a, b) in zip(summaries, summaries.dropFirst()) {
            if b.overall.certified.count > a.overall.certified.count || b.overall.attackRobust.count > a.overall.attackRobust.count {
                problems.append("from eps \(a.epsilon) to \(b.epsilon) a robust count grows")
            }
        }
        return problems
    }

    /// The image layout of the HTML gallery: ``ReportOptions/imageShape``, else one read from the
    /// sample shape (C×H×W with C 1 or 3, H×W, or a flat square of at least 8×8 values); nil when the
    /// inputs do not look like images (the gallery is then left out).
    public var galleryShape: ImageShape? {
        if let s = options.imageShape { return s }
        var dims = sampleShape
        while dims.count > 1, dims.first == 1 { dims.removeFirst() }
        guard let shape = ImageShape(sampleShape: dims) else { return nil }
        if dims.count == 1, shape.height < 8 { return nil }
        return shape
    }
}
