import Foundation
import LinearAlgebra
import NNGraph
import Testing
import TestSupport
import VNNLib
@testable import Bounds

/// CROWN with its pull-back products in single precision (``CROWN/singlePrecisionProducts``): the
/// ledger's single-precision terms (``SingleProductError``) keep every bound sound where rounding to
/// `Float` moves a weight up, where a weight underflows `Float`'s normal range, and on sampled random
/// networks over ordinary, tiny, huge and one-sided boxes.
@Suite struct SinglePrecisionProductTests {
    /// `y = w·relu(x)` on the box `x ∈ [1, 1]`, objective `y − t` (exact value `w − t` in double).
    static func chain(weight w: Double) -> Network {
        let nodes = [
            Node(name: "fc1", op: Affine(weight: Matrix(rowVectors: [[1]]), bias: [0]), inputs: [0], shape: [1]),
            Node(name: "relu", op: ReLU(size: 1), inputs: [1], shape: [1]),
            Node(name: "fc2", op: Affine(weight: Matrix(rowVectors: [[w]]), bias: [0]), inputs: [2], shape: [1]),
        ]
        return try! Network(inputName: "x", inputShape: [1], outputName: "y", nodes: nodes, output: 3)
    }

    static func bound(_ network: Network, threshold t: Double, single: Bool) -> Double {
        let input = InputBox(lower: [1], upper: [1]).intervalBatch
        let crown = CROWN(network: network, singlePrecisionProducts: single)
        let inter = crown.intermediateBounds(input: input)
        return crown.lowerBound(of: network.output, objective: Matrix(rows: 1, cols: 1, data: [1]), constant: [-t],
                                input: input, bounds: inter).lower[0, 0]
    }

    /// `w = 1 − 2⁻³⁰` rounds to 1 in `Float`, so the single-precision product alone would claim `y − 1 >= 0`
    /// where the exact value is `−2⁻³⁰`.
    @Test func aWeightRoundedUpInFloatDoesNotLiftTheBound() {
        let w = 1 - 0x1p-30
        #expect(Matrix(rowVectors: [[1]]).multipliedInSingle(by: SingleMatrix(Matrix(rowVectors: [[w]])))?.data == [1])
        let network = Self.chain(weight: w)
        let exact = w - 1
        let single = Self.bound(network, threshold: 1, single: true)
        let double = Self.bound(network, threshold: 1, single: false)
        #expect(single <= exact, "single-precision bound \(single) above the exact value \(exact)")
        #expect(double <= exact && double > exact - 1e-12, "double-precision bound \(double)")
        #expect(single < double, "the single-precision path was not taken")
    }

    /// `w = 4.1·10⁻⁴⁵` is below `Float`'s normal range and rounds up to `3·2⁻¹⁴⁹`; the objective `y − w`
    /// is exactly 0 at the box's only point.
    @Test func aWeightBelowFloatsNormalRangeDoesNotLiftTheBound() {
        let w = 4.1e-45
        let product = Matrix(rowVectors: [[1]]).multipliedInSingle(by: SingleMatrix(Matrix(rowVectors: [[w]])))!.data[0]
        #expect(product > w, "the trap: \(product) is not above \(w)")
        let single = Self.bound(Self.chain(weight: w), threshold: w, single: true)
        #expect(single <= 0, "single-precision bound \(single) above the exact value 0")
    }

    /// A product beyond `Float`'s range is refused (nil) and the pass computes it in double instead.
    @Test func valuesBeyondFloatsRangeFallBackToDouble() {
        #expect(Matrix(rowVectors: [[1e39]]).multipliedInSingle(by: SingleMatrix(Matrix(rowVectors: [[1]]))) == nil)
        let network = Self.chain(weight: 1e200)
        let single = Self.bound(network, threshold: 1e200, single: true)
        let double = Self.bound(network, threshold: 1e200, single: false)
        #expect(single == double && single.isFinite && single <= 0)
    }

    /// Intermediate and output bounds, computed with single-precision products, contain the network's values
    /// at sampled points, on several box shapes; and they stay close to the double-precision bounds.
    @Test(arguments: BoxShape.allCases)
    func boundsHoldSamples(shape: BoxShape) {
        for seed in UInt64(0)..<8 {
            var rng = SeededGenerator(seed: 1610 + seed)
            let sizes = seed % 2 == 0 ? [4, 20, 20, 3] : [6, 30, 30, 30, 5]
            let network = RandomNetworks.mlp(sizes, extras: seed % 4 == 1, weightScale: 1.5, using: &rng)
            let boxes = (0..<3).map { _ in shape.box(sizes[0], using: &rng) }
            let input = IntervalMatrix(lower: Matrix(rowVectors: boxes.map(\.lower)), upper: Matrix(rowVectors: boxes.map(\.upper)))
            let crown = CROWN(network: network, singlePrecisionProducts: true)
            let bounds = crown.intermediateBounds(input: input)
            let m = sizes.last!
            let objective = Matrix(rows: m, cols: m, data: (0..<(m * m)).map { _ in rng.uniform(-1, 1) })
            let constant = (0..<m).map { _ in rng.uniform(-1, 1) }
            let out = crown.lowerBound(of: network.output, objective: objective, constant: constant, input: input, bounds: bounds)
            let reference = CROWN(network: network)
            let plain = reference.lowerBound(of: network.output, objective: objective, constant: constant, input: input,
                                             bounds: reference.intermediateBounds(input: input))
            for (d, box) in boxes.enumerated() {
                let samples = RandomNetworks.samples(of: box, count: 100, using: &rng)
                let values = network.evaluateAll(samples)
                for s in 0..<samples.rows {
                    for (v, b) in bounds {
                        for j in 0..<b.cols {
                            let z = values[v][s, j]
                            #expect(b.lower[d, j] <= z && z <= b.upper[d, j], "\(shape) seed \(seed) value \(v)[\(j)]: \(z) outside")
                        }
                    }
                    let y = values[network.output].row(s)
                    for i in 0..<m {
                        var exact = constant[i]
                        for j in 0..<m { exact += objective[i, j] * y[j] }
                        #expect(out.lower[d, i] <= exact, "\(shape) seed \(seed) row \(i): bound \(out.lower[d, i]) above \(exact)")
                    }
                }
                for i in 0..<m {
                    let a = out.lower[d, i], b = plain.lower[d, i]
                    #expect(abs(a - b) <= 1e-3 * (1 + abs(b)), "\(shape) seed \(seed) row \(i): single \(a), double \(b)")
                }
            }
        }
    }
}
