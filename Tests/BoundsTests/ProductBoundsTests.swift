import LinearAlgebra
import NNGraph
import Testing
import TestSupport
import VNNLib
@testable import Bounds

/// Networks with products of two computed values (`relu(W₁x) ⊙ tanh(W₂x)`, a square `p ⊙ p`): IBP, CROWN
/// and alpha-CROWN with any plane combinations enclose sampled outputs, optimisation never loosens CROWN,
/// and the gradient with respect to the combinations matches finite differences.
@Suite struct ProductBoundsTests {
    static func network(inputs n: Int, width w: Int, rng: inout SeededGenerator) -> Network {
        var nodes = [Node]()
        func add(_ name: String, _ op: any Operator, _ inputs: [ValueID]) -> ValueID {
            nodes.append(Node(name: name, op: op, inputs: inputs, shape: [op.outputSize]))
            return nodes.count
        }
        func dense(_ rows: Int, _ cols: Int) -> Affine {
            let s = 1.5 / Double(cols).squareRoot()
            return Affine(weight: Matrix(rows: rows, cols: cols, data: (0..<(rows * cols)).map { _ in rng.uniform(-s, s) }),
                          bias: (0..<rows).map { _ in rng.uniform(-0.3, 0.3) })
        }
        let a = add("relu", ReLU(size: w), [add("fc1", dense(w, n), [0])])
        let t = add("tanh", Tanh(size: w), [add("fc2", dense(w, n), [0])])
        let p = add("product", Product(size: w), [a, t])
        let q = add("square", Product(size: w), [p, p])
        let h = add("sum", LinearCombination(weights: [1, 0.5], size: w), [p, q])
        let y = add("fc3", dense(3, w), [h])
        return try! Network(inputName: "x", inputShape: [n], outputName: "y", nodes: nodes, output: y)
    }

    @Test func boundsEncloseSampledOutputsForAnyCombination() {
        var rng = SeededGenerator(seed: 41)
        var tighter = 0
        for _ in 0..<25 {
            let n = Int.random(in: 2...4, using: &rng)
            let net = Self.network(inputs: n, width: 6, rng: &rng)
            let box = RandomNetworks.box(n, maxWidth: 1, using: &rng)
            let c = Matrix(rows: 2, cols: 3, data: (0..<6).map { _ in rng.uniform(-1, 1) })
            let outputs = net.evaluate(RandomNetworks.samples(of: box, count: 300, using: &rng))
            let sampledMin = (0..<2).map { r in (0..<outputs.rows).map { s in (0..<3).map { c[r, $0] * outputs[s, $0] }.reduce(0, +) }.min()! }
            let crown = CROWN(network: net)
            let input = box.intervalBatch
            let bounds = crown.intermediateBounds(input: input)
            // Intermediate bounds enclose every sampled value.
            let all = net.evaluateAll(RandomNetworks.samples(of: box, count: 100, using: &rng))
            for (v, b) in bounds {
                for s in 0..<all[v].rows {
                    for j in 0..<all[v].cols { #expect(b.lower[0, j] <= all[v][s, j] && all[v][s, j] <= b.upper[0, j]) }
                }
            }
            let plain = crown.lowerBound(of: net.output, objective: c, constant: [0, 0], input: input, bounds: bounds)
            var p = crown.initialParameters(rowDomain: [0, 0], bounds: bounds, splits: [:])
            #expect(!p.lower.isEmpty && !p.upper.isEmpty)
            for (i, m) in p.lower { p.lower[i] = m.map { _ in rng.uniform(0, 1) } }
            for (i, m) in p.upper { p.upper[i] = m.map { _ in rng.uniform(0, 1) } }
            let random = crown.parameterisedBackward(from: net.output, coefficients: c, constant: [0, 0], rowDomain: [0, 0],
                                                     input: input, bounds: bounds, splits: [:], parameters: p, gradient: false)
            let (optimised, _) = crown.optimisedLowerBound(of: net.output, objective: c, constant: [0, 0], input: input, bounds: bounds,
                                                           options: { var o = BoundOptimisation(); o.stopAbove = nil; return o }())
            for r in 0..<2 {
                #expect(plain.lower[0, r] <= sampledMin[r] + 1e-9, "CROWN row \(r)")
                #expect(random.bound.lower[r] <= sampledMin[r] + 1e-9, "random combinations row \(r)")
                #expect(optimised.lower[r] <= sampledMin[r] + 1e-9, "alpha-CROWN row \(r)")
                #expect(optimised.lower[r] >= plain.lower[0, r] - 1e-9, "optimisation never loosens CROWN")
                #expect(!plain.lower[0, r].isNaN && !optimised.lower[r].isNaN)
                if optimised.lower[r] > plain.lower[0, r] + 1e-6 { tighter += 1 }
            }
        }
        #expect(tighter > 5, "optimising the plane combinations tightened \(tighter) rows")
    }

    @Test func combinationGradientsMatchFiniteDifferences() {
        var rng = SeededGenerator(seed: 43)
        var compared = 0
        for _ in 0..<10 {
            let net = Self.network(inputs: 3, width: 5, rng: &rng)
            let box = RandomNetworks.box(3, maxWidth: 0.8, using: &rng)
            let c = Matrix(rows: 2, cols: 3, data: (0..<6).map { _ in rng.uniform(-1, 1) })
            let crown = CROWN(network: net, tryRelaxationVariants: false)
            let input = box.intervalBatch
            let bounds = crown.intermediateBounds(input: input)
            var p = crown.initialParameters(rowDomain: [0, 0], bounds: bounds, splits: [:])
            for (i, m) in p.lower { p.lower[i] = m.map { _ in rng.uniform(0.1, 0.9) } }
            for (i, m) in p.upper { p.upper[i] = m.map { _ in rng.uniform(0.1, 0.9) } }
            func bound(_ q: BoundParameters) -> [Double] {
                crown.parameterisedBackward(from: net.output, coefficients: c, constant: [0, 0], rowDomain: [0, 0], input: input,
                                            bounds: bounds, splits: [:], parameters: q, gradient: false).bound.lower
            }
            let (_, gradient) = crown.parameterisedBackward(from: net.output, coefficients: c, constant: [0, 0], rowDomain: [0, 0],
                                                          input: input, bounds: bounds, splits: [:], parameters: p, gradient: true)
            let h = 1e-6
            for (side, blocks) in [(true, gradient.lower), (false, gradient.upper)] {
                for (i, g) in blocks where net.nodes[i].op is any BilinearOperator {
                    for k in 0..<g.data.count {
                        var up = p, down = p
                        if side { up.lower[i]!.data[k] += h; down.lower[i]!.data[k] -= h } else {
                            up.upper[i]!.data[k] += h; down.upper[i]!.data[k] -= h
                        }
                        let r = k / g.cols
                        let (bu, bd, b0) = (bound(up)[r], bound(down)[r], bound(p)[r])
                        guard abs((bu - b0) - (b0 - bd)) < 1e-9 else { continue }
                        #expect(abs((bu - bd) / (2 * h) - g.data[k]) < 1e-5, "dλ: \((bu - bd) / (2 * h)) vs \(g.data[k])")
                        compared += 1
                    }
                }
            }
        }
        #expect(compared > 40)
    }
}
