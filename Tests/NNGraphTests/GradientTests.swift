import LinearAlgebra
import Testing
import TestSupport
@testable import NNGraph

/// Reverse-mode gradients against central finite differences, on random networks that contain
/// every operator (Affine, ElementwiseAffine, LinearCombination, Reshape and each activation).
@Suite struct GradientTests {
    @Test(arguments: TestActivation.allCases)
    func gradientMatchesFiniteDifferences(activation: TestActivation) throws {
        var rng = SeededGenerator(seed: 17)
        for _ in 0..<10 {
            let net = RandomNetworks.mlp([4, 7, 6, 3], activation: activation, extras: true, using: &rng)
            let x = (0..<4).map { _ in rng.uniform(-1, 1) }
            let weights = (0..<3).map { _ in rng.uniform(-1, 1) }
            let (_, grad) = net.gradient(Matrix(rows: 1, cols: 4, data: x)) { y in
                Matrix(rows: y.rows, cols: 3, data: weights)
            }
            func objective(_ p: [Double]) throws -> Double {
                zip(try net.evaluate(p), weights).reduce(0) { $0 + $1.0 * $1.1 }
            }
            let h = 1e-6
            for i in 0..<4 {
                var plus = x, minus = x
                plus[i] += h; minus[i] -= h
                let numeric = (try objective(plus) - objective(minus)) / (2 * h)
                // ReLU kinks: skip points within h of a kink (finite differences are meaningless there).
                let values = net.evaluateAll(Matrix(rows: 1, cols: 4, data: x))
                let nearKink = activation == .relu && net.nodes.enumerated().contains { (k, node) in
                    node.op is ReLU && values[node.inputs[0]].data.contains { abs($0) < 1e-4 }
                }
                if nearKink { continue }
                let scale = max(1, abs(numeric))
                #expect(abs(grad[0, i] - numeric) / scale < 1e-5, "d/dx\(i): \(grad[0, i]) vs \(numeric)")
            }
        }
    }

    @Test func batchEvaluationMatchesSingleRows() throws {
        var rng = SeededGenerator(seed: 23)
        let net = RandomNetworks.mlp([3, 5, 2], activation: .sigmoid, extras: true, using: &rng)
        let rows = (0..<4).map { _ in (0..<3).map { _ in rng.uniform(-1, 1) } }
        let batch = net.evaluate(Matrix(rowVectors: rows))
        for (r, x) in rows.enumerated() { #expect(try net.evaluate(x) == batch.row(r)) }
    }

    @Test func wrongInputSizeThrows() {
        var rng = SeededGenerator(seed: 1)
        let net = RandomNetworks.mlp([3, 2], using: &rng)
        #expect(throws: NetworkError.inputSize(expected: 3, got: 2)) { try net.evaluate([1, 2]) }
    }
}

@Suite struct InputNormalisationTests {
    @Test func prependedNetworkEqualsNormalisingByHand() throws {
        var rng = SeededGenerator(seed: 5)
        let net = RandomNetworks.mlp([6, 5, 3], extras: true, using: &rng)
        let norm = try InputNormalisation(mean: [0.2, 0.5, 0.1], std: [0.5, 2, 0.25])
        let wrapped = try norm.prepended(to: net)
        let x = (0..<6).map { _ in rng.uniform(0, 1) }
        let byHand = x.indices.map { (x[$0] - norm.mean[$0 / 2]) / norm.std[$0 / 2] }
        let a = try wrapped.evaluate(x), b = try net.evaluate(byHand)
        for j in a.indices { #expect(abs(a[j] - b[j]) < 1e-12) }
    }

    @Test func badSettingsAreRejected() {
        #expect(throws: NetworkError.self) { try InputNormalisation(mean: [0.1], std: [0]) }
        #expect(throws: NetworkError.self) { try InputNormalisation(mean: [0.1, 0.2], std: [1]) }
        var rng = SeededGenerator(seed: 6)
        let net = RandomNetworks.mlp([5, 3], using: &rng)
        #expect(throws: NetworkError.self) { try InputNormalisation(mean: [0, 0], std: [1, 1]).prepended(to: net) }
    }
}
