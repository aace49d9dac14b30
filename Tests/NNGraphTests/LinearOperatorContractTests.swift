import LinearAlgebra
import Testing
import TestSupport
@testable import NNGraph

/// The contract of every image-scale linear operator (Convolution, Concatenation, Permutation, Selection,
/// and the cases of ``extraCases(_:)``: SparseLinear, TransposedConvolution)
/// against its own forward pass: the Jacobian is read off `forward` on unit vectors, then
/// - `interval` encloses `forward` at points sampled in random boxes (corners included);
/// - `pullBack(A)` is `A·J_i` per input and `A·b`, `offset` is `b = forward(0)`;
/// - `pushForward` is `J⁺·L + J⁻·U` (lower) and `J⁺·U + J⁻·L` (upper);
/// - `gradient` is the vector–Jacobian product `g·J_i`.
@Suite("Linear image operators honour the LinearOperator contract")
struct LinearOperatorContractTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let op: any LinearOperator
        let inputSizes: [Int]
        var testDescription: String { name }
    }

    static let cases: [Case] = {
        var rng = SeededGenerator(seed: 77)
        func values(_ n: Int) -> [Double] { (0..<n).map { _ in rng.uniform(-1, 1) } }
        func convolution(_ name: String, _ g: ConvolutionGeometry, bias: Bool = true) -> Case {
            Case(name: name, op: Convolution(geometry: g, weight: values(g.outputChannels * g.kernelLength),
                                             bias: bias ? values(g.outputChannels) : nil), inputSizes: [g.inputSize])
        }
        // Valid by construction: `try!` cannot fail here.
        return [
            convolution("Convolution 3x3 padded", try! ConvolutionGeometry(
                inputChannels: 2, inputHeight: 5, inputWidth: 5, outputChannels: 3, kernelHeight: 3, kernelWidth: 3,
                padTop: 1, padLeft: 1, padBottom: 1, padRight: 1)),
            convolution("Convolution asymmetric pads, strides, dilations", try! ConvolutionGeometry(
                inputChannels: 2, inputHeight: 7, inputWidth: 6, outputChannels: 4, kernelHeight: 3, kernelWidth: 2,
                strideHeight: 2, strideWidth: 1, padTop: 0, padLeft: 1, padBottom: 2, padRight: 1, dilationHeight: 2)),
            convolution("Convolution grouped", try! ConvolutionGeometry(
                inputChannels: 4, inputHeight: 4, inputWidth: 3, outputChannels: 6, kernelHeight: 2, kernelWidth: 2,
                groups: 2), bias: false),
            convolution("Convolution depthwise 1-D", try! ConvolutionGeometry(
                inputChannels: 3, inputHeight: 1, inputWidth: 9, outputChannels: 3, kernelHeight: 1, kernelWidth: 3,
                strideWidth: 2, padLeft: 1, padRight: 2, groups: 3)),
            convolution("Convolution as a dense layer (kernel = whole map)", try! ConvolutionGeometry(
                inputChannels: 2, inputHeight: 3, inputWidth: 4, outputChannels: 5, kernelHeight: 3, kernelWidth: 4)),
            Case(name: "Concatenation outer 3 with constants", op: Concatenation(outer: 3, parts: [
                .constant(blockSize: 2, values: values(6)), .input(blockSize: 1), .input(blockSize: 4),
                .constant(blockSize: 1, values: values(3))]), inputSizes: [3, 12]),
            Case(name: "Permutation (NCHW to NHWC)", op: Permutation.transposing(shape: [1, 3, 2, 4], permutation: [0, 2, 3, 1]),
                 inputSizes: [24]),
            Case(name: "Selection", op: Selection(inputSize: 7, indices: [6, 6, 0, 3, 1, 3]), inputSizes: [7]),
        ] + extraCases(&rng)
    }()

    /// Per input, the `outputSize x inputSize_i` Jacobian from forward passes on unit vectors, and `forward(0)`.
    static func jacobians(_ c: Case) -> (parts: [Matrix], offset: [Double]) {
        let zeros = c.inputSizes.map { Matrix(rows: 1, cols: $0) }
        let base = c.op.forward(zeros).data
        var parts = [Matrix]()
        for (i, n) in c.inputSizes.enumerated() {
            var units = zeros
            units[i] = Matrix.identity(n)
            for k in units.indices where k != i { units[k] = Matrix(rows: n, cols: c.inputSizes[k]) }
            let images = c.op.forward(units)  // n x outputSize: row k is J e_k + b
            var j = Matrix(rows: c.op.outputSize, cols: n)
            for k in 0..<n { for o in 0..<c.op.outputSize { j[o, k] = images[k, o] - base[o] } }
            parts.append(j)
        }
        return (parts, base)
    }

    static func expectNear(_ a: Matrix, _ b: Matrix, _ label: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(a.rows == b.rows && a.cols == b.cols, "\(label): shape", sourceLocation: sourceLocation)
        let worst = zip(a.data, b.data).map { abs($0 - $1) }.max() ?? 0
        #expect(worst < 1e-12, "\(label): differs by \(worst)", sourceLocation: sourceLocation)
    }

    @Test("interval encloses sampled points", arguments: cases)
    func intervalIsSound(_ c: Case) {
        var rng = SeededGenerator(seed: 5)
        let boxes = 3
        let lower = c.inputSizes.map { n in Matrix(rows: boxes, cols: n, data: (0..<(boxes * n)).map { _ in rng.uniform(-2, 1) }) }
        let upper = lower.map { l in Matrix(rows: l.rows, cols: l.cols, data: l.data.map { $0 + rng.uniform(0, 1.5) }) }
        let image = c.op.interval(zip(lower, upper).map { IntervalMatrix(lower: $0, upper: $1) })
        #expect(image.rows == boxes && image.cols == c.op.outputSize)
        for b in 0..<boxes {
            for sample in 0..<200 {
                let point = zip(lower, upper).map { l, u in
                    Matrix(rows: 1, cols: l.cols, data: (0..<l.cols).map { j in
                        sample < 2 ? (sample == 0 ? l[b, j] : u[b, j]) : rng.uniform(l[b, j], u[b, j])
                    })
                }
                let y = c.op.forward(point)
                for j in 0..<c.op.outputSize {
                    #expect(y[0, j] >= image.lower[b, j] - 1e-12 && y[0, j] <= image.upper[b, j] + 1e-12,
                            "\(c.name): box \(b) output \(j) = \(y[0, j]) outside [\(image.lower[b, j]), \(image.upper[b, j])]")
                }
            }
        }
        // Tight on degenerate boxes: the interval of a point is the point.
        let point = lower.map { $0.rows(0..<1) }
        let exact = c.op.interval(point.map { IntervalMatrix(lower: $0, upper: $0) })
        Self.expectNear(exact.lower, c.op.forward(point), "\(c.name) point interval")
    }

    @Test("pullBack, pushForward, offset and gradient agree with the Jacobian", arguments: cases)
    func mapsAgreeWithJacobian(_ c: Case) {
        var rng = SeededGenerator(seed: 9)
        let (parts, offset) = Self.jacobians(c)
        let worstOffset = zip(c.op.offset, offset).map { abs($0 - $1) }.max() ?? 0
        #expect(c.op.offset.count == c.op.outputSize && worstOffset < 1e-12, "\(c.name): offset")

        let a = Matrix(rows: 5, cols: c.op.outputSize, data: (0..<(5 * c.op.outputSize)).map { _ in rng.uniform(-1, 1) })
        let (pulled, constant) = c.op.pullBack(a)
        #expect(pulled.count == c.op.arity)
        for (i, j) in parts.enumerated() { Self.expectNear(pulled[i], a * j, "\(c.name) pullBack input \(i)") }
        let expectedConstant = a * Matrix(rows: offset.count, cols: 1, data: offset)
        Self.expectNear(Matrix(rows: 5, cols: 1, data: constant), expectedConstant, "\(c.name) pullBack constant")

        let inputs = c.inputSizes.map { n in Matrix(rows: 5, cols: n, data: (0..<(5 * n)).map { _ in rng.uniform(-1, 1) }) }
        let gradients = c.op.gradient(inputs: inputs, output: c.op.forward(inputs), outputGradient: a)
        for (i, j) in parts.enumerated() { Self.expectNear(gradients[i], a * j, "\(c.name) gradient input \(i)") }

        let width = 4
        let lower = c.inputSizes.map { n in Matrix(rows: n, cols: width, data: (0..<(n * width)).map { _ in rng.uniform(-1, 1) }) }
        let upper = lower.map { l in Matrix(rows: l.rows, cols: width, data: l.data.map { $0 + rng.uniform(0, 1) }) }
        let (lo, hi) = c.op.pushForward(lower: lower, upper: upper)
        var expectedLower = Matrix(rows: c.op.outputSize, cols: width), expectedUpper = expectedLower
        for (i, j) in parts.enumerated() {
            let positive = j.map { max($0, 0) }, negative = j.map { min($0, 0) }
            expectedLower.add(positive * lower[i] + negative * upper[i])
            expectedUpper.add(positive * upper[i] + negative * lower[i])
        }
        Self.expectNear(lo, expectedLower, "\(c.name) pushForward lower")
        Self.expectNear(hi, expectedUpper, "\(c.name) pushForward upper")
    }

    /// Batches are rows: evaluating many rows at once gives the rows evaluated one by one.
    @Test("batched forward equals row by row", arguments: cases)
    func batchedForward(_ c: Case) {
        var rng = SeededGenerator(seed: 13)
        let rows = 300
        let inputs = c.inputSizes.map { n in Matrix(rows: rows, cols: n, data: (0..<(rows * n)).map { _ in rng.uniform(-1, 1) }) }
        let batch = c.op.forward(inputs)
        for r in stride(from: 0, to: rows, by: 37) {
            Self.expectNear(batch.rows(r..<(r + 1)), c.op.forward(inputs.map { $0.rows(r..<(r + 1)) }), "\(c.name) row \(r)")
        }
    }
}
