import Foundation
import LinearAlgebra
import NNGraph
import Testing
import TestSupport
@testable import Lipschitz

/// The linear relaxation through the Jacobian graph (``LinearJacobian``): each per-neuron line holds,
/// the root bound covers the exact constant, sampled gradients stay below it, and it beats the interval
/// pass on deeper networks.
@Suite struct LinearJacobianTests {
    /// Root bound only (no branch-and-bound, no input splitting), with the given relaxation.
    static func rootOptions(_ relaxation: JacobianRelaxation) -> LipschitzOptions {
        var o = LipschitzOptions()
        o.branching.maxDomains = 1
        o.branching.relaxation = relaxation
        o.inputSplitDimensions = 0
        o.searchStarts = 4
        o.searchSteps = 8
        return o
    }

    @Test func productLinesHoldOnTheirBox() {
        var rng = SeededGenerator(seed: 5)
        for _ in 0..<2000 {
            var dl = rng.uniform(-1, 1), dh = rng.uniform(-1, 1)
            if dl > dh { swap(&dl, &dh) }
            if Int.random(in: 0..<4, using: &rng) == 0 { (dl, dh) = (0, 1) }
            var yl = rng.uniform(-3, 3), yh = rng.uniform(-3, 3)
            if yl > yh { swap(&yl, &yh) }
            let one = { (x: Double) in Matrix(rows: 1, cols: 1, data: [x]) }
            let r = LinearJacobian.relaxation(low: one(dl), high: one(dh), yl: one(yl), yh: one(yh))
            let (su, bu, sl, bl) = (r.su.data[0], r.bu.data[0], r.sl.data[0], r.bl.data[0])
            for t in 0...20 {
                for s in 0...4 {
                    let y = yl + (yh - yl) * Double(t) / 20, d = dl + (dh - dl) * Double(s) / 4
                    #expect(y * d <= su * y + bu + 1e-12, "z=\(y * d) above the upper line, y in [\(yl), \(yh)], d in [\(dl), \(dh)]")
                    #expect(y * d >= sl * y + bl - 1e-12, "z=\(y * d) below the lower line, y in [\(yl), \(yh)], d in [\(dl), \(dh)]")
                }
            }
            let chord = LinearJacobian.absoluteChord(yl, yh)
            for t in 0...20 {
                let y = yl + (yh - yl) * Double(t) / 20
                #expect(abs(y) <= chord.slope * y + chord.intercept + 1e-12, "|y| above the chord on [\(yl), \(yh)]")
            }
        }
    }

    /// The linear root bound alone covers the exact constant (so its soundness is not masked by
    /// branch-and-bound) and is never above the interval root bound.
    @Test func linearRootCoversExact() throws {
        var rng = SeededGenerator(seed: 23)
        var tighter = 0, total = 0
        for trial in 0..<120 {
            let inputs = Int.random(in: 1...3, using: &rng)
            let sizes = [[inputs, 5, 2], [inputs, 4, 4, 2], [inputs, 3, 3, 3, 2]][trial % 3]
            let net = RandomNetworks.mlp(sizes, using: &rng)
            let region = try LocalLipschitzExactnessTests.region(&rng, inputs: inputs, norm: .linf)
            let c = (0..<2).map { _ in rng.uniform(-1, 1) }
            let lipschitz = try LocalLipschitz(network: net)
            let linear = try lipschitz.bounds(objectives: [c], region: region, options: Self.rootOptions(.linear)).bounds[0]
            let interval = try lipschitz.bounds(objectives: [c], region: region, options: Self.rootOptions(.interval)).bounds[0]
            let exact = try ExactLipschitz.compute(net, lower: region.lower, upper: region.upper, objective: c, dual: InputNorm.linf.dual)
            #expect(linear.upper >= exact.interior * (1 - 1e-9), "trial \(trial): linear root \(linear.upper) < exact \(exact.interior)")
            #expect(linear.upper <= interval.upper, "trial \(trial): linear \(linear.upper) above interval \(interval.upper)")
            total += 1
            if linear.upper < interval.upper * (1 - 1e-6) { tighter += 1 }
        }
        report("linear root strictly below the interval root on \(tighter) of \(total) tiny networks")
    }

    /// Deeper networks (5 hidden layers of 12): sampled gradient norms stay below the linear root bound for
    /// every activation, and for ReLU the linear bound is tighter than the interval one on most networks.
    @Test(arguments: [TestActivation.relu, .sigmoid, .tanh, .leakyRelu, .abs])
    func deepSamplingAndGain(activation: TestActivation) throws {
        var rng = SeededGenerator(seed: 41)
        var gains = [Double]()
        for trial in 0..<8 {
            let inputs = 4
            let net = RandomNetworks.mlp([inputs, 12, 12, 12, 12, 12, 3], activation: activation, extras: trial % 2 == 1, using: &rng)
            let norm = InputNorm.allCases[trial % 3]
            let origin = (0..<inputs).map { _ in rng.uniform(-1, 1) }
            let region = try LipschitzRegion(around: origin, norm: norm, eps: rng.uniform(0.2, 0.6),
                                             validLower: [Double](repeating: -3, count: inputs),
                                             validUpper: [Double](repeating: 3, count: inputs))
            let c = (0..<3).map { _ in rng.uniform(-1, 1) }
            let lipschitz = try LocalLipschitz(network: net)
            let linear = try lipschitz.bounds(objectives: [c], region: region, options: Self.rootOptions(.linear)).bounds[0]
            let interval = try lipschitz.bounds(objectives: [c], region: region, options: Self.rootOptions(.interval)).bounds[0]
            #expect(linear.upper <= interval.upper, "trial \(trial): linear above interval")
            if norm == .linf { gains.append(interval.upper / linear.upper) }
            var points = [[Double]]()
            for _ in 0..<200 {
                var x = (0..<inputs).map { rng.uniform(region.lower[$0], region.upper[$0]) }
                region.project(&x)
                points.append(x)
            }
            for g in GradientSearch(network: net, region: region).gradients(points, c) {
                #expect(norm.dual(g) <= linear.upper * (1 + 1e-9), "trial \(trial): gradient norm \(norm.dual(g)) > linear upper \(linear.upper)")
            }
        }
        report("\(activation): interval/linear root on linf trials: \(gains.map { String(format: "%.2f", $0) })")
        if activation == .relu { #expect(gains.filter { $0 > 1.05 }.count >= gains.count / 2, "linear gained little: \(gains)") }
    }

    #if arch(x86_64)
    /// Rounding: on deep networks whose neurons are all active over the box (positive weights, inputs
    /// and biases), the Lipschitz constant is `‖c·W_L·…·W_1‖₁` exactly; computed in Float80 (11 more bits),
    /// it must never exceed the certified bound, which is computed in Double with its rounding allowance
    /// (without the allowance, the Double result falls below the exact value on some of these networks).
    @Test func boundCoversTheExactConstantUnderRounding() throws {
        var rng = SeededGenerator(seed: 77)
        for trial in 0..<40 {
            let width = 16, depth = 6, inputs = 8
            var nodes = [Node]()
            var product80 = [[Float80]]()   // rows: current output, cols: inputs
            var size = inputs
            for layer in 0..<depth {
                let out = layer == depth - 1 ? 3 : width
                let w = Matrix(rows: out, cols: size, data: (0..<(out * size)).map { _ in rng.uniform(0.01, 1) / Double(size) })
                nodes.append(Node(name: "fc\(layer)", op: Affine(weight: w, bias: [Double](repeating: 0.5, count: out)),
                                  inputs: [nodes.count], shape: [out]))
                if layer < depth - 1 {
                    nodes.append(Node(name: "relu\(layer)", op: ReLU(size: out), inputs: [nodes.count], shape: [out]))
                }
                let previous = product80
                product80 = (0..<out).map { i in
                    (0..<inputs).map { j in
                        if layer == 0 { return Float80(w[i, j]) }
                        var sum: Float80 = 0
                        for k in 0..<size { sum += Float80(w[i, k]) * previous[k][j] }
                        return sum
                    }
                }
                size = out
            }
            let net = try Network(inputName: "x", inputShape: [inputs], outputName: "y", nodes: nodes, output: nodes.count)
            let c = (0..<3).map { _ in rng.uniform(-1, 1) }
            var exact: Float80 = 0
            for j in 0..<inputs {
                var g: Float80 = 0
                for i in 0..<3 { g += Float80(c[i]) * product80[i][j] }
                exact += abs(g)
            }
            let region = try LipschitzRegion(around: [Double](repeating: 0.5, count: inputs), norm: .linf, eps: 0.1,
                                             validLower: [Double](repeating: 0, count: inputs), validUpper: [Double](repeating: 1, count: inputs))
            let b = try LocalLipschitz(network: net).bounds(objectives: [c], region: region, options: Self.rootOptions(.linear)).bounds[0]
            #expect(Float80(b.upper) >= exact * (1 - 1e-17), "trial \(trial): upper \(b.upper) below exact \(Double(exact))")
            #expect(b.upper <= Double(exact) * (1 + 1e-9), "trial \(trial): all neurons are stable, the bound should be tight")
        }
    }
    #endif
}
