import Bounds
import Foundation
import LinearAlgebra
import NNGraph
import Testing
import TestSupport
import VNNLib

/// Softmax has two natural relaxations from the operators at hand: the loader's `1/Σ_j exp(x_j − x_i)`
/// (differences, Exp, a sum per output, Reciprocal: one nonlinear chain per output, no product) and the
/// textbook `exp(x_i) · 1/Σ_j exp(x_j)` (Exp, one sum, Reciprocal, a McCormick product). Both are sound on
/// sampled points; the loader's form must be the tighter one on random boxes (issue 15: "whichever is
/// tighter, measured"), and the summed widths are printed.
@Suite struct SoftmaxFormsTests {
    static func networks(_ affine: Affine) throws -> (differences: Network, product: Network) {
        let n = affine.weight.rows, inputs = affine.weight.cols
        var rows = [[(Int, Double)]](), sums = [[(Int, Double)]](repeating: [], count: n)
        for i in 0..<n {
            for j in 0..<n where j != i {
                sums[i].append((rows.count, 1))
                rows.append([(j, 1), (i, -1)])
            }
        }
        // exp(x_i − x_i) = 1 is the constant offset of each sum.
        let a = try Network(inputName: "x", inputShape: [inputs], outputName: "y", nodes: [
            Node(name: "affine", op: affine, inputs: [0], shape: [n]),
            Node(name: "differences", op: SparseLinear(inputSize: n, rows: rows), inputs: [1], shape: [rows.count]),
            Node(name: "exp", op: Exp(size: rows.count), inputs: [2], shape: [rows.count]),
            Node(name: "sums", op: SparseLinear(inputSize: rows.count, rows: sums, offset: [Double](repeating: 1, count: n)),
                 inputs: [3], shape: [n]),
            Node(name: "softmax", op: Reciprocal(size: n), inputs: [4], shape: [n]),
        ], output: 5)
        let b = try Network(inputName: "x", inputShape: [inputs], outputName: "y", nodes: [
            Node(name: "affine", op: affine, inputs: [0], shape: [n]),
            Node(name: "exp", op: Exp(size: n), inputs: [1], shape: [n]),
            Node(name: "sum", op: SparseLinear(inputSize: n, rows: [(0..<n).map { ($0, 1.0) }]), inputs: [2], shape: [1]),
            Node(name: "inverse", op: Reciprocal(size: 1), inputs: [3], shape: [1]),
            Node(name: "spread", op: Selection(inputSize: 1, indices: [Int](repeating: 0, count: n)), inputs: [4], shape: [n]),
            Node(name: "softmax", op: Product(size: n), inputs: [2, 5], shape: [n]),
        ], output: 6)
        return (a, b)
    }

    /// Lower and upper CROWN bounds of every output, after checking that sampled outputs lie inside.
    static func bounds(_ net: Network, _ box: InputBox, rng: inout SeededGenerator) -> (lower: [Double], upper: [Double]) {
        let n = net.outputSize
        let crown = CROWN(network: net)
        let input = box.intervalBatch
        let inter = crown.intermediateBounds(input: input)
        var c = Matrix(rows: 2 * n, cols: n)
        for k in 0..<n { c[k, k] = 1; c[n + k, k] = -1 }
        let b = crown.lowerBound(of: net.output, objective: c, constant: [Double](repeating: 0, count: 2 * n), input: input, bounds: inter)
        let lower = (0..<n).map { b.lower[0, $0] }, upper = (0..<n).map { -b.lower[0, n + $0] }
        let y = net.evaluate(RandomNetworks.samples(of: box, count: 200, using: &rng))
        for s in 0..<y.rows {
            for k in 0..<n { #expect(lower[k] <= y[s, k] + 1e-12 && y[s, k] <= upper[k] + 1e-12, "\(net.nodes.count) nodes, output \(k)") }
        }
        return (lower, upper)
    }

    @Test func differencesFormIsSoundAndTighterThanTheProductForm() throws {
        var rng = SeededGenerator(seed: 2026)
        var widthDifferences = 0.0, widthProduct = 0.0, tighterCases = 0, trials = 40
        for _ in 0..<trials {
            let inputs = 3, n = Int.random(in: 2...5, using: &rng)
            let affine = Affine(weight: Matrix(rows: n, cols: inputs, data: (0..<(n * inputs)).map { _ in rng.uniform(-2, 2) }),
                                bias: (0..<n).map { _ in rng.uniform(-1, 1) })
            let (a, b) = try Self.networks(affine)
            let box = RandomNetworks.box(inputs, maxWidth: 1.5, using: &rng)
            let x = Self.bounds(a, box, rng: &rng), y = Self.bounds(b, box, rng: &rng)
            let wa = zip(x.upper, x.lower).map { min($0, 1) - max($1, 0) }.reduce(0, +)
            let wb = zip(y.upper, y.lower).map { min($0, 1) - max($1, 0) }.reduce(0, +)
            widthDifferences += wa
            widthProduct += wb
            if wa < wb - 1e-9 { tighterCases += 1 }
        }
        print("softmax forms: summed output width (clipped to [0, 1]) differences form \(widthDifferences), product form \(widthProduct); differences tighter in \(tighterCases) of \(trials)")
        #expect(widthDifferences <= widthProduct)
    }
}
