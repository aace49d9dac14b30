import LinearAlgebra
import NNGraph
import Testing
import TestSupport
@testable import Bounds

/// Sampling soundness: every concrete value at points inside the box lies within the bounds.
@Suite struct BoundsSoundnessTests {
    static let slack = 1e-9

    @Test(arguments: TestActivation.allCases)
    func ibpAndCrownEncloseSampledValues(activation: TestActivation) {
        var rng = SeededGenerator(seed: 42)
        for trial in 0..<40 {
            let sizes = [Int.random(in: 2...5, using: &rng), Int.random(in: 3...12, using: &rng),
                         Int.random(in: 3...12, using: &rng), Int.random(in: 2...4, using: &rng)]
            let net = RandomNetworks.mlp(sizes, activation: activation, extras: trial % 2 == 0, using: &rng)
            let box = RandomNetworks.box(sizes[0], maxWidth: trial % 3 == 0 ? 2 : 0.5, using: &rng)
            let x = RandomNetworks.samples(of: box, count: 200, using: &rng)
            let values = net.evaluateAll(x)
            let ibp = intervalBounds(net, input: box.intervalBatch)
            let crown = CROWN(network: net)
            let inter = crown.intermediateBounds(input: box.intervalBatch)
            let forward = crown.intermediateBounds(input: box.intervalBatch, method: .forward)
            // IBP encloses every value; CROWN (backward and forward) encloses every activation input.
            for v in 0..<values.count {
                for r in 0..<x.rows {
                    for j in 0..<values[v].cols {
                        let y = values[v][r, j]
                        #expect(y >= ibp[v].lower[0, j] - Self.slack && y <= ibp[v].upper[0, j] + Self.slack,
                                "IBP value \(v) neuron \(j), trial \(trial)")
                        for (name, bounds) in [("backward", inter), ("forward", forward)] {
                            guard let b = bounds[v] else { continue }
                            #expect(y >= b.lower[0, j] - Self.slack && y <= b.upper[0, j] + Self.slack,
                                    "CROWN \(name) value \(v) neuron \(j), trial \(trial)")
                        }
                    }
                }
            }
            // A random objective C y + d: the CROWN lower bound and its linear certificate hold.
            let m = 3, nOut = net.outputSize
            let c = Matrix(rows: m, cols: nOut, data: (0..<(m * nOut)).map { _ in rng.uniform(-1, 1) })
            let d = (0..<m).map { _ in rng.uniform(-1, 1) }
            let bound = crown.lowerBound(of: net.output, objective: c, constant: d, input: box.intervalBatch,
                                         bounds: trial % 2 == 0 ? inter : forward)
            let y = values[net.output]
            let cy = y.multiplied(by: c, transposeOther: true)
            let ax = x.multiplied(by: bound.inputCoefficients, transposeOther: true)
            for r in 0..<x.rows {
                for i in 0..<m {
                    let objective = cy[r, i] + d[i]
                    #expect(objective >= bound.lower[0, i] - Self.slack, "CROWN objective bound, trial \(trial)")
                    #expect(objective >= ax[r, i] + bound.inputConstant[i] - Self.slack, "linear certificate, trial \(trial)")
                }
            }
        }
    }

    @Test func crownIsAtLeastAsTightAsIBPOnReLUNetworks() {
        var rng = SeededGenerator(seed: 7)
        for _ in 0..<20 {
            let net = RandomNetworks.mlp([4, 16, 16, 3], using: &rng)
            let box = RandomNetworks.box(4, maxWidth: 0.3, using: &rng)
            let ibp = intervalBounds(net, input: box.intervalBatch)
            let inter = CROWN(network: net).intermediateBounds(input: box.intervalBatch)
            for (v, b) in inter {
                for j in 0..<b.cols {
                    #expect(b.lower[0, j] >= ibp[v].lower[0, j] - 1e-12)
                    #expect(b.upper[0, j] <= ibp[v].upper[0, j] + 1e-12)
                }
            }
        }
    }

    @Test func batchedBoundsEqualOneAtATime() {
        var rng = SeededGenerator(seed: 11)
        let net = RandomNetworks.mlp([3, 8, 8, 2], activation: .tanh, extras: true, using: &rng)
        let boxes = (0..<5).map { _ in RandomNetworks.box(3, maxWidth: 0.8, using: &rng) }
        let batch = IntervalMatrix(lower: Matrix(rowVectors: boxes.map(\.lower)), upper: Matrix(rowVectors: boxes.map(\.upper)))
        let crown = CROWN(network: net)
        let c = Matrix(rowVectors: [[1, -1], [0.5, 2]])
        let all = crown.lowerBound(of: net.output, objective: c, constant: [0.1, -0.2], input: batch,
                                   bounds: crown.intermediateBounds(input: batch))
        for (k, box) in boxes.enumerated() {
            let one = crown.lowerBound(of: net.output, objective: c, constant: [0.1, -0.2], input: box.intervalBatch,
                                       bounds: crown.intermediateBounds(input: box.intervalBatch))
            for i in 0..<2 { #expect(abs(one.lower[0, i] - all.lower[k, i]) < 1e-9) }
        }
    }
}
