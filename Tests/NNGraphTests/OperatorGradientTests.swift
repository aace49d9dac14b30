import Foundation
import LinearAlgebra
import Testing
import TestSupport
@testable import NNGraph

/// Every IR operator's vector–Jacobian product, `op.gradient(inputs:output:outputGradient:)`, against
/// central finite differences of `Σ outputGradient ⊙ op.forward(inputs)` with respect to every
/// element of every input, on batches of several rows.
@Suite("Operator gradients match finite differences")
struct OperatorGradientTests {
    @Test("gradient matches central finite differences", arguments: OperatorGradientCase.all)
    func gradientMatchesFiniteDifferences(_ c: OperatorGradientCase) throws {
        let output = c.op.forward(c.inputs)
        #expect(output.rows == c.outputGradient.rows && output.cols == c.op.outputSize, "output shape")
        let gradients = c.op.gradient(inputs: c.inputs, output: output, outputGradient: c.outputGradient)
        try #require(gradients.count == c.op.arity, "one gradient per input")
        for (g, x) in zip(gradients, c.inputs) {
            try #require(g.rows == x.rows && g.cols == x.cols, "gradient shape \(g.rows)x\(g.cols), input \(x.rows)x\(x.cols)")
        }
        // A test point where every gradient vanishes would check nothing.
        #expect(gradients.contains { $0.data.contains { abs($0) >= 1e-2 } }, "degenerate test point")
        let mismatches = FiniteDifferences.mismatches(c.op, inputs: c.inputs, outputGradient: c.outputGradient,
                                                      gradients: gradients)
        #expect(mismatches.isEmpty, "\(c.name): \(mismatches.count) mismatches, first: \(mismatches.prefix(3))")
    }

    /// The checker is not vacuous: a gradient 1% too large is flagged at every coordinate whose
    /// gradient is at least 1e-2 (relative error 1e-2 · |g| / max(1, |g|) ≥ 1e-4 > 1e-5 there).
    @Test("checker flags a gradient scaled by 1.01", arguments: OperatorGradientCase.all)
    func checkerFlagsScaledGradient(_ c: OperatorGradientCase) {
        let wrong = CorruptedGradient(base: c.op) { gradients in gradients.map { $0.map { 1.01 * $0 } } }
        let output = wrong.forward(c.inputs)
        let trueGradients = c.op.gradient(inputs: c.inputs, output: output, outputGradient: c.outputGradient)
        let gradients = wrong.gradient(inputs: c.inputs, output: output, outputGradient: c.outputGradient)
        let mismatches = FiniteDifferences.mismatches(wrong, inputs: c.inputs, outputGradient: c.outputGradient,
                                                      gradients: gradients)
        let large = trueGradients.reduce(0) { $0 + $1.data.filter { abs($0) >= 1e-2 }.count }
        #expect(large > 0)
        #expect(mismatches.count >= large, "\(c.name): \(mismatches.count) flagged, \(large) coordinates with |g| ≥ 1e-2")
    }

    /// One coordinate wrong by 1e-4 relative (ten times the tolerance) is flagged, and only that one.
    @Test func checkerFlagsOneSlightlyWrongCoordinate() throws {
        let c = try #require(OperatorGradientCase.all.first { $0.name.hasPrefix("LinearCombination 3") })
        let wrong = CorruptedGradient(base: c.op) { gradients in
            var g = gradients
            g[2].data[5] += 1e-4 * max(1, abs(g[2].data[5]))
            return g
        }
        let output = wrong.forward(c.inputs)
        let gradients = wrong.gradient(inputs: c.inputs, output: output, outputGradient: c.outputGradient)
        let mismatches = FiniteDifferences.mismatches(wrong, inputs: c.inputs, outputGradient: c.outputGradient,
                                                      gradients: gradients)
        let columns = c.inputs[2].cols
        #expect(mismatches.map { [$0.input, $0.row, $0.column] } == [[2, 5 / columns, 5 % columns]], "\(mismatches)")
    }

    /// Gradients returned for the wrong batch rows are flagged.
    @Test func checkerFlagsBatchRowsMixedUp() throws {
        let c = try #require(OperatorGradientCase.all.first { $0.name.hasPrefix("Affine 5x7") })
        let wrong = CorruptedGradient(base: c.op) { gradients in
            gradients.map { g in Matrix(rowVectors: (0..<g.rows).reversed().map { g.row($0) }) }
        }
        let output = wrong.forward(c.inputs)
        let gradients = wrong.gradient(inputs: c.inputs, output: output, outputGradient: c.outputGradient)
        #expect(!FiniteDifferences.mismatches(wrong, inputs: c.inputs, outputGradient: c.outputGradient,
                                              gradients: gradients).isEmpty)
    }

    /// The case list covers every operator type declared in `Sources/NNGraph` (a struct conforming to
    /// `Operator`, `LinearOperator` or `ElementwiseActivation`), so a new operator fails this test
    /// until it gets a gradient case.
    @Test func everyOperatorTypeHasACase() throws {
        let sources = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/NNGraph")
        let files = try #require(FileManager.default.enumerator(atPath: sources.path)?.allObjects as? [String])
        var declared = Set<String>()
        for file in files where file.hasSuffix(".swift") {
            let text = try String(contentsOf: sources.appendingPathComponent(file), encoding: .utf8)
            for line in text.split(separator: "\n") {
                guard let range = line.range(of: "struct ") else { continue }
                let declaration = line[range.upperBound...].prefix { $0 != "{" }
                let parts = declaration.split(separator: ":", maxSplits: 1)
                guard parts.count == 2 else { continue }
                let name = parts[0].trimmingCharacters(in: .whitespaces)
                let conformances = parts[1].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                if conformances.contains(where: { ["Operator", "LinearOperator", "ElementwiseActivation"].contains($0) }) {
                    declared.insert(name)
                }
            }
        }
        #expect(declared.count >= 7, "found only \(declared.sorted()) in \(sources.path)")
        let tested = Set(OperatorGradientCase.all.map { String(describing: type(of: $0.op)) })
        #expect(declared.subtracting(tested).isEmpty, "operators without a gradient case: \(declared.subtracting(tested).sorted())")
    }

    /// `Network.gradient` adds the gradients of a value read by several nodes (and twice by one node).
    @Test func networkGradientAccumulatesOverFanOut() throws {
        var rng = SeededGenerator(seed: 5)
        let ops: [(any Operator, [ValueID])] = [
            (ElementwiseAffine(scale: [0.5, -1.5, 2, 1], shift: [0.1, 0, -0.3, 0.2]), [0]),
            (Tanh(size: 4), [1]),
            (LinearCombination(weights: [0.5, 1.5, -1], size: 4), [2, 2, 0]),
            (Affine(weight: randomMatrix(3, 4, -1, 1, &rng), bias: [0.1, -0.1, 0.2]), [3]),
        ]
        let nodes = ops.enumerated().map { Node(name: "n\($0)", op: $1.0, inputs: $1.1, shape: [$1.0.outputSize]) }
        let network = try Network(inputName: "x", inputShape: [4], outputName: "y", nodes: nodes, output: 4)
        let x = randomMatrix(3, 4, -2, 2, &rng), g = randomMatrix(3, 3, -1, 1, &rng)
        let (_, gradient) = network.gradient(x) { _ in g }
        let mismatches = FiniteDifferences.mismatches(NetworkAsOperator(network: network), inputs: [x],
                                                      outputGradient: g, gradients: [gradient])
        #expect(mismatches.isEmpty, "\(mismatches.prefix(3))")
    }
}

/// One operator at one evaluation point: its inputs (`batch x inputSize_i` each) and the gradient
/// with respect to its output at which the vector–Jacobian product is checked.
struct OperatorGradientCase: Sendable, CustomTestStringConvertible {
    let name: String
    let op: any Operator
    let inputs: [Matrix]
    let outputGradient: Matrix
    var testDescription: String { name }

    init(_ name: String, _ op: any Operator, inputs: [Matrix], using rng: inout SeededGenerator) {
        self.name = name
        self.op = op
        self.inputs = inputs
        self.outputGradient = randomMatrix(inputs[0].rows, op.outputSize, -1, 1, &rng)
    }

    /// Every operator type, with several shapes and weights; batches of 3 to 5 rows.
    static let all: [OperatorGradientCase] = {
        var rng = SeededGenerator(seed: 2024)
        func m(_ rows: Int, _ cols: Int, _ lo: Double = -2, _ hi: Double = 2) -> Matrix {
            randomMatrix(rows, cols, lo, hi, &rng)
        }
        /// ReLU inputs at least 1e-3 from the kink (and exactly ±1e-3 in the first row).
        func awayFromZero(_ rows: Int, _ cols: Int) -> Matrix {
            var x = Matrix(rows: rows, cols: cols)
            for i in 0..<x.data.count {
                let magnitude = i < cols ? 1e-3 : rng.uniform(1e-3, 2)
                x.data[i] = Bool.random(using: &rng) ? magnitude : -magnitude
            }
            return x
        }
        /// S-shaped inputs, with the saturated tails in the first row.
        func sShaped(_ rows: Int, _ cols: Int) -> Matrix {
            var x = m(rows, cols, -4, 4)
            for (j, v) in [-9.0, -3, -0.5, 0, 0.5, 3, 9].prefix(cols).enumerated() { x.data[j] = v }
            return x
        }
        var cases = [OperatorGradientCase]()
        cases.append(.init("Affine 5x7", Affine(weight: m(5, 7, -1, 1), bias: m(1, 5).data), inputs: [m(4, 7)], using: &rng))
        cases.append(.init("Affine 1x3", Affine(weight: m(1, 3, -1, 1), bias: [0.7]), inputs: [m(3, 3)], using: &rng))
        cases.append(.init("Affine 6x2 without bias", Affine(weight: m(6, 2, -3, 3)), inputs: [m(5, 2)], using: &rng))
        cases.append(.init("ElementwiseAffine", ElementwiseAffine(scale: [2, -1.5, 0, 0.25, -3, 1], shift: m(1, 6).data),
                           inputs: [m(4, 6)], using: &rng))
        cases.append(.init("LinearCombination 2 inputs (x + y)", LinearCombination(weights: [1, 1], size: 5),
                           inputs: [m(3, 5), m(3, 5)], using: &rng))
        cases.append(.init("LinearCombination 2 inputs (x - y)", LinearCombination(weights: [1, -1], size: 5),
                           inputs: [m(4, 5), m(4, 5)], using: &rng))
        cases.append(.init("LinearCombination 2 inputs weighted", LinearCombination(weights: [0.5, 1.75], size: 4),
                           inputs: [m(4, 4), m(4, 4)], using: &rng))
        cases.append(.init("LinearCombination 3 inputs weighted", LinearCombination(weights: [0.7, -1.3, 2.5], size: 4),
                           inputs: [m(3, 4), m(3, 4), m(3, 4)], using: &rng))
        cases.append(.init("Reshape", Reshape(size: 6), inputs: [m(4, 6)], using: &rng))
        cases.append(.init("ReLU", ReLU(size: 8), inputs: [awayFromZero(5, 8)], using: &rng))
        cases.append(.init("Sigmoid", Sigmoid(size: 7), inputs: [sShaped(4, 7)], using: &rng))
        cases.append(.init("Tanh", Tanh(size: 7), inputs: [sShaped(4, 7)], using: &rng))
        // Image operators (geometries are valid by construction; `try!` cannot fail here).
        let padded = try! ConvolutionGeometry(inputChannels: 2, inputHeight: 5, inputWidth: 4, outputChannels: 3,
                                              kernelHeight: 3, kernelWidth: 2, strideHeight: 2, padTop: 1, padLeft: 0,
                                              padBottom: 2, padRight: 1, dilationWidth: 2)
        cases.append(.init("Convolution strided, padded, dilated", Convolution(geometry: padded, weight: m(1, 3 * 12).data,
                                                                                bias: [0.5, -0.25, 1]),
                           inputs: [m(4, 40)], using: &rng))
        let grouped = try! ConvolutionGeometry(inputChannels: 4, inputHeight: 3, inputWidth: 3, outputChannels: 2,
                                               kernelHeight: 2, kernelWidth: 2, groups: 2)
        cases.append(.init("Convolution grouped without bias", Convolution(geometry: grouped, weight: m(1, 2 * 8).data),
                           inputs: [m(3, 36)], using: &rng))
        cases.append(.init("Concatenation with a constant", Concatenation(outer: 2, parts: [
            .input(blockSize: 3), .constant(blockSize: 1, values: [0.5, -1]), .input(blockSize: 2)]),
                           inputs: [m(4, 6), m(4, 4)], using: &rng))
        cases.append(.init("Permutation (transpose 2x3x2)", Permutation.transposing(shape: [2, 3, 2], permutation: [2, 0, 1]),
                           inputs: [m(3, 12)], using: &rng))
        cases.append(.init("Selection with repeats and omissions", Selection(inputSize: 6, indices: [4, 0, 4, 2, 5, 0, 1]),
                           inputs: [m(4, 6)], using: &rng))
        cases.append(.init("SparseLinear with repeats, empty rows and offset", SparseLinear(inputSize: 5, rows: [
            [(0, 0.5), (3, -1.25), (0, 0.25)], [], [(4, 2)], [(1, -0.5), (2, 0.75), (4, -3)]], offset: [0.1, -1.5, 0, 2]),
                           inputs: [m(4, 5)], using: &rng))
        let adjoint = try! ConvolutionGeometry(inputChannels: 2, inputHeight: 5, inputWidth: 6, outputChannels: 4,
                                               kernelHeight: 3, kernelWidth: 2, strideHeight: 2, strideWidth: 2,
                                               padTop: 1, padBottom: 1, groups: 2)
        cases.append(.init("TransposedConvolution strided, grouped", TransposedConvolution(
            adjointGeometry: adjoint, weight: m(1, 4 * 6).data, bias: [0.5, -1]), inputs: [m(3, adjoint.outputSize)], using: &rng))
        return cases
    }()
}

/// A coordinate where a reverse-mode gradient and the central finite difference disagree.
struct GradientMismatch: CustomStringConvertible {
    let input: Int
    let row: Int
    let column: Int
    let analytic: Double
    let numeric: Double
    var description: String {
        "input \(input) [\(row), \(column)]: gradient \(analytic), finite difference \(numeric)"
    }
}

/// Central finite differences of `Σ outputGradient ⊙ op.forward(inputs)`.
enum FiniteDifferences {
    static let step = 1e-6
    /// Largest accepted `|analytic - numeric| / max(1, |numeric|)`.
    static let tolerance = 1e-5

    static func objective(_ op: any Operator, _ inputs: [Matrix], _ outputGradient: Matrix) -> Double {
        zip(op.forward(inputs).data, outputGradient.data).reduce(0) { $0 + $1.0 * $1.1 }
    }

    /// Every element of every input (all batch rows) where `gradients` differs from the central
    /// difference with step ``step`` by more than ``tolerance`` relative to `max(1, |numeric|)`.
    static func mismatches(_ op: any Operator, inputs: [Matrix], outputGradient: Matrix,
                           gradients: [Matrix]) -> [GradientMismatch] {
        var result = [GradientMismatch]()
        for (k, x) in inputs.enumerated() {
            for e in 0..<x.data.count {
                var plus = inputs, minus = inputs
                plus[k].data[e] += step
                minus[k].data[e] -= step
                let numeric = (objective(op, plus, outputGradient) - objective(op, minus, outputGradient)) / (2 * step)
                let analytic = gradients[k].data[e]
                if !(abs(analytic - numeric) / max(1, abs(numeric)) < tolerance) {
                    result.append(GradientMismatch(input: k, row: e / x.cols, column: e % x.cols,
                                                   analytic: analytic, numeric: numeric))
                }
            }
        }
        return result
    }
}

/// An operator whose forward pass is `base`'s and whose gradient is `base`'s passed through
/// `corrupt` (to show that the checker catches wrong gradients).
struct CorruptedGradient: Operator {
    let base: any Operator
    let corrupt: @Sendable ([Matrix]) -> [Matrix]

    var kind: String { "Corrupted(\(base.kind))" }
    var arity: Int { base.arity }
    var outputSize: Int { base.outputSize }
    func forward(_ inputs: [Matrix]) -> Matrix { base.forward(inputs) }
    func gradient(inputs: [Matrix], output: Matrix, outputGradient: Matrix) -> [Matrix] {
        corrupt(base.gradient(inputs: inputs, output: output, outputGradient: outputGradient))
    }
    func interval(_ inputs: [IntervalMatrix]) -> IntervalMatrix { base.interval(inputs) }
}

/// A whole network seen as one operator of its input, so the finite-difference checker applies to
/// `Network.gradient`.
struct NetworkAsOperator: Operator {
    let network: Network
    var kind: String { "Network" }
    var arity: Int { 1 }
    var outputSize: Int { network.outputSize }
    func forward(_ inputs: [Matrix]) -> Matrix { network.evaluate(inputs[0]) }
    func gradient(inputs: [Matrix], output: Matrix, outputGradient: Matrix) -> [Matrix] {
        [network.gradient(inputs[0]) { _ in outputGradient }.gradient]
    }
    /// Interval propagation node by node.
    func interval(_ inputs: [IntervalMatrix]) -> IntervalMatrix {
        var values = [inputs[0]]
        for node in network.nodes { values.append(node.op.interval(node.inputs.map { values[$0] })) }
        return values[network.output]
    }
}

/// A `rows x cols` matrix of uniform samples in `[lo, hi]`.
func randomMatrix(_ rows: Int, _ cols: Int, _ lo: Double, _ hi: Double, _ rng: inout SeededGenerator) -> Matrix {
    Matrix(rows: rows, cols: cols, data: (0..<(rows * cols)).map { _ in rng.uniform(lo, hi) })
}
