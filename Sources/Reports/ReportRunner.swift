import Attacks
import Bounds
import DataFiles
import Foundation
import LinearAlgebra
import Lipschitz
import NNGraph
import Verifier

/// Progress of a run: samples finished out of all, and an estimate of the seconds left.
public struct ReportProgress: Sendable {
    public var done: Int
    public var total: Int
    public var elapsed: Double
    /// Seconds left, extrapolated from the mean time per finished sample; nil before the first.
    public var remaining: Double? { done == 0 ? nil : elapsed / Double(done) * Double(total - done) }
}

/// Runs a robustness report: for every labelled input, the clean prediction; then for every radius
/// ε (ascending) the attack, the CROWN bound margin, and, if still open, the ``Verifier`` on the
/// ball ∩ valid range under ``ReportOptions/timeoutPerInput``.
///
/// Results are consistent by construction: a counterexample at ε is one at every larger ε (the balls
/// are nested; it is re-validated there), and a proof at ε covers every smaller ε. Every
/// counterexample is validated by concrete evaluation before it counts.
public struct ReportRunner: Sendable {
    public let network: Network
    public let options: ReportOptions
    private let crown: CROWN
    /// With ``ReportOptions/lipschitz`` or ``ReportOptions/tightness``: the Jacobian bounds of the network.
    private let lipschitz: LocalLipschitz?

    /// A runner for `network` with `options` (checked with ``ReportOptions/validate()``). Throws
    /// ``ReportError/invalidOption(_:)`` when Lipschitz bounds or tightness are asked for and the
    /// network has an operator they do not support (the message names the node).
    public init(network: Network, options: ReportOptions) throws {
        try options.validate()
        self.network = network
        self.options = options
        self.crown = CROWN(network: network)
        if options.lipschitz || options.tightness {
            do { lipschitz = try LocalLipschitz(network: network) } catch {
                throw ReportError.invalidOption("Lipschitz bounds and tightness: \(error)")
            }
        } else {
            lipschitz = nil
        }
    }

    /// Evaluates every sample of `data` (already checked against the model) and builds the report,
    /// ``ReportOptions/jobs`` samples at a time. `progress` is called after each sample (one call at
    /// a time, in completion order).
    public func run(data: LabelledData, modelPath: String,
                    progress: (@Sendable (ReportProgress) -> Void)? = nil) throws -> RobustnessReport {
        let start = Date()
        let count = data.count
        let box = SampleResults(count: count)
        let work: @Sendable () -> Void = {
            while let i = box.nextSample() {
                let outcome = Result { try self.evaluate(sample: i, data: data) }
                let done = box.store(i, outcome)
                box.serially { progress?(ReportProgress(done: done, total: count, elapsed: Date().timeIntervalSince(start))) }
            }
        }
        let workers = max(1, min(options.jobs, count))
        if workers == 1 {
            work()
        } else {
            Matrix.setBLASThreads(1)  // process-wide: one thread for every sample's BLAS work, attacks included
            DispatchQueue.concurrentPerform(iterations: workers) { _ in work() }
        }
        var results = [InputResult]()
        var originals = [Int: [Double]]()
        for i in 0..<count {
            originals[i] = data.inputs[i]
            results += try box.outcome(i).get()
        }
        var report = RobustnessReport(modelPath: modelPath, inputCount: network.inputSize, outputCount: network.outputSize,
                                      dataSource: data.source, sampleShape: data.sampleShape, sampleCount: count,
                                      options: options, results: results, originals: originals,
                                      startedAt: start, seconds: Date().timeIntervalSince(start))
        if options.tightness, let graph = lipschitz?.graph {
            report.tightness = TightnessSummary(global: graph.globalTightness(),
                                                local: TightnessSummary.mean(data.inputs.map(graph.localTightness(at:))))
            report.seconds = Date().timeIntervalSince(start)
        }
        return report
    }

    /// The results of one sample at every radius.
    func evaluate(sample i: Int, data: LabelledData) throws -> [InputResult] {
        let x = data.inputs[i], label = data.labels[i]
        let line = data.lineNumbers.flatMap { i < $0.count ? $0[i] : nil }
        let cleanStart = Date()
        let y = try network.evaluate(x)
        let predicted = Self.argmax(y)
        let template = InputResult(index: i, line: line, label: label, predicted: predicted, epsilon: 0, verdict: .misclassified,
                                   decidedBy: "clean", boundMargin: nil, counterexample: nil, seconds: 0)
        guard Self.ranksFirst(label, in: y) else {
            let share = Date().timeIntervalSince(cleanStart) / Double(options.epsilons.count)
            return options.epsilons.map { e in var r = template; r.epsilon = e; r.seconds = share; return r }
        }
        let n = x.count
        let validLower = [Double](repeating: options.validLower, count: n)
        let validUpper = [Double](repeating: options.validUpper, count: n)
        var results = [InputResult]()
        var known: Adversarial?
        var openFrom: Double?
        for epsilon in options.epsilons {
            let pairStart = Date()
            var r = template
            r.epsilon = epsilon
            let region: AttackRegion
            do {
                region = try AttackRegion(around: x, norm: options.norm, epsilon: epsilon, validLower: validLower, validUpper: validUpper)
            } catch {
                throw ReportError.invalidSample(source: data.source, index: i, line: line, reason: "\(error); adjust the valid range")
            }
            let problem = AttackProblem(region: region, goal: .untargeted(label: label))
            let deadline = pairStart.addingTimeInterval(options.timeoutPerInput)
            // 1. A counterexample from a smaller radius, else the attack.
            if let a = known, case .success(let again) = validateAdversarial(a.input, network: network, problem: problem) {
                r.verdict = .falsified
                r.decidedBy = "counterexample of a smaller radius"
                r.counterexample = Self.counterexample(again)
            } else if let attack = options.attack,
                      let a = attack.run(network, [problem], deadline: pairStart.addingTimeInterval(0.5 * options.timeoutPerInput)).first?.adversarial {
                known = a
                r.verdict = .falsified
                r.decidedBy = "attack (\(attack.name))"
                r.counterexample = Self.counterexample(a)
            } else {
                // 2. Bounds, then the verifier on the box around the ball.
                r.boundMargin = RobustnessSpecification.boundMargin(crown, label: label, lower: region.lower, upper: region.upper)
                if let m = r.boundMargin, m > 0 {
                    r.verdict = .certified
                    r.decidedBy = "bounds (CROWN)"
                } else if let e = openFrom, options.skipVerificationAfterUnknown {
                    r.verdict = .unknown
                    r.decidedBy = "not verified: radius \(format(e)) was left unknown"
                } else {
                    (r.verdict, r.decidedBy, r.counterexample) = verify(region: region, label: label, deadline: deadline)
                    if r.verdict == .unknown { openFrom = openFrom ?? epsilon }
                    if let c = r.counterexample, case .success(let a) = validateAdversarial(c.input, network: network, problem: problem) {
                        known = a
                    }
                }
            }
            if let lipschitz { try bound(&r, with: lipschitz, x: x, label: label, sample: i, data: data) }
            r.seconds = Date().timeIntervalSince(results.isEmpty ? cleanStart : pairStart)  // the first pair includes the clean pass
            // A proof at this radius covers every smaller one.
            if r.verdict == .certified {
                for k in results.indices where results[k].verdict == .unknown {
                    results[k].verdict = .certified
                    results[k].decidedBy = "certified at the larger radius \(format(epsilon))"
                }
            }
            results.append(r)
        }
        return results
    }

    /// The local Lipschitz bound of the margins over the ball at `r.epsilon` and whether it certifies
    /// the ball: `margin_j − L_j·‖x − x₀‖ > 0` for all `‖x − x₀‖ ≤ ε` when every `margin_j > L_j·ε`
    /// (margins certified at the input by interval evaluation).
    private func bound(_ r: inout InputResult, with lipschitz: LocalLipschitz, x: [Double], label: Int,
                       sample i: Int, data: LabelledData) throws {
        let n = x.count
        let region: LipschitzRegion
        do {
            region = try LipschitzRegion(around: x, norm: options.norm == .l2 ? .l2 : .linf, eps: r.epsilon,
                                         validLower: [Double](repeating: options.validLower, count: n),
                                         validUpper: [Double](repeating: options.validUpper, count: n))
        } catch {
            throw ReportError.invalidSample(source: data.source, index: i, line: r.line, reason: "\(error); adjust the valid range")
        }
        let deadline = Date().addingTimeInterval(options.lipschitzShare * options.timeoutPerInput)
        let result = try lipschitz.analyse(region: region, index: i, label: label, selection: .margin, deadline: deadline)
        r.lipschitzUpper = result.upper
        r.lipschitzRadius = result.certifiedRadius
        r.lipschitzCertified = result.predicted == label
            && result.rows.allSatisfy { row in (row.marginAtOrigin ?? 0) > (row.upper * r.epsilon).nextUp }
    }

    /// Runs the verifier on the box of `region` (for L2, its bounding box: a proof holds for the ball;
    /// a witness counts only if it lies in the ball and changes the label).
    private func verify(region: AttackRegion, label: Int, deadline: Date) -> (InputVerdict, String, Counterexample?) {
        var verifierOptions = options.verifier
        if options.jobs > 1 { verifierOptions.blasThreads = 1 }  // the BLAS setting is process-wide
        verifierOptions.timeout = max(0.05, deadline.timeIntervalSinceNow)
        let spec = RobustnessSpecification.specification(label: label, classes: network.outputSize, lower: region.lower, upper: region.upper)
        let result = Verifier(options: verifierOptions).verify(network: network, specification: spec)
        switch result.verdict {
        case .unsat:
            return (.certified, "verifier: \(result.decidedBy)", nil)
        case .sat:
            if let w = result.witness, region.contains(w.input), let y = try? network.evaluate(w.input), !Self.ranksFirst(label, in: y) {
                let c = Counterexample(input: w.input, predicted: Self.argmax(y), linfDistance: region.linfDistance(w.input),
                                       l2Distance: region.l2Distance(w.input))
                return (.falsified, "verifier: \(result.decidedBy)", c)
            }
            return (.unknown, "verifier: a witness in the bounding box lies outside the ball", nil)
        case .unknown, .timeout, .error:
            return (.unknown, "verifier: \(result.verdict.rawValue) (\(result.decidedBy))", nil)
        }
    }

    static func counterexample(_ a: Adversarial) -> Counterexample {
        Counterexample(input: a.input, predicted: argmax(a.output), linfDistance: a.linfDistance, l2Distance: a.l2Distance)
    }

    /// Index of the first largest output.
    static func argmax(_ y: [Double]) -> Int {
        var best = 0
        for j in y.indices where y[j] > y[best] { best = j }
        return best
    }

    /// True when `label`'s output is strictly larger than every other (NaN never ranks first).
    static func ranksFirst(_ label: Int, in y: [Double]) -> Bool {
        guard y.indices.contains(label), !y[label].isNaN else { return false }
        return y.indices.allSatisfy { $0 == label || y[$0] < y[label] }
    }
}

/// Per-sample results filled by the report's workers, with the next sample to take.
final class SampleResults: @unchecked Sendable {
    private var outcomes: [Result<[InputResult], any Error>?]
    private var next = 0
    private var done = 0
    private let lock = NSLock()
    private let callbackLock = NSLock()

    init(count: Int) { outcomes = Array(repeating: nil, count: count) }

    /// The next sample nobody has taken, or nil when all are taken.
    func nextSample() -> Int? {
        lock.lock(); defer { lock.unlock() }
        guard next < outcomes.count else { return nil }
        next += 1
        return next - 1
    }

    /// Stores sample `i`'s outcome; returns how many samples are done.
    func store(_ i: Int, _ outcome: Result<[InputResult], any Error>) -> Int {
        lock.lock(); defer { lock.unlock() }
        outcomes[i] = outcome
        done += 1
        return done
    }

    /// Runs `body` with no other `serially` body running.
    func serially(_ body: () -> Void) {
        callbackLock.lock(); defer { callbackLock.unlock() }
        body()
    }

    func outcome(_ i: Int) -> Result<[InputResult], any Error> {
        lock.lock(); defer { lock.unlock() }
        return outcomes[i] ?? .success([])
    }
}
