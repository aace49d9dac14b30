import LinearAlgebra
import NNGraph
import Testing
import TestSupport
import VNNLib
@testable import Bounds

/// alpha-CROWN and beta-CROWN: sound for every parameter value, at least as tight as CROWN, and with
/// gradients that match finite differences of the bound.
@Suite struct OptimisedBoundsTests {
    struct Case {
        let network: Network
        let box: InputBox
        let objective: Matrix
    }

    static func cases(_ count: Int, seed: UInt64, activation: TestActivation = .relu) -> [Case] {
        var rng = SeededGenerator(seed: seed)
        return (0..<count).map { _ in
            let n = Int.random(in: 2...5, using: &rng)
            let net = RandomNetworks.mlp([n, 8, 8, 3], activation: activation, extras: Bool.random(using: &rng), using: &rng)
            let box = RandomNetworks.box(n, maxWidth: 1, using: &rng)
            let c = Matrix(rows: 2, cols: 3, data: (0..<6).map { _ in rng.uniform(-1, 1) })
            return Case(network: net, box: box, objective: c)
        }
    }

    /// Minimum of `C·y` over samples of the box that satisfy the splits (row 0 of the pattern).
    static func sampledMinimum(_ c: Case, splits: SplitPattern = [:], rng: inout SeededGenerator) -> [Double] {
        let x = RandomNetworks.samples(of: c.box, count: 3000, using: &rng)
        let values = c.network.evaluateAll(x)
        var best = [Double](repeating: .infinity, count: c.objective.rows)
        for s in 0..<x.rows {
            var feasible = true
            for (v, pattern) in splits {
                for j in 0..<pattern.cols where pattern[0, j] != 0 {
                    let z = values[v][s, j]
                    if (pattern[0, j] > 0 && z < 0) || (pattern[0, j] < 0 && z > 0) { feasible = false }
                }
            }
            guard feasible else { continue }
            let y = values[c.network.output].row(s)
            for i in 0..<c.objective.rows {
                var t = 0.0
                for j in 0..<y.count { t += c.objective[i, j] * y[j] }
                best[i] = min(best[i], t)
            }
        }
        return best
    }

    @Test(arguments: TestActivation.allCases)
    func optimisedBoundsAreSoundAndAtLeastAsTightAsCROWN(activation: TestActivation) {
        var rng = SeededGenerator(seed: 41)
        for c in Self.cases(15, seed: 40, activation: activation) {
            let crown = CROWN(network: c.network, tryRelaxationVariants: false)
            let input = c.box.intervalBatch
            let bounds = crown.intermediateBounds(input: input)
            let plain = crown.lowerBound(of: c.network.output, objective: c.objective, constant: [0, 0], input: input, bounds: bounds)
            var options = BoundOptimisation()
            options.stopAbove = nil
            let (opt, _) = crown.optimisedLowerBound(of: c.network.output, objective: c.objective, constant: [0, 0],
                                                      input: input, bounds: bounds, options: options)
            let truth = Self.sampledMinimum(c, rng: &rng)
            for i in 0..<2 {
                #expect(opt.lower[i] <= truth[i] + 1e-9, "unsound: bound \(opt.lower[i]) above sampled minimum \(truth[i])")
                #expect(opt.lower[i] >= plain.lower[0, i] - 1e-9, "optimised \(opt.lower[i]) looser than CROWN \(plain.lower[0, i])")
                // The certificate reproduces the bound.
                var corner = opt.inputConstant[i]
                for j in 0..<c.box.lower.count {
                    let a = opt.inputCoefficients[i, j]
                    corner += a * (a >= 0 ? c.box.lower[j] : c.box.upper[j])
                }
                #expect(abs(corner - opt.lower[i]) < 1e-9)
            }
        }
    }

    /// Random splits of first-layer neurons: the bound with optimised β holds on the points that
    /// satisfy the splits and is at least the β = 0 bound.
    @Test func splitBoundsAreSoundOnTheirDomain() {
        var rng = SeededGenerator(seed: 51)
        var checked = 0
        for c in Self.cases(25, seed: 50) {
            let crown = CROWN(network: c.network, tryRelaxationVariants: false)
            let input = c.box.intervalBatch
            var bounds = crown.intermediateBounds(input: input)
            guard let v = crown.boundedValues.first(where: { $0 > 0 }), var b = bounds[v] else { continue }
            var pattern = Matrix(rows: 1, cols: b.cols)
            for j in 0..<b.cols where b.lower[0, j] < 0 && b.upper[0, j] > 0 && Bool.random(using: &rng) {
                let active = Bool.random(using: &rng)
                pattern[0, j] = active ? 1 : -1
                if active { b.lower[0, j] = 0 } else { b.upper[0, j] = 0 }
            }
            bounds[v] = b
            // Later bounds are recomputed under the split.
            bounds = crown.intermediateBounds(input: input, known: bounds)
            let splits: SplitPattern = [v: pattern]
            var options = BoundOptimisation()
            options.stopAbove = nil
            let rowDomain = [0, 0]
            let start = crown.initialParameters(rowDomain: rowDomain, bounds: bounds, splits: splits)
            var noBeta = options
            noBeta.betaRate = 0
            let (withBeta, _) = crown.optimisedLowerBound(of: c.network.output, objective: c.objective, constant: [0, 0], input: input,
                                                           bounds: bounds, splits: splits, start: start, options: options)
            let (without, _) = crown.optimisedLowerBound(of: c.network.output, objective: c.objective, constant: [0, 0], input: input,
                                                          bounds: bounds, splits: splits, start: start, options: noBeta)
            let truth = Self.sampledMinimum(c, splits: splits, rng: &rng)
            for i in 0..<2 where truth[i].isFinite {
                checked += 1
                #expect(withBeta.lower[i] <= truth[i] + 1e-9, "unsound under splits: \(withBeta.lower[i]) > \(truth[i])")
                #expect(withBeta.lower[i] >= without.lower[i] - 1e-6 || withBeta.lower[i] >= truth[i] - 1e-3)
            }
        }
        #expect(checked > 10)
    }

    /// The analytic gradient of the bound with respect to α and β matches central differences
    /// wherever the bound is differentiable.
    @Test func parameterGradientsMatchFiniteDifferences() {
        var rng = SeededGenerator(seed: 61)
        var compared = 0
        for c in Self.cases(10, seed: 60) {
            let crown = CROWN(network: c.network, tryRelaxationVariants: false)
            let input = c.box.intervalBatch
            var bounds = crown.intermediateBounds(input: input)
            guard let v = crown.boundedValues.first(where: { $0 > 0 }), var b = bounds[v] else { continue }
            var pattern = Matrix(rows: 1, cols: b.cols)
            if let j = (0..<b.cols).first(where: { b.lower[0, $0] < 0 && b.upper[0, $0] > 0 }) {
                pattern[0, j] = 1
                b.lower[0, j] = 0
                bounds[v] = b
                bounds = crown.intermediateBounds(input: input, known: bounds)
            }
            let splits: SplitPattern = [v: pattern]
            let rowDomain = [0, 0]
            var p = crown.initialParameters(rowDomain: rowDomain, bounds: bounds, splits: splits)
            for (i, a) in p.lower { p.lower[i] = a.map { _ in rng.uniform(0.1, 0.9) } }
            for (w, m) in p.beta { p.beta[w] = m.map { _ in rng.uniform(0.1, 1) } }
            func bound(_ q: BoundParameters) -> [Double] {
                crown.parameterisedBackward(from: c.network.output, coefficients: c.objective, constant: [0, 0], rowDomain: rowDomain,
                                            input: input, bounds: bounds, splits: splits, parameters: q, gradient: false).bound.lower
            }
            let (_, gradient) = crown.parameterisedBackward(from: c.network.output, coefficients: c.objective, constant: [0, 0],
                                                          rowDomain: rowDomain, input: input, bounds: bounds, splits: splits,
                                                          parameters: p, gradient: true)
            let (ga, gb) = (gradient.lower, gradient.beta)
            let h = 1e-6
            for (i, g) in ga {
                for k in 0..<g.data.count {
                    var up = p, down = p
                    up.lower[i]!.data[k] += h
                    down.lower[i]!.data[k] -= h
                    let r = k / g.cols
                    let (bu, bd, b0) = (bound(up)[r], bound(down)[r], bound(p)[r])
                    guard abs((bu - b0) - (b0 - bd)) < 1e-9 else { continue }  // a kink: not differentiable here
                    #expect(abs((bu - bd) / (2 * h) - g.data[k]) < 1e-5, "dα: \((bu - bd) / (2 * h)) vs \(g.data[k])")
                    compared += 1
                }
            }
            for (w, g) in gb {
                for k in 0..<g.data.count where pattern.data[k % g.cols] != 0 {
                    var up = p, down = p
                    up.beta[w]!.data[k] += h
                    down.beta[w]!.data[k] -= h
                    let r = k / g.cols
                    let (bu, bd, b0) = (bound(up)[r], bound(down)[r], bound(p)[r])
                    guard abs((bu - b0) - (b0 - bd)) < 1e-9 else { continue }
                    #expect(abs((bu - bd) / (2 * h) - g.data[k]) < 1e-5, "dβ: \((bu - bd) / (2 * h)) vs \(g.data[k])")
                    compared += 1
                }
            }
        }
        #expect(compared > 50)
    }
}

@Suite struct OptimisedIntermediateBoundsTests {
    @Test(arguments: TestActivation.allCases)
    func soundBysamplingAndAtLeastAsTightAsCROWN(activation: TestActivation) {
        var rng = SeededGenerator(seed: 71)
        var tighter = 0
        for _ in 0..<12 {
            let n = Int.random(in: 2...5, using: &rng)
            let net = RandomNetworks.mlp([n, 10, 10, 10, 2], activation: activation, extras: Bool.random(using: &rng), using: &rng)
            let box = RandomNetworks.box(n, maxWidth: 1.5, using: &rng)
            let crown = CROWN(network: net, tryRelaxationVariants: false)
            let plain = crown.intermediateBounds(input: box.intervalBatch)
            let optimised = crown.optimisedIntermediateBounds(input: box.intervalBatch)
            let x = RandomNetworks.samples(of: box, count: 2000, using: &rng)
            let values = net.evaluateAll(x)
            for (v, b) in optimised {
                let p = plain[v]!
                for j in 0..<b.cols {
                    #expect(b.lower[0, j] >= p.lower[0, j] - 1e-12 && b.upper[0, j] <= p.upper[0, j] + 1e-12)
                    if b.lower[0, j] > p.lower[0, j] + 1e-9 || b.upper[0, j] < p.upper[0, j] - 1e-9 { tighter += 1 }
                    for s in 0..<x.rows {
                        let z = values[v][s, j]
                        #expect(z >= b.lower[0, j] - 1e-9 && z <= b.upper[0, j] + 1e-9, "value \(v) neuron \(j): \(z) outside [\(b.lower[0, j]), \(b.upper[0, j])]")
                    }
                }
            }
        }
        #expect(tighter > 0, "optimisation never tightened an intermediate bound")
    }
}
