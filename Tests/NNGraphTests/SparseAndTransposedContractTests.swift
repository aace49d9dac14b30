import LinearAlgebra
import Testing
import TestSupport
@testable import NNGraph

extension LinearOperatorContractTests {
    /// SparseLinear and TransposedConvolution cases, also run by the contract tests above.
    static func extraCases(_ rng: inout SeededGenerator) -> [Case] {
        func values(_ n: Int) -> [Double] { (0..<n).map { _ in rng.uniform(-1, 1) } }
        func transposed(_ name: String, _ g: ConvolutionGeometry, bias: Bool = true) -> Case {
            Case(name: name, op: TransposedConvolution(adjointGeometry: g, weight: values(g.outputChannels * g.kernelLength),
                                                       bias: bias ? values(g.inputChannels) : nil),
                 inputSizes: [g.outputSize])
        }
        // Valid by construction: `try!` cannot fail here.
        return [
            Case(name: "SparseLinear mixed signs, repeats, empty rows, offset", op: SparseLinear(inputSize: 5, rows: [
                [(0, 0.5), (3, -1.25), (0, 0.25)], [], [(4, 2)], [(1, -0.5), (2, 0.75), (4, -3)], []],
                offset: [0.1, -1.5, 0, 2, 0.75]), inputSizes: [5]),
            Case(name: "SparseLinear bilinear weights (2x upsampling of 3 values)", op: SparseLinear(inputSize: 3, rows: [
                [(0, 1)], [(0, 0.75), (1, 0.25)], [(0, 0.25), (1, 0.75)], [(1, 0.75), (2, 0.25)], [(1, 0.25), (2, 0.75)], [(2, 1)]]),
                 inputSizes: [3]),
            transposed("TransposedConvolution stride 2, pads, output padding", try! ConvolutionGeometry(
                inputChannels: 3, inputHeight: 6, inputWidth: 8, outputChannels: 2, kernelHeight: 3, kernelWidth: 3,
                strideHeight: 2, strideWidth: 2, padTop: 1, padLeft: 0, padBottom: 0, padRight: 1)),
            transposed("TransposedConvolution grouped, dilated", try! ConvolutionGeometry(
                inputChannels: 4, inputHeight: 5, inputWidth: 5, outputChannels: 2, kernelHeight: 2, kernelWidth: 3,
                strideWidth: 2, dilationHeight: 2, groups: 2), bias: false),
            transposed("TransposedConvolution 1-D with bias-only tail", try! ConvolutionGeometry(
                inputChannels: 2, inputHeight: 1, inputWidth: 9, outputChannels: 3, kernelHeight: 1, kernelWidth: 3,
                strideWidth: 3, padLeft: 1, padRight: 0)),
        ]
    }
}

/// Interval soundness of every contract case on boxes that stress rounding and sign handling: tiny
/// (width 1e-9), huge (widths up to 1e6 around centres up to 1e3), one-sided (`[0, u]` or `[l, 0]`) and
/// mixed boxes. Sampled points (corners included) must lie inside the image up to a tolerance relative to
/// the magnitudes involved; on tiny boxes the image must also be tiny (no spurious width).
@Suite("Linear operator intervals are sound on tiny, huge and one-sided boxes")
struct LinearOperatorIntervalStressTests {
    enum Kind: String, CaseIterable, Sendable { case tiny, huge, positive, negative }

    static func box(_ kind: Kind, _ n: Int, _ rng: inout SeededGenerator) -> (lower: [Double], upper: [Double]) {
        var lower = [Double](), upper = [Double]()
        for _ in 0..<n {
            switch kind {
            case .tiny:
                let c = rng.uniform(-3, 3)
                lower.append(c); upper.append(c + 1e-9)
            case .huge:
                let c = rng.uniform(-1e3, 1e3), r = rng.uniform(0, 1e6)
                lower.append(c - r); upper.append(c + r)
            case .positive:
                lower.append(0); upper.append(rng.uniform(0, 2))
            case .negative:
                lower.append(-rng.uniform(0, 2)); upper.append(0)
            }
        }
        return (lower, upper)
    }

    @Test("interval encloses samples", arguments: LinearOperatorContractTests.cases, Kind.allCases)
    func sound(_ c: LinearOperatorContractTests.Case, _ kind: Kind) {
        var rng = SeededGenerator(seed: 31)
        let boxes = c.inputSizes.map { Self.box(kind, $0, &rng) }
        let image = c.op.interval(boxes.map { b in
            IntervalMatrix(lower: Matrix(rows: 1, cols: b.lower.count, data: b.lower),
                           upper: Matrix(rows: 1, cols: b.upper.count, data: b.upper))
        })
        let scale = 1 + (image.lower.data + image.upper.data).map(abs).max()!
        let tolerance = 1e-12 * scale
        for j in 0..<c.op.outputSize { #expect(image.lower.data[j] <= image.upper.data[j] + tolerance) }
        if kind == .tiny {
            let width = zip(image.lower.data, image.upper.data).map { $1 - $0 }.max() ?? 0
            #expect(width < 1e-7, "\(c.name): tiny box gives width \(width)")
        }
        for sample in 0..<100 {
            let point = boxes.map { b in
                Matrix(rows: 1, cols: b.lower.count, data: (0..<b.lower.count).map { j in
                    sample == 0 ? b.lower[j] : sample == 1 ? b.upper[j] : rng.uniform(b.lower[j], b.upper[j])
                })
            }
            let y = c.op.forward(point)
            for j in 0..<c.op.outputSize {
                #expect(y.data[j] >= image.lower.data[j] - tolerance && y.data[j] <= image.upper.data[j] + tolerance,
                        "\(c.name) \(kind): output \(j) = \(y.data[j]) outside [\(image.lower.data[j]), \(image.upper.data[j])]")
            }
        }
    }
}
