import Foundation
import LinearAlgebra
import NNGraph
import ONNXLoader
import Testing
import TestSupport

/// `Network.gradient` on every good ONNX fixture model against central finite differences of
/// `Σ_b Σ_j outputGradient[b, j] · y_j(x_b)` with respect to every input element of every batch row.
@Suite("Fixture model gradients match finite differences")
struct ModelGradientTests {
    static let step = 1e-6
    /// Largest accepted `|analytic - numeric| / max(1, |numeric|)`.
    static let tolerance = 1e-5
    /// Rows with a ReLU pre-activation closer than this to 0 are skipped: a central difference
    /// across the kink is not a derivative.
    static let kinkMargin = 1e-4

    @Test("Network.gradient matches central finite differences", arguments: try FixtureReferences.load())
    func gradientMatchesFiniteDifferences(_ model: FixtureReferences.Model) throws {
        let network = try ONNXLoader.load(contentsOf: Fixtures.path(model.file))
        let n = network.inputSize, m = network.outputSize
        var rng = SeededGenerator(seed: 41)
        // The onnxruntime reference inputs, plus random points in the same range.
        var rows = model.cases.map(\.input)
        for _ in 0..<4 { rows.append((0..<n).map { _ in rng.uniform(-4, 4) }) }
        let x = Matrix(rowVectors: rows)
        let g = Matrix(rows: rows.count, cols: m, data: (0..<(rows.count * m)).map { _ in rng.uniform(-1, 1) })

        let (output, gradient) = network.gradient(x) { _ in g }
        #expect(output == network.evaluate(x), "gradient's forward pass")
        try #require(gradient.rows == x.rows && gradient.cols == n, "gradient shape \(gradient.rows)x\(gradient.cols)")

        func objective(_ p: Matrix) -> Double {
            zip(network.evaluate(p).data, g.data).reduce(0) { $0 + $1.0 * $1.1 }
        }
        let values = network.evaluateAll(x)
        var checkedRows = 0
        for r in 0..<x.rows {
            let nearKink = network.nodes.contains { node in
                node.op is ReLU && values[node.inputs[0]].row(r).contains { abs($0) < Self.kinkMargin }
            }
            if nearKink { continue }
            checkedRows += 1
            for i in 0..<n {
                var plus = x, minus = x
                plus.data[r * n + i] += Self.step
                minus.data[r * n + i] -= Self.step
                let numeric = (objective(plus) - objective(minus)) / (2 * Self.step)
                let analytic = gradient[r, i]
                #expect(abs(analytic - numeric) / max(1, abs(numeric)) < Self.tolerance,
                        "\(model.file) row \(r) d/dx\(i): gradient \(analytic), finite difference \(numeric)")
            }
        }
        #expect(checkedRows >= x.rows - 2, "\(model.file): only \(checkedRows) of \(x.rows) rows away from ReLU kinks")
        #expect(gradient.data.contains { abs($0) >= 1e-2 }, "\(model.file): gradient vanishes at every test point")
    }
}
