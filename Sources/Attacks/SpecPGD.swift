import Foundation
import NNGraph
import VNNLib

/// Options of the projected-gradient attack on a specification's violation margin, as used by the
/// verifier's falsification stage and by branch-and-bound leaves.
public struct SpecPGDOptions: Sendable {
    /// Independent starts: the box centre first, then uniform random points.
    public var restarts: Int = 16
    /// Gradient steps per start.
    public var steps: Int = 60
    /// First step as a fraction of each dimension's box width; decays geometrically to `finalStep`.
    public var initialStep: Double = 0.1
    public var finalStep: Double = 0.001
    /// Seed of the random starts (runs are reproducible).
    public var seed: UInt64 = 0

    public init() {}
}

/// Projected gradient descent (signed-gradient L∞ steps) on the violation margin of one
/// ``SpecCase`` (see ``SpecCase/margin(_:)``), all restarts as one batch on the calling thread:
/// ``pgd(_:_:options:deadline:starts:)`` with the box as region.
///
/// Returns the first input found whose output violates the property, or nil. The result is a
/// *candidate*: the caller re-validates it by concrete evaluation before reporting `sat`.
/// - Parameter start: the first start instead of the box centre (e.g. a promising point found elsewhere).
public func specPGD(_ network: Network, _ specCase: SpecCase, options: SpecPGDOptions = SpecPGDOptions(),
                    deadline: Date = .distantFuture, start: [Double]? = nil) -> [Double]? {
    var pgdOptions = PGDOptions()
    pgdOptions.restarts = options.restarts
    pgdOptions.steps = options.steps
    // The region's L∞ scale is half the box width.
    pgdOptions.initialStep = 2 * options.initialStep
    pgdOptions.finalStep = 2 * options.finalStep
    pgdOptions.loss = .margin(confidence: 0)
    pgdOptions.seed = options.seed
    pgdOptions.threads = 1
    let problem = AttackProblem(region: AttackRegion(box: specCase.box), goal: .specification(specCase))
    return pgdCandidates(network, [problem], options: pgdOptions, deadline: deadline, starts: [start]).candidates[0]
}
