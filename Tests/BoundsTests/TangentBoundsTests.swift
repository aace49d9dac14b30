import LinearAlgebra
import NNGraph
import Testing
import TestSupport
import VNNLib
@testable import Bounds

/// alpha-CROWN on sigmoid and tanh networks: the bound with any tangent parameters encloses sampled
/// values, its gradient matches finite differences, and optimising it is never looser than CROWN.
@Suite struct TangentBoundsTests {
    static let sShaped: [TestActivation] = [.sigmoid, .tanh]

    struct Case {
        let network: Network
        let box: InputBox
        let objective: Matrix
        let constant: [Double]
    }

    static func cases(_ count: Int, seed: UInt64, activation: TestActivation, sizes: [Int] = [8, 8]) -> [Case] {
        var rng = SeededGenerator(seed: seed)
        return (0..<count).map { k in
            let n = Int.random(in: 2...5, using: &rng)
            let net = RandomNetworks.mlp([n] + sizes + [3], activation: activation, extras: Bool.random(using: &rng),
                                         weightScale: [1, 2, 4][k % 3], using: &rng)
            let box = RandomNetworks.box(n, maxWidth: [0.3, 1, 2][k % 3], using: &rng)
            let c = Matrix(rows: 2, cols: 3, data: (0..<6).map { _ in rng.uniform(-1, 1) })
            return Case(network: net, box: box, objective: c, constant: [rng.uniform(-1, 1), rng.uniform(-1, 1)])
        }
    }

    /// Parameter sets: the defaults, all 0, all 1, and uniform random values.
    static func parameterSets(_ start: BoundParameters, rng: inout SeededGenerator) -> [BoundParameters] {
        func all(_ f: (inout SeededGenerator) -> Double) -> BoundParameters {
            var p = start
            for (i, m) in p.lower { p.lower[i] = m.map { _ in f(&rng) } }
            for (i, m) in p.upper { p.upper[i] = m.map { _ in f(&rng) } }
            return p
        }
        return [start, all { _ in 0 }, all { _ in 1 }, all { $0.uniform(0, 1) }, all { $0.uniform(0, 1) }]
    }

    /// Every concrete value at thousands of points of the box lies above the bound of every
    /// objective row and above its linear certificate, and inside every intermediate bound derived
    /// with random parameters, for parameters at the ends of their ranges and at random values.
    @Test(arguments: sShaped)
    func boundsWithAnyParametersEncloseSampledValues(activation: TestActivation) {
        var rng = SeededGenerator(seed: 81)
        var checkedRows = 0
        for c in Self.cases(12, seed: 80, activation: activation) {
            let crown = CROWN(network: c.network, tryRelaxationVariants: false)
            let input = c.box.intervalBatch
            let bounds = crown.intermediateBounds(input: input)
            let x = RandomNetworks.samples(of: c.box, count: 2500, using: &rng)
            let values = c.network.evaluateAll(x)
            let y = values[c.network.output]
            let start = crown.initialParameters(rowDomain: [0, 0], bounds: bounds, splits: [:])
            #expect(!start.lower.isEmpty && !start.upper.isEmpty)
            for p in Self.parameterSets(start, rng: &rng) {
                let bound = crown.parameterisedBackward(from: c.network.output, coefficients: c.objective, constant: c.constant,
                                                        rowDomain: [0, 0], input: input, bounds: bounds, splits: [:],
                                                        parameters: p, gradient: false).bound
                for s in 0..<x.rows {
                    for i in 0..<2 {
                        var objective = c.constant[i], certificate = bound.inputConstant[i]
                        for j in 0..<y.cols { objective += c.objective[i, j] * y[s, j] }
                        for j in 0..<x.cols { certificate += bound.inputCoefficients[i, j] * x[s, j] }
                        #expect(objective >= bound.lower[i] - 1e-9, "bound \(bound.lower[i]) above objective \(objective)")
                        #expect(objective >= certificate - 1e-9, "certificate above the objective")
                    }
                }
                checkedRows += 2
            }
            // Intermediate bounds of every inexact value, every neuron, random parameters.
            for v in crown.boundedValues where v > 0 && !crown.isExactFromInput(v) {
                let n = c.network.size(of: v)
                var rows = Matrix(rows: 2 * n, cols: n)
                for j in 0..<n { rows[2 * j, j] = 1; rows[2 * j + 1, j] = -1 }
                let rowDomain = [Int](repeating: 0, count: 2 * n)
                var p = crown.initialParameters(rowDomain: rowDomain, bounds: bounds, splits: [:])
                for (i, m) in p.lower { p.lower[i] = m.map { _ in rng.uniform(0, 1) } }
                for (i, m) in p.upper { p.upper[i] = m.map { _ in rng.uniform(0, 1) } }
                let b = crown.parameterisedBackward(from: v, coefficients: rows, constant: [Double](repeating: 0, count: 2 * n),
                                                    rowDomain: rowDomain, input: input, bounds: bounds, splits: [:],
                                                    parameters: p, gradient: false).bound.lower
                for s in 0..<x.rows {
                    for j in 0..<n {
                        let z = values[v][s, j]
                        #expect(z >= b[2 * j] - 1e-9 && z <= -b[2 * j + 1] + 1e-9, "value \(v) neuron \(j): \(z) outside [\(b[2 * j]), \(-b[2 * j + 1])]")
                    }
                }
            }
        }
        #expect(checkedRows >= 100)
    }

    /// Fully optimised bounds (intermediate and objective) hold at sampled points and are at least
    /// as tight as CROWN on every row, strictly tighter on some.
    @Test(arguments: sShaped)
    func optimisedBoundsAreSoundAndTighterThanCROWN(activation: TestActivation) {
        var rng = SeededGenerator(seed: 91)
        var tighter = 0, rows = 0
        for c in Self.cases(12, seed: 90, activation: activation, sizes: [10, 10, 10]) {
            let crown = CROWN(network: c.network, tryRelaxationVariants: false)
            let input = c.box.intervalBatch
            let plainBounds = crown.intermediateBounds(input: input)
            let plain = crown.lowerBound(of: c.network.output, objective: c.objective, constant: c.constant, input: input,
                                         bounds: plainBounds)
            var options = BoundOptimisation()
            options.stopAbove = nil
            // Same intermediate bounds: only the objective's parameters differ.
            let (same, _) = crown.optimisedLowerBound(of: c.network.output, objective: c.objective, constant: c.constant,
                                                      input: input, bounds: plainBounds, options: options)
            // Full alpha-CROWN.
            let optimisedBounds = crown.optimisedIntermediateBounds(input: input)
            let (full, _) = crown.optimisedLowerBound(of: c.network.output, objective: c.objective, constant: c.constant,
                                                      input: input, bounds: optimisedBounds, options: options)
            let x = RandomNetworks.samples(of: c.box, count: 2000, using: &rng)
            let y = c.network.evaluate(x)
            for i in 0..<2 {
                rows += 1
                var truth = Double.infinity
                for s in 0..<x.rows {
                    var t = c.constant[i]
                    for j in 0..<y.cols { t += c.objective[i, j] * y[s, j] }
                    truth = min(truth, t)
                }
                for (name, b) in [("same", same.lower[i]), ("full", full.lower[i])] {
                    #expect(b <= truth + 1e-9, "\(name): bound \(b) above the sampled minimum \(truth)")
                    #expect(b >= plain.lower[0, i], "\(name): \(b) looser than CROWN \(plain.lower[0, i])")
                }
                if full.lower[i] > plain.lower[0, i] + 1e-6 * (1 + abs(plain.lower[0, i])) { tighter += 1 }
            }
        }
        #expect(tighter > rows / 3, "alpha-CROWN tighter than CROWN on only \(tighter) of \(rows) rows")
    }

    /// With a neuron limit, at most that many neurons of a sigmoid/tanh value are re-bounded (the
    /// widest), the rest keep their CROWN bounds, and every bound still encloses sampled values.
    @Test func neuronLimitRebindsOnlyTheWidest() {
        var rng = SeededGenerator(seed: 111)
        var total = 0
        for c in Self.cases(4, seed: 110, activation: .sigmoid, sizes: [10, 10, 10]) {
            let crown = CROWN(network: c.network, tryRelaxationVariants: false)
            let input = c.box.intervalBatch
            let plain = crown.intermediateBounds(input: input)
            let limited = crown.optimisedIntermediateBounds(input: input, neuronLimit: 2)
            let x = RandomNetworks.samples(of: c.box, count: 1000, using: &rng)
            let values = c.network.evaluateAll(x)
            for (v, b) in limited {
                var changed = 0
                for j in 0..<b.cols where b.lower[0, j] != plain[v]!.lower[0, j] || b.upper[0, j] != plain[v]!.upper[0, j] {
                    changed += 1
                }
                #expect(changed <= 2, "value \(v): \(changed) neurons re-bounded")
                total += changed
                for s in 0..<x.rows {
                    for j in 0..<b.cols { #expect(values[v][s, j] >= b.lower[0, j] - 1e-9 && values[v][s, j] <= b.upper[0, j] + 1e-9) }
                }
            }
        }
        #expect(total > 0)
    }

    /// The analytic gradient with respect to the tangent parameters matches central differences
    /// wherever the bound is differentiable.
    @Test(arguments: sShaped)
    func tangentGradientsMatchFiniteDifferences(activation: TestActivation) {
        var rng = SeededGenerator(seed: 101)
        var compared = 0
        for c in Self.cases(8, seed: 100, activation: activation, sizes: [5, 5]) {
            let crown = CROWN(network: c.network, tryRelaxationVariants: false)
            let input = c.box.intervalBatch
            let bounds = crown.intermediateBounds(input: input)
            let rowDomain = [0, 0]
            var p = crown.initialParameters(rowDomain: rowDomain, bounds: bounds, splits: [:])
            for (i, m) in p.lower { p.lower[i] = m.map { _ in rng.uniform(0.1, 0.9) } }
            for (i, m) in p.upper { p.upper[i] = m.map { _ in rng.uniform(0.1, 0.9) } }
            func bound(_ q: BoundParameters) -> [Double] {
                crown.parameterisedBackward(from: c.network.output, coefficients: c.objective, constant: c.constant,
                                            rowDomain: rowDomain, input: input, bounds: bounds, splits: [:],
                                            parameters: q, gradient: false).bound.lower
            }
            let (_, gradient) = crown.parameterisedBackward(from: c.network.output, coefficients: c.objective, constant: c.constant,
                                                            rowDomain: rowDomain, input: input, bounds: bounds, splits: [:],
                                                            parameters: p, gradient: true)
            let b0 = bound(p)
            let h = 1e-6
            for (side, blocks) in [("lower", gradient.lower), ("upper", gradient.upper)] {
                #expect(!blocks.isEmpty)
                for (i, g) in blocks {
                    for k in 0..<g.data.count {
                        var up = p, down = p
                        if side == "lower" {
                            up.lower[i]!.data[k] += h; down.lower[i]!.data[k] -= h
                        } else {
                            up.upper[i]!.data[k] += h; down.upper[i]!.data[k] -= h
                        }
                        let r = k / g.cols
                        let (bu, bd) = (bound(up)[r], bound(down)[r])
                        guard abs((bu - b0[r]) - (b0[r] - bd)) < 1e-9 else { continue }  // a kink
                        let numeric = (bu - bd) / (2 * h)
                        #expect(abs(numeric - g.data[k]) < 1e-5 * (1 + abs(numeric)), "d\(side)[\(i)][\(k)]: \(numeric) vs \(g.data[k])")
                        if g.data[k] != 0 { compared += 1 }
                    }
                }
            }
        }
        #expect(compared > 60)
    }
}
