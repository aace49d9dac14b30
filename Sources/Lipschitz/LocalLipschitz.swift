import Foundation
import LinearAlgebra
import NNGraph

/// Options of one local Lipschitz computation.
public struct LipschitzOptions: Sendable {
    /// Branch-and-bound over unstable derivatives (``JacobianBranchOptions``); `maxDomains = 1` turns it off.
    public var branching = JacobianBranchOptions()
    /// Networks with at most this many inputs also get branch-and-bound over the input box
    /// (``InputSplitting``) after the derivative branch-and-bound, with two thirds of the time.
    public var inputSplitDimensions = 16
    /// Parts of the input box bounded at most, per output.
    public var inputSplitMaxParts = 20000
    /// Lower-bound search: random starts and ascent steps per start (``GradientSearch``).
    public var searchStarts = 16
    public var searchSteps = 24
    public var seed: UInt64 = 1
    /// Pre-activation bounds from α-CROWN (optimised slopes) rather than CROWN, for at most
    /// `optimiseShare` of the time (only with a deadline): fewer unstable neurons, tighter Jacobian bounds.
    public var optimisePreActivations = true
    public var optimiseShare = 0.25

    public init() {}
}

/// The Lipschitz bounds of one scalar output `c·y` over a region, in the dual of the input norm.
public struct LipschitzBound: Sendable, Equatable {
    /// Certified: `‖∇(c·y)‖_* ≤ upper` for every Clarke gradient in the region, so
    /// `|c·y(x) − c·y(x')| ≤ upper·‖x − x'‖` for `x, x'` in the region.
    public var upper: Double
    /// The certified bound of the first pass (interval, and linear unless turned off), before branch-and-bound.
    public var initialUpper: Double
    /// Estimated from below: the dual norm of the gradient at `lowerPoint` (a point of the region).
    public var lower: Double
    public var lowerPoint: [Double]
    /// The naive global bound (product of operator norms), valid everywhere.
    public var global: Double
    /// Subdomains bounded by branch-and-bound, and whether it ran out of neurons to split.
    public var domains: Int
    public var complete: Bool
}

/// Certified local Lipschitz constants of a network over a region (Shi et al., "Efficiently Computing
/// Local Lipschitz Constants of Neural Networks via Bound Propagation", NeurIPS 2022): pre-activation
/// bounds from CROWN give each activation's derivative range over the region, an interval pass through
/// the Jacobian graph encloses every gradient, linear bound propagation through the same graph
/// (``LinearJacobian``) tightens it, and branch-and-bound over the derivative values of unstable neurons
/// tightens the enclosure further.
public struct LocalLipschitz: Sendable {
    public let graph: JacobianNetwork

    /// Throws ``LipschitzError/unsupportedOperators(_:)`` naming every node that cannot be handled.
    public init(network: Network) throws {
        graph = try JacobianNetwork(network)
    }

    public var network: Network { graph.network }

    /// Bounds for every objective row over one region. The pre-activation bounds are computed once;
    /// the deadline is shared evenly among the rows still to do.
    public func bounds(objectives: [[Double]], region: LipschitzRegion, options: LipschitzOptions = LipschitzOptions(),
                       deadline: Date? = nil) throws -> (bounds: [LipschitzBound], unstable: Int) {
        guard region.dimension == network.inputSize else {
            throw LipschitzError.invalidRegion("the region has \(region.dimension) values, the network takes \(network.inputSize)")
        }
        for c in objectives where c.count != network.outputSize || !c.allSatisfy(\.isFinite) {
            throw LipschitzError.invalidObjective("an objective row has \(c.count) values, the network has \(network.outputSize) outputs")
        }
        // α-CROWN pre-activation bounds may take this share of the time (none without a deadline).
        let optimiseUntil = options.optimisePreActivations
            ? deadline.map { Date().addingTimeInterval(max(0, $0.timeIntervalSinceNow) * options.optimiseShare) } : nil
        let derivatives = RegionDerivatives(graph: graph, lower: region.lower, upper: region.upper, deadline: deadline,
                                            optimiseUntil: optimiseUntil)
        let globalK = graph.globalConstant(norm: region.norm)
        let search = GradientSearch(network: network, region: region, starts: options.searchStarts, steps: options.searchSteps,
                                    seed: options.seed)
        let bab = JacobianBranchAndBound(graph: graph, derivatives: derivatives, norm: region.norm)
        var results = [LipschitzBound]()
        for (k, c) in objectives.enumerated() {
            // This row's share of the time left; the search may take a third of it.
            let share = deadline.map { d in Date().addingTimeInterval(max(0, d.timeIntervalSinceNow) / Double(objectives.count - k)) }
            let searchEnd = share.map { Date().addingTimeInterval($0.timeIntervalSinceNow / 3) }
            let best = search.run(objective: c, deadline: searchEnd)
            let splitInputs = network.inputSize <= options.inputSplitDimensions
            let babEnd = splitInputs ? share.map { Date().addingTimeInterval($0.timeIntervalSinceNow / 3) } : share
            var outcome = bab.run(objective: c, knownLower: best.value, options: options.branching, deadline: babEnd)
            if splitInputs && outcome.upper > best.value * (1 + options.branching.relativeGap) {
                let norm = region.norm
                var splitter = InputSplitting(graph: graph, measure: { norm.dualUpperBound(lower: $0, upper: $1) })
                splitter.relaxation = options.branching.relaxation
                splitter.linearNorm = norm
                let split = splitter.run(lower: region.lower, upper: region.upper, objective: c, target: best.value * (1 + options.branching.relativeGap),
                         maxParts: options.inputSplitMaxParts, deadline: share)
                outcome.upper = min(outcome.upper, split.upper)
                outcome.domains += split.parts
            }
            let global = region.norm.dualUpperBound(lower: c[...], upper: c[...]) * globalK * (1 + 4 * Double.ulpOfOne)
            results.append(LipschitzBound(upper: outcome.upper, initialUpper: outcome.initial, lower: best.value,
                                          lowerPoint: best.point, global: global, domains: outcome.domains,
                                          complete: outcome.complete))
        }
        return (results, derivatives.unstableCount)
    }
}
