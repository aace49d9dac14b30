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
        print("linear root strictly below the interval root on \(tighter) of \(total) tiny networks")
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
        print("\(activation): interval/linear root on linf trials: \(gains.map { String(format: "%.2f", $0) })")
        if activation == .relu { #expect(gains.filter { $0 > 1.05 }.count >= gains.count / 2, "linear gained little: \(gains)") }
    }
}
