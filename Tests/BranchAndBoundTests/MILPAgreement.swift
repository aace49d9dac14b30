import NNGraph
import Testing
import VNNLib
@testable import BranchAndBound

/// How a branch-and-bound outcome compares with the exact MILP margin of the same case.
enum MILPAgreement {
    enum Decided { case sat, unsat }

    /// Records an issue when `outcome` contradicts `exact` (the case is violated iff `exact < 0`),
    /// when a counterexample is not one, or when the run did not decide; returns the verdict.
    static func check(_ outcome: BranchAndBoundOutcome, exact: Double, network: Network, specCase: SpecCase,
                      trial: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> Decided? {
        switch outcome {
        case .verified:
            #expect(exact > 0, "\(trial): proved a case whose exact margin is \(exact)", sourceLocation: sourceLocation)
            return .unsat
        case .counterexample(let x):
            #expect(exact < 0, "\(trial): counterexample but the exact margin is \(exact)", sourceLocation: sourceLocation)
            let y = try network.evaluate(x)
            #expect(specCase.box.contains(x) && specCase.isViolated(by: y), sourceLocation: sourceLocation)
            return .sat
        case .unknown(let reason):
            Issue.record("\(trial): unknown (\(reason)); exact margin \(exact)", sourceLocation: sourceLocation)
        case .timeout:
            Issue.record("\(trial): timeout; exact margin \(exact)", sourceLocation: sourceLocation)
        }
        return nil
    }
}
