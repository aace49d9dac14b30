import Foundation
import LinearAlgebra
import NNGraph

/// Settings of the slope and multiplier optimisation.
public struct BoundOptimisation: Sendable {
    /// Gradient steps (each one backward pass and one forward sweep).
    public var iterations: Int = 20
    /// Adam learning rates for α and β.
    public var alphaRate: Double = 0.1
    public var betaRate: Double = 0.05
    /// Stop as soon as every row's bound exceeds this value (e.g. 0 when proving).
    public var stopAbove: Double? = 0

    public init() {}
}

extension CROWN {
    /// Lower bounds of `C·y_target + d` over every domain (input box plus split constraints), with
    /// the ReLU lower slopes α and the split multipliers β chosen by projected gradient ascent (Adam)
    /// on each row's bound: alpha-CROWN and beta-CROWN (Xu et al. 2021, Wang et al. 2021).
    ///
    /// Every iterate is a sound bound (any α in [0, 1] and β ≥ 0 give one), so the best per row is
    /// kept. `bounds` must hold sound bounds for every value feeding an activation on every domain,
    /// already restricted by the splits.
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
        var adam = AdamState()
        let iterations = max(1, options.iterations)
        for step in 0..<iterations {
            let last = step == iterations - 1
            let (bound, ga, gb) = parameterisedBackward(from: target, coefficients: tiled, constant: constant, rowDomain: rowDomain,
                                                         input: input, bounds: bounds, splits: splits,
                                                         parameters: parameters, gradient: !last)
            best = best.map { Self.keepBetterRows($0, bound) } ?? bound
            if last { break }
            if let threshold = options.stopAbove, let b = best, b.lower.allSatisfy({ $0 > threshold }) { break }
            adam.step += 1
            for (i, g) in ga {
                guard var a = parameters.alpha[i] else { continue }
                adam.ascend(&a, gradient: g, key: "a\(i)", rate: options.alphaRate)
                for k in 0..<a.data.count { a.data[k] = min(max(a.data[k], 0), 1) }
                parameters.alpha[i] = a
            }
            for (v, g) in gb {
                guard var b = parameters.beta[v] else { continue }
                adam.ascend(&b, gradient: g, key: "b\(v)", rate: options.betaRate)
                for k in 0..<b.data.count { b.data[k] = max(b.data[k], 0) }
                parameters.beta[v] = b
            }
        }
        return (best!, parameters)
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
    /// Intermediate bounds of one input box with optimised slopes (full alpha-CROWN): value by value
    /// in order, the bounds of every neuron that straddles its activation's split point are
    /// re-derived with their own α, optimised for each bound separately, using the tightened bounds
    /// of the earlier values. At least as tight as ``intermediateBounds(input:known:reuseThrough:)``
    /// (the CROWN bounds are the starting point and are kept where better); costs
    /// `options.iterations` passes per value.
    public func optimisedIntermediateBounds(input: IntervalMatrix, known: [ValueID: IntervalMatrix] = [:],
                                            options: BoundOptimisation = BoundOptimisation()) -> [ValueID: IntervalMatrix] {
        precondition(input.rows == 1, "optimisedIntermediateBounds: one input box")
        var bounds = intermediateBounds(input: input, known: known)
        var settings = options
        settings.stopAbove = nil
        for v in boundedValues where v != 0 && !isExactFromInput(v) {
            guard var b = bounds[v] else { continue }
            let n = b.cols
            guard let t = refinementSplit[v] else { continue }  // α exists for ReLU inputs only
            let picks = (0..<n).filter { b.lower.data[$0] < t && b.upper.data[$0] > t }
            if picks.isEmpty { continue }
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
