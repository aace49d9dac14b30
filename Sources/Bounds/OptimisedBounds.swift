import Foundation
import LinearAlgebra
import NNGraph

/// Settings of the slope and multiplier optimisation.
public struct BoundOptimisation: Sendable {
    /// Gradient steps (each one backward pass and one forward sweep).
    public var iterations: Int = 20
    /// Adam learning rates for the line parameters (ReLU slopes α, sigmoid/tanh tangent points, every
    /// ``LineFamily``'s parameters, all in [0, 1]) and for the split multipliers β.
    public var lineRate: Double = 0.1
    public var betaRate: Double = 0.05
    /// Stop as soon as every row's bound exceeds this value (e.g. 0 when proving).
    public var stopAbove: Double? = 0
    /// Stop iterating at this time (the best bound so far is returned; it is sound).
    public var deadline: Date?
    /// Asked where the deadline is: true stops the same way (e.g. when the process's resident memory is over
    /// its limit).
    public var stop: (@Sendable () -> Bool)?

    /// Whether the deadline has passed or ``stop`` says to stop.
    var isOver: Bool { deadline.map { Date() >= $0 } == true || stop?() == true }

    public init() {}
}

extension CROWN {
    /// Lower bounds of `C·y_target + d` over every domain (input box plus split constraints), with
    /// the ReLU lower slopes α, the split multipliers β and the sigmoid/tanh tangent points chosen by
    /// projected gradient ascent (Adam) on each row's bound: alpha-CROWN and beta-CROWN (Xu et al.
    /// 2021, Wang et al. 2021).
    ///
    /// Every iterate is a sound bound (any α and tangent parameter in [0, 1] and β ≥ 0 give one), so
    /// the best per row is kept. When a line family starts away from the fixed relaxation (sigmoid/tanh
    /// tangents across 0), the plain CROWN bound is the first candidate, so the result is never looser
    /// than CROWN. `bounds` must
    /// hold sound bounds for every value feeding an activation on every domain, already restricted
    /// by the splits.
    /// - Parameters:
    ///   - objective: `m x size(target)`, applied to every domain (`rows = domains · m`).
    ///   - start: parameters to start from (warm start), else ``initialParameters(rowDomain:bounds:splits:)``.
    /// - Returns: the best bound per row and the final parameters.
    public func optimisedLowerBound(of target: ValueID, objective c: Matrix, constant d: [Double], input: IntervalMatrix,
                                    bounds: [ValueID: IntervalMatrix], splits: SplitPattern = [:],
                                    start: BoundParameters? = nil, options: BoundOptimisation = BoundOptimisation())
        -> (bound: ParameterisedBound, parameters: BoundParameters) {
        let batch = input.rows, m = c.rows
        let rowDomain = (0..<(batch * m)).map { $0 / max(m, 1) }
        var constant = [Double](repeating: 0, count: batch * m)
        for b in 0..<batch { for i in 0..<m { constant[b * m + i] = d[i] } }
        let tiled = Matrix.vstack(Array(repeating: c, count: batch))
        var parameters = start ?? initialParameters(rowDomain: rowDomain, bounds: bounds, splits: splits)
        var best: ParameterisedBound?
        var cache = RelaxationCache()
        if startsAwayFromFixedRelaxation(bounds: bounds, cache: &cache) {
            let plain = backward(from: target, coefficients: tiled, constant: constant, rowDomain: rowDomain, input: input,
                                 bounds: bounds, lines: .fixed(variant: 0), cache: &cache)
            best = ParameterisedBound(lower: plain.lower, inputCoefficients: plain.coefficients, inputConstant: plain.constant,
                                      activationCoefficients: [:])
        }
        var adam = AdamState()
        let iterations = max(1, options.iterations)
        for step in 0..<iterations {
            // Past the deadline a bound is already in hand (CROWN's fixed relaxation, or an earlier step's):
            // return it rather than start another pass, which on a large network is seconds of overrun.
            if best != nil, options.isOver { break }
            let last = step == iterations - 1 || options.isOver
            let (bound, g) = parameterisedBackward(from: target, coefficients: tiled, constant: constant, rowDomain: rowDomain,
                                                   input: input, bounds: bounds, splits: splits,
                                                   parameters: parameters, gradient: !last, cache: &cache)
            best = best.map { Self.keepBetterRows($0, bound) } ?? bound
            if last { break }
            if let threshold = options.stopAbove, let b = best, b.lower.allSatisfy({ $0 > threshold }) { break }
            adam.step += 1
            Self.ascend(&parameters.lower, along: g.lower, key: "l", rate: options.lineRate, adam: &adam) { min(max($0, 0), 1) }
            Self.ascend(&parameters.upper, along: g.upper, key: "u", rate: options.lineRate, adam: &adam) { min(max($0, 0), 1) }
            Self.ascend(&parameters.beta, along: g.beta, key: "b", rate: options.betaRate, adam: &adam) { max($0, 0) }
        }
        return (best!, parameters)
    }

    /// Whether some activation's line family starts from lines other than its fixed relaxation (then the
    /// fixed relaxation's bound is kept as a candidate, so the result is never looser than CROWN's).
    func startsAwayFromFixedRelaxation(bounds: [ValueID: IntervalMatrix], cache: inout RelaxationCache) -> Bool {
        for (i, node) in network.nodes.enumerated() {
            guard let act = node.op as? any ElementwiseActivation, let pre = bounds[node.inputs[0]] else { continue }
            if let family = cache.family(node: i, act, pre: pre), !family.initialLinesAreFixedRelaxation { return true }
        }
        return false
    }

    /// One projected Adam ascent step on every parameter block that has a gradient.
    private static func ascend(_ blocks: inout [Int: Matrix], along gradient: [Int: Matrix], key: String, rate: Double,
                               adam: inout AdamState, project: (Double) -> Double) {
        for (i, g) in gradient {
            guard var x = blocks[i] else { continue }
            adam.ascend(&x, gradient: g, key: "\(key)\(i)", rate: rate)
            for k in 0..<x.data.count { x.data[k] = project(x.data[k]) }
            blocks[i] = x
        }
    }

    /// Row by row, the better of two sound bounds with its certificate; the branching coefficients
    /// are the latest pass's.
    static func keepBetterRows(_ a: ParameterisedBound, _ b: ParameterisedBound) -> ParameterisedBound {
        var out = a
        out.activationCoefficients = b.activationCoefficients
        let n = a.inputCoefficients.cols
        for r in 0..<a.lower.count where b.lower[r] > a.lower[r] {
            out.lower[r] = b.lower[r]
            out.inputConstant[r] = b.inputConstant[r]
            for j in 0..<n { out.inputCoefficients.data[r * n + j] = b.inputCoefficients.data[r * n + j] }
        }
        return out
    }
}

/// Adam moments keyed by parameter block.
struct AdamState {
    var step = 0
    var first = [String: [Double]]()
    var second = [String: [Double]]()

    /// One Adam ascent step on `x` along `gradient`.
    mutating func ascend(_ x: inout Matrix, gradient: Matrix, key: String, rate: Double) {
        let beta1 = 0.9, beta2 = 0.999, eps = 1e-8
        var m = first.removeValue(forKey: key) ?? [Double](repeating: 0, count: x.data.count)
        var v = second.removeValue(forKey: key) ?? [Double](repeating: 0, count: x.data.count)
        let c1 = 1 - pow(beta1, Double(step)), c2 = 1 - pow(beta2, Double(step))
        for k in 0..<x.data.count {
            let g = gradient.data[k]
            guard g.isFinite else { continue }
            m[k] = beta1 * m[k] + (1 - beta1) * g
            v[k] = beta2 * v[k] + (1 - beta2) * g * g
            x.data[k] += rate * (m[k] / c1) / ((v[k] / c2).squareRoot() + eps)
        }
        first[key] = m
        second[key] = v
    }
}

extension CROWN {
    /// Intermediate bounds of one input box with optimised relaxations (full alpha-CROWN): value by
    /// value in order, the bounds of every neuron whose relaxation is not exact — for ReLU inputs those
    /// straddling 0, for sigmoid/tanh inputs every neuron with a non-degenerate interval (at most
    /// `neuronLimit` of them, the widest) — are re-derived with their own α and tangent parameters,
    /// optimised for each bound separately, using the tightened bounds of the earlier values. At
    /// least as tight as ``intermediateBounds(input:known:reuseThrough:)`` (the CROWN bounds are the
    /// starting point and are kept where better); costs `options.iterations` passes per value. At
    /// `options.deadline` the remaining values keep their CROWN bounds, and so do values whose passes would
    /// exceed the ``BackwardBudget`` (large networks).
    ///
    /// With `after`, only the values after it are optimised (those up to it keep their CROWN bounds intersected
    /// with `known`): a caller that tightened the earlier values by other means re-optimises only what follows.
    public func optimisedIntermediateBounds(input: IntervalMatrix, known: [ValueID: IntervalMatrix] = [:],
                                            options: BoundOptimisation = BoundOptimisation(),
                                            neuronLimit: Int = .max, after: ValueID = 0) -> [ValueID: IntervalMatrix] {
        precondition(input.rows == 1, "optimisedIntermediateBounds: one input box")
        var bounds = intermediateBounds(input: input, known: known, deadline: options.deadline)
        var settings = options
        settings.stopAbove = nil
        var budget = BackwardBudget(network: network, variants: max(1, options.iterations), deadline: options.deadline)
        for v in boundedValues where v > after && !isExactFromInput(v) {
            if options.isOver { break }
            guard var b = bounds[v] else { continue }
            let n = b.cols
            var picks: [Int]
            let refine = needsRefinement(v, b)
            if readers[v]?.allSatisfy({ network.nodes[$0].op is any PiecewiseLinearActivation }) == true {
                picks = (0..<n).filter { refine[$0] }
            } else {
                picks = (0..<n).filter { refine[$0] && b.upper.data[$0] - b.lower.data[$0] > 1e-9 }
                if picks.count > neuronLimit {
                    picks = Array(picks.sorted { b.upper.data[$0] - b.lower.data[$0] > b.upper.data[$1] - b.lower.data[$1] }
                        .prefix(neuronLimit)).sorted()
                }
            }
            // Beyond the work budget (or one block's memory) the value keeps its CROWN bounds.
            if picks.isEmpty || !budget.admits(rows: 2 * picks.count, through: v)
                || budget.chunks(picks.count, through: v).count > 1 { continue }
            var c = Matrix(rows: 2 * picks.count, cols: n)
            for (k, j) in picks.enumerated() {
                c[2 * k, j] = 1
                c[2 * k + 1, j] = -1
            }
            let (result, _) = optimisedLowerBound(of: v, objective: c, constant: [Double](repeating: 0, count: c.rows),
                                                  input: input, bounds: bounds, options: settings)
            for (k, j) in picks.enumerated() {
                b.lower.data[j] = max(b.lower.data[j], result.lower[2 * k])
                b.upper.data[j] = min(b.upper.data[j], -result.lower[2 * k + 1])
            }
            bounds[v] = b
        }
        return bounds
    }
}
