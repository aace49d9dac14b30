import Attacks
import BranchAndBound
import Foundation
import LinearAlgebra
import NNGraph
import VNNLib

/// Options of a verification run.
public struct VerifierOptions: Sendable {
    /// Wall-clock budget in seconds for the whole run.
    public var timeout: Double = 60
    /// Share of the budget the falsification stage (PGD) may use before bounding starts.
    public var attackShare: Double = 0.1
    /// PGD settings of the falsification stage.
    public var attack = SpecPGDOptions()
    /// Input-split branch-and-bound settings.
    public var inputSplit = InputSplitOptions()
    /// Input-split branch-and-bound runs when at most this many inputs have a non-zero range; above
    /// it, splitting one input at a time cannot pay off, and the run bounds the whole box with CROWN
    /// and spends the rest of the budget on further PGD restarts.
    public var inputSplitMaxDimension: Int = 32

    public init() {}
}

/// Runs the verification pipeline on one network and specification under one time budget:
/// falsification by PGD on every case, then input-split branch-and-bound with CROWN bounds case by
/// case. `sat` is reported only with a witness that ``validateCounterexample(_:network:specification:)``
/// accepted; `unsat` only when every case was refuted by sound bounds.
public struct Verifier: Sendable {
    public var options: VerifierOptions

    public init(options: VerifierOptions = VerifierOptions()) { self.options = options }

    public func verify(network: Network, specification: Specification) -> VerificationResult {
        let start = Date()
        let deadline = start.addingTimeInterval(options.timeout)
        func elapsed() -> Double { Date().timeIntervalSince(start) }

        // 1. Falsification.
        let attackDeadline = start.addingTimeInterval(options.timeout * options.attackShare)
        for (i, specCase) in specification.cases.enumerated() {
            var attack = options.attack
            attack.seed = options.attack.seed &+ UInt64(i)
            if let x = specPGD(network, specCase, options: attack, deadline: attackDeadline),
               let witness = validateCounterexample(x, network: network, specification: specification) {
                return VerificationResult(verdict: .sat, witness: witness, seconds: elapsed(), decidedBy: "attack (PGD)")
            }
        }

        // 2. Bounds and branch-and-bound, case by case.
        Matrix.setBLASThreads(1)
        var splitOptions = options.inputSplit
        let freeDimensions = specification.cases.map { c in zip(c.box.lower, c.box.upper).filter { $0 < $1 }.count }.max() ?? 0
        if freeDimensions > options.inputSplitMaxDimension { splitOptions.maxDomains = 1 }
        let bab = InputSplitBranchAndBound(network: network, options: splitOptions)
        var stats = BranchAndBoundStatistics()
        var undecided: String?
        for specCase in specification.cases {
            switch bab.run(specCase, deadline: deadline, statistics: &stats) {
            case .verified:
                continue
            case .counterexample(let x):
                if let witness = validateCounterexample(x, network: network, specification: specification) {
                    return VerificationResult(verdict: .sat, witness: witness, seconds: elapsed(),
                                              decidedBy: "branch-and-bound", statistics: Self.describe(stats))
                }
                undecided = "a candidate counterexample failed validation"
            case .unknown(let reason):
                undecided = reason
                if freeDimensions > options.inputSplitMaxDimension,
                   let x = keepAttacking(network, specCase, until: deadline),
                   let witness = validateCounterexample(x, network: network, specification: specification) {
                    return VerificationResult(verdict: .sat, witness: witness, seconds: elapsed(),
                                              decidedBy: "attack (PGD, after bounds)", statistics: Self.describe(stats))
                }
            case .timeout:
                return VerificationResult(verdict: .timeout, seconds: elapsed(), decidedBy: "deadline",
                                          statistics: Self.describe(stats))
            }
        }
        if let reason = undecided {
            return VerificationResult(verdict: .unknown, seconds: elapsed(), decidedBy: reason, statistics: Self.describe(stats))
        }
        return VerificationResult(verdict: .unsat, seconds: elapsed(),
                                  decidedBy: stats.domainsBounded <= specification.cases.count ? "bounds (CROWN)" : "branch-and-bound",
                                  statistics: Self.describe(stats))
    }

    /// Further PGD rounds with fresh random starts until the deadline (at most 50 rounds).
    private func keepAttacking(_ network: Network, _ specCase: SpecCase, until deadline: Date) -> [Double]? {
        var attack = options.attack
        for round in 1...50 where Date() < deadline {
            attack.seed = options.attack.seed &+ UInt64(1000 * round)
            if let x = specPGD(network, specCase, options: attack, deadline: deadline) { return x }
        }
        return nil
    }

    static func describe(_ s: BranchAndBoundStatistics) -> [(String, String)] {
        [("domains bounded", "\(s.domainsBounded)"), ("batches", "\(s.batches)"), ("largest queue", "\(s.maxQueue)")]
    }
}
