import NNGraph

/// One attack problem: where to search and what to achieve there.
public struct AttackProblem: Sendable, Equatable {
    public var region: AttackRegion
    public var goal: AttackGoal

    public init(region: AttackRegion, goal: AttackGoal) {
        self.region = region
        self.goal = goal
    }
}

/// A validated adversarial input: inside the region, and the network's output there (recomputed
/// from scratch) achieves the goal.
public struct Adversarial: Sendable, Equatable {
    public let input: [Double]
    public let output: [Double]
    /// Distances from the region's origin.
    public let linfDistance: Double
    public let l2Distance: Double
}

/// Why a candidate was not accepted as adversarial.
public enum AdversarialRejection: Error, Equatable, CustomStringConvertible {
    case wrongSize(expected: Int, got: Int)
    case notFinite(index: Int)
    case outsideRegion(index: Int?)
    case goalNotAchieved(output: [Double])

    public var description: String {
        switch self {
        case .wrongSize(let e, let g): return "candidate has \(g) values, the model takes \(e)"
        case .notFinite(let i): return "candidate value \(i) is not finite"
        case .outsideRegion(let i?): return "candidate value \(i) lies outside the allowed box"
        case .outsideRegion(nil): return "candidate lies outside the allowed ball"
        case .goalNotAchieved: return "the network's output at the candidate does not achieve the goal"
        }
    }
}

/// Re-checks a candidate by concrete evaluation, independent of how it was found: finite values,
/// membership of the region with no tolerance, and the goal on the freshly computed output.
public func validateAdversarial(_ x: [Double], network: Network, problem: AttackProblem) -> Result<Adversarial, AdversarialRejection> {
    let region = problem.region
    guard x.count == network.inputSize, x.count == region.dimension else {
        return .failure(.wrongSize(expected: network.inputSize, got: x.count))
    }
    if let i = x.firstIndex(where: { !$0.isFinite }) { return .failure(.notFinite(index: i)) }
    if let i = x.indices.first(where: { !(region.lower[$0] <= x[$0] && x[$0] <= region.upper[$0]) }) {
        return .failure(.outsideRegion(index: i))
    }
    guard region.contains(x) else { return .failure(.outsideRegion(index: nil)) }
    let y = (try? network.evaluate(x)) ?? []
    guard !y.isEmpty, problem.goal.isAchieved(by: y) else { return .failure(.goalNotAchieved(output: y)) }
    return .success(Adversarial(input: x, output: y, linfDistance: region.linfDistance(x), l2Distance: region.l2Distance(x)))
}

/// The outcome of an attack on one problem.
public struct AttackOutcome: Sendable, Equatable {
    /// The validated adversarial input, or nil when none was found.
    public var adversarial: Adversarial?
    /// Candidates the attack proposed that failed validation (expected to stay 0; a positive count
    /// points at numerical trouble such as outputs that differ between batch and single evaluation).
    public var rejected: Int = 0
    /// Gradient evaluations spent on this problem (forward and backward pass of one point).
    public var gradientEvaluations: Int = 0
    /// Carlini–Wagner only: the closest point found that achieves the goal inside the box but lies
    /// outside an L2 ball of radius ε (so it does not count), as its L2 distance.
    public var closestOutsideBall: Double?

    public init() {}
}

/// Validates the candidates of an attack run and builds the outcomes.
func outcomes(network: Network, problems: [AttackProblem], candidates: [[Double]?], evaluations: [Int]) -> [AttackOutcome] {
    problems.indices.map { p in
        var outcome = AttackOutcome()
        outcome.gradientEvaluations = evaluations[p]
        if let x = candidates[p] {
            switch validateAdversarial(x, network: network, problem: problems[p]) {
            case .success(let a): outcome.adversarial = a
            case .failure: outcome.rejected = 1
            }
        }
        return outcome
    }
}
