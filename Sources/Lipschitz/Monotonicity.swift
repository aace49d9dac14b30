import Attacks
import Foundation
import LinearAlgebra
import NNGraph

/// The sign of one partial derivative to prove.
public enum MonotoneDirection: String, Sendable, CaseIterable {
    /// `∂y_out/∂x_in ≥ 0` everywhere in the region (y does not decrease when x_in grows).
    case increasing
    /// `∂y_out/∂x_in ≤ 0` everywhere in the region.
    case decreasing
}

/// The outcome of a monotonicity query.
public enum MonotonicityResult: Sendable, Equatable {
    /// Proven: every Clarke partial derivative has the sign over the region; `bound` is the certified
    /// lower bound of `±∂y/∂x` (≥ 0).
    case proven(bound: Double)
    /// Two points of the region that differ only in the input, `first` below `second` there, whose
    /// evaluated outputs violate the direction by `violation` (> 0).
    case violated(first: [Double], second: [Double], outputs: (Double, Double), violation: Double)
    /// Neither within the budget; `bound` is the best certified lower bound of `±∂y/∂x` (< 0).
    case unknown(bound: Double)

    public static func == (a: MonotonicityResult, b: MonotonicityResult) -> Bool {
        switch (a, b) {
        case let (.proven(x), .proven(y)), let (.unknown(x), .unknown(y)): return x == y
        case let (.violated(f1, s1, o1, v1), .violated(f2, s2, o2, v2)): return f1 == f2 && s1 == s2 && o1 == o2 && v1 == v2
        default: return false
        }
    }
}

extension LocalLipschitz {
    /// Proves that `y_output` is monotone in `x_input` in `direction` over the region (Shi et al. 2022,
    /// their second application), or finds two points violating it.
    ///
    /// Proof: the gradient row of `±y_output` is enclosed by the interval pass through the Jacobian graph;
    /// branch-and-bound over unstable derivatives (the entry is affine in each derivative value, so its
    /// minimum is at an end) raises the lower end of entry `input` until it is ≥ 0 everywhere, and for
    /// networks with few inputs, branch-and-bound over the input box (``InputSplitting``) after it. By the mean
    /// value theorem along the segment between two points that differ only in `x_input` (inside the
    /// box), a non-negative partial derivative means `y` does not decrease.
    ///
    /// Counterexample: at sampled points where the evaluated partial derivative has the wrong sign, a
    /// short step along `x_input` inside the box; reported only when the evaluated outputs differ in the
    /// wrong direction by more than `1e-9·(1 + |y|)` (far above the evaluation's rounding).
    public func monotonicity(input: Int, output: Int, direction: MonotoneDirection, region: LipschitzRegion,
                             options: LipschitzOptions = LipschitzOptions(), deadline: Date? = nil) throws -> MonotonicityResult {
        guard region.dimension == network.inputSize else {
            throw LipschitzError.invalidRegion("the region has \(region.dimension) values, the network takes \(network.inputSize)")
        }
        guard input >= 0 && input < network.inputSize else {
            throw LipschitzError.invalidObjective("input \(input) does not exist: the model has \(network.inputSize) inputs")
        }
        guard output >= 0 && output < network.outputSize else {
            throw LipschitzError.invalidObjective("output \(output) does not exist: the model has \(network.outputSize) outputs")
        }
        let sign: Double = direction == .increasing ? 1 : -1
        var c = [Double](repeating: 0, count: network.outputSize)
        c[output] = sign
        if let witness = counterexample(input: input, objective: c, region: region, seed: options.seed) { return witness }
        let derivatives = RegionDerivatives(graph: graph, lower: region.lower, upper: region.upper, deadline: deadline)
        // The measure is −(lower end of entry `input`); proving means bringing its maximum to ≤ 0.
        var bab = JacobianBranchAndBound(graph: graph, derivatives: derivatives) { lower, _ in -lower[lower.startIndex + input] }
        bab.signAware = true
        var branching = options.branching
        branching.relativeGap = 0
        let babEnd = network.inputSize <= options.inputSplitDimensions
            ? deadline.map { Date().addingTimeInterval($0.timeIntervalSinceNow / 3) } : deadline
        var upper = bab.run(objective: c, knownLower: 0, options: branching, deadline: babEnd).upper
        if upper > 0 && network.inputSize <= options.inputSplitDimensions {
            var split = InputSplitting(graph: graph) { lower, _ in -lower[lower.startIndex + input] }
            split.signAware = true
            split.relaxation = options.branching.relaxation
            upper = min(upper, split.run(lower: region.lower, upper: region.upper, objective: c, target: 0,
                                         maxParts: options.inputSplitMaxParts, deadline: deadline).upper)
        }
        return upper <= 0 ? .proven(bound: -upper) : .unknown(bound: -upper)
    }

    /// Sampled points (and the origin) where `c·∇y` has a negative entry `input`, checked by evaluation.
    func counterexample(input: Int, objective c: [Double], region: LipschitzRegion, seed: UInt64) -> MonotonicityResult? {
        let width = region.upper[input] - region.lower[input]
        guard width > 0 else { return nil }
        let search = GradientSearch(network: network, region: region, seed: seed)
        var rng = SplitMix(seed: seed &+ 7)
        var points = [region.origin]
        for _ in 0..<255 {
            var x = region.lower.indices.map { region.lower[$0] + (region.upper[$0] - region.lower[$0]) * rng.unit() }
            region.project(&x)
            points.append(x)
        }
        let gradients = search.gradients(points, c)
        for (x, g) in zip(points, gradients) where g[input] < 0 {
            for step in [width * 1e-3, width * 1e-2, width * 0.1] {
                var first = x, second = x
                if x[input] + step <= region.upper[input] { second[input] = x[input] + step } else { first[input] = x[input] - step }
                region.project(&first)
                region.project(&second)
                guard first[input] < second[input] else { continue }
                let y = network.evaluate(Matrix(rowVectors: [first, second]))
                let a = zip(c, y.row(0)).reduce(0) { $0 + $1.0 * $1.1 }, b = zip(c, y.row(1)).reduce(0) { $0 + $1.0 * $1.1 }
                let violation = a - b
                if violation > 1e-9 * (1 + abs(a) + abs(b)) {
                    let o = c.firstIndex { $0 != 0 }!
                    return .violated(first: first, second: second, outputs: (y[0, o], y[1, o]), violation: violation)
                }
            }
        }
        return nil
    }
}
