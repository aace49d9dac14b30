import LinearAlgebra
import Testing
import TestSupport
@testable import NNGraph

/// The image operators against direct, loop-by-loop definitions and hand-checked values.
@Suite struct ImageOperatorTests {
    /// The convolution sum written out, one output element at a time.
    static func directConvolution(_ g: ConvolutionGeometry, weight: [Double], bias: [Double], x: [Double]) -> [Double] {
        var y = [Double]()
        let cg = g.inputChannelsPerGroup, og = g.outputChannelsPerGroup
        for o in 0..<g.outputChannels {
            let group = o / og
            for oh in 0..<g.outputHeight {
                for ow in 0..<g.outputWidth {
                    var s = bias[o]
                    for c in 0..<cg {
                        for ki in 0..<g.kernelHeight {
                            for kj in 0..<g.kernelWidth {
                                let ih = oh * g.strideHeight - g.padTop + ki * g.dilationHeight
                                let iw = ow * g.strideWidth - g.padLeft + kj * g.dilationWidth
                                guard ih >= 0 && ih < g.inputHeight && iw >= 0 && iw < g.inputWidth else { continue }
                                let w = weight[((o * cg + c) * g.kernelHeight + ki) * g.kernelWidth + kj]
                                s += w * x[((group * cg + c) * g.inputHeight + ih) * g.inputWidth + iw]
                            }
                        }
                    }
                    y.append(s)
                }
            }
        }
        return y
    }

    /// A random valid geometry: 1-3 groups, kernels up to 3x3, strides up to 3, dilations up to 2,
    /// paddings up to 2 on each side.
    static func randomGeometry(_ rng: inout SeededGenerator) -> ConvolutionGeometry {
        while true {
            let groups = Int.random(in: 1...3, using: &rng)
            if let g = try? ConvolutionGeometry(
                inputChannels: groups * Int.random(in: 1...2, using: &rng), inputHeight: Int.random(in: 1...7, using: &rng),
                inputWidth: Int.random(in: 1...7, using: &rng), outputChannels: groups * Int.random(in: 1...3, using: &rng),
                kernelHeight: Int.random(in: 1...3, using: &rng), kernelWidth: Int.random(in: 1...3, using: &rng),
                strideHeight: Int.random(in: 1...3, using: &rng), strideWidth: Int.random(in: 1...3, using: &rng),
                padTop: Int.random(in: 0...2, using: &rng), padLeft: Int.random(in: 0...2, using: &rng),
                padBottom: Int.random(in: 0...2, using: &rng), padRight: Int.random(in: 0...2, using: &rng),
                dilationHeight: Int.random(in: 1...2, using: &rng), dilationWidth: Int.random(in: 1...2, using: &rng),
                groups: groups) {
                return g
            }
        }
    }

    @Test func convolutionMatchesTheDirectSumOnRandomGeometries() {
        var rng = SeededGenerator(seed: 101)
        for trial in 0..<60 {
            let g = Self.randomGeometry(&rng)
            let weight = (0..<(g.outputChannels * g.kernelLength)).map { _ in rng.uniform(-1, 1) }
            let bias = (0..<g.outputChannels).map { _ in rng.uniform(-1, 1) }
            var op = Convolution(geometry: g, weight: weight, bias: bias)
            op.chunkBudget = trial % 2 == 0 ? 1 : 1 << 21  // one row per chunk, or all rows at once
            let x = Matrix(rows: 3, cols: g.inputSize, data: (0..<(3 * g.inputSize)).map { _ in rng.uniform(-2, 2) })
            let y = op.forward([x])
            #expect(y.cols == g.outputSize)
            for r in 0..<3 {
                let expected = Self.directConvolution(g, weight: weight, bias: bias, x: x.row(r))
                let worst = zip(y.row(r), expected).map { abs($0 - $1) }.max() ?? 0
                #expect(worst < 1e-12, "trial \(trial) \(g) row \(r): differs by \(worst)")
            }
            // The transposed map in chunks equals the one-chunk result.
            let a = Matrix(rows: 5, cols: g.outputSize, data: (0..<(5 * g.outputSize)).map { _ in rng.uniform(-1, 1) })
            var whole = op, single = op
            whole.chunkBudget = 1 << 21
            single.chunkBudget = 1
            let difference = zip(single.pullBack(a).inputs[0].data, whole.pullBack(a).inputs[0].data).map { abs($0 - $1) }.max() ?? 0
            #expect(difference < 1e-12, "trial \(trial): pullBack row by row and all at once differ by \(difference)")
        }
    }

    @Test func convolutionHandValues() throws {
        // 1 channel 3x3 image, 2x2 kernel [[1, 2], [3, 4]], stride 1, no padding, bias 0.5.
        let g = try ConvolutionGeometry(inputChannels: 1, inputHeight: 3, inputWidth: 3, outputChannels: 1,
                                        kernelHeight: 2, kernelWidth: 2)
        let op = Convolution(geometry: g, weight: [1, 2, 3, 4], bias: [0.5])
        let y = op.forward([Matrix(rowVectors: [[1, 2, 3, 4, 5, 6, 7, 8, 9]])])
        #expect(y == Matrix(rowVectors: [[37.5, 47.5, 67.5, 77.5]]))
        #expect(op.offset == [0.5, 0.5, 0.5, 0.5])
        #expect(op.parameterCount == 5)
        // Pulling back e_0 gives the kernel in the top-left corner.
        let pulled = op.pullBack(Matrix(rowVectors: [[1, 0, 0, 0]]))
        #expect(pulled.inputs[0] == Matrix(rowVectors: [[1, 2, 0, 3, 4, 0, 0, 0, 0]]))
        #expect(pulled.constant == [0.5])
    }

    @Test func geometryRejectsInvalidSizes() {
        func attempt(_ make: () throws -> ConvolutionGeometry) -> String? {
            do { _ = try make(); return nil } catch { return "\(error)" }
        }
        #expect(attempt { try ConvolutionGeometry(inputChannels: 3, inputHeight: 4, inputWidth: 4, outputChannels: 2,
                                                  kernelHeight: 1, kernelWidth: 1, groups: 2) }?.contains("groups (2)") == true)
        #expect(attempt { try ConvolutionGeometry(inputChannels: 1, inputHeight: 4, inputWidth: 4, outputChannels: 1,
                                                  kernelHeight: 3, kernelWidth: 3, dilationHeight: 2) }?.contains("5x3") == true)
        #expect(attempt { try ConvolutionGeometry(inputChannels: 1, inputHeight: 4, inputWidth: 4, outputChannels: 1,
                                                  kernelHeight: 1, kernelWidth: 1, strideWidth: 0) }?.contains("stride width") == true)
        #expect(attempt { try ConvolutionGeometry(inputChannels: 1, inputHeight: 4, inputWidth: 4, outputChannels: 1,
                                                  kernelHeight: 1, kernelWidth: 1, padLeft: -1) }?.contains("left padding") == true)
        let ok = attempt { try ConvolutionGeometry(inputChannels: 1, inputHeight: 4, inputWidth: 4, outputChannels: 1,
                                                   kernelHeight: 5, kernelWidth: 1, padTop: 1) }
        #expect(ok == nil, "a kernel that fits only with padding is valid")
    }

    @Test func transposingMatchesIndexArithmetic() {
        let shape = [2, 3, 4], perm = [1, 2, 0]
        let p = Permutation.transposing(shape: shape, permutation: perm)
        // Output [3, 4, 2]: y[a, b, c] = x[c, a, b].
        for a in 0..<3 { for b in 0..<4 { for c in 0..<2 {
            #expect(p.indices[(a * 4 + b) * 2 + c] == (c * 3 + a) * 4 + b)
        }}}
        let x = Matrix(rows: 1, cols: 24, data: (0..<24).map(Double.init))
        let back = Permutation.transposing(shape: [3, 4, 2], permutation: [2, 0, 1])
        #expect(back.forward([p.forward([x])]) == x, "the inverse transpose restores the input")
    }

    @Test func concatenationAndSelectionHandValues() {
        // Two [2, 2] tensors and a constant [2, 1] along axis 1: outer 2.
        let op = Concatenation(outer: 2, parts: [.input(blockSize: 2), .constant(blockSize: 1, values: [9, 8]),
                                                 .input(blockSize: 2)])
        let y = op.forward([Matrix(rowVectors: [[1, 2, 3, 4]]), Matrix(rowVectors: [[5, 6, 7, 8]])])
        #expect(y == Matrix(rowVectors: [[1, 2, 9, 5, 6, 3, 4, 8, 7, 8]]))
        #expect(op.arity == 2 && op.outputSize == 10)
        let s = Selection(inputSize: 3, indices: [2, 2, 0])
        #expect(s.forward([Matrix(rowVectors: [[1, 2, 3]])]) == Matrix(rowVectors: [[3, 3, 1]]))
        #expect(s.pullBack(Matrix(rowVectors: [[1, 10, 100]])).inputs[0] == Matrix(rowVectors: [[100, 0, 11]]))
    }
}
