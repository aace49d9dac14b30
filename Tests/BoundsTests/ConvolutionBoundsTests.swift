import LinearAlgebra
import NNGraph
import Testing
import TestSupport
@testable import Bounds

/// Sampling soundness of IBP and CROWN on small image networks: Convolutions (padded, strided, grouped),
/// ReLU, max-pooling lowered by ``WindowMaximum``, an average pool as a depthwise Convolution, a
/// Permutation and a Concatenation with a constant and a skip connection.
@Suite struct ConvolutionBoundsTests {
    static let slack = 1e-9

    /// A random 1x6x6 → 3 network with every image operator.
    static func network(using rng: inout SeededGenerator) throws -> Network {
        func values(_ n: Int, _ scale: Double) -> [Double] { (0..<n).map { _ in rng.uniform(-scale, scale) } }
        var nodes = [Node]()
        @discardableResult
        func add(_ name: String, _ op: any Operator, _ inputs: [ValueID]) -> ValueID {
            nodes.append(Node(name: name, op: op, inputs: inputs, shape: [op.outputSize]))
            return nodes.count
        }
        let g1 = try ConvolutionGeometry(inputChannels: 1, inputHeight: 6, inputWidth: 6, outputChannels: 2,
                                         kernelHeight: 3, kernelWidth: 3, padTop: 1, padLeft: 1, padBottom: 1, padRight: 1)
        let c1 = add("conv1", Convolution(geometry: g1, weight: values(18, 0.6), bias: values(2, 0.3)), [0])
        let r1 = add("relu1", ReLU(size: 72), [c1])
        let g2 = try ConvolutionGeometry(inputChannels: 2, inputHeight: 6, inputWidth: 6, outputChannels: 3,
                                         kernelHeight: 3, kernelWidth: 3, strideHeight: 2, strideWidth: 2,
                                         padBottom: 1, padRight: 1)
        let c2 = add("conv2", Convolution(geometry: g2, weight: values(54, 0.4), bias: values(3, 0.3)), [r1])
        // 2x2 max-pooling with stride 1 and padding at the bottom and right: windows of 4, 2 and 1 elements.
        var windows = [[Int]]()
        for c in 0..<3 { for oh in 0..<3 { for ow in 0..<3 {
            var w = [Int]()
            for ih in oh...(oh + 1) where ih < 3 { for iw in ow...(ow + 1) where iw < 3 { w.append(c * 9 + ih * 3 + iw) } }
            windows.append(w)
        }}}
        let lowering = WindowMaximum.steps(input: c2, inputSize: 27, windows: windows, firstValue: nodes.count + 1)
        for step in lowering.steps { add("pool" + step.name, step.op, step.inputs) }
        let pooled = add("relu2", ReLU(size: 27), [lowering.output])
        let g3 = try ConvolutionGeometry(inputChannels: 3, inputHeight: 3, inputWidth: 3, outputChannels: 3,
                                         kernelHeight: 2, kernelWidth: 2, groups: 3)
        let average = add("average", Convolution(geometry: g3, weight: [Double](repeating: 0.25, count: 12)), [pooled])
        let nhwc = add("transpose", Permutation.transposing(shape: [3, 2, 2], permutation: [1, 2, 0]), [average])
        let joined = add("concat", Concatenation(outer: 1, parts: [.input(blockSize: 12), .constant(blockSize: 2, values: [0.5, -1]),
                                                                   .input(blockSize: 27)]), [nhwc, pooled])
        let w = Matrix(rows: 3, cols: 41, data: values(123, 0.4))
        let out = add("fc", Affine(weight: w, bias: values(3, 0.2)), [joined])
        return try Network(inputName: "x", inputShape: [1, 1, 6, 6], outputName: "y", nodes: nodes, output: out)
    }

    @Test func ibpAndCrownEncloseSampledValues() throws {
        var rng = SeededGenerator(seed: 2026)
        for trial in 0..<6 {
            let net = try Self.network(using: &rng)
            let box = RandomNetworks.box(36, maxWidth: trial % 2 == 0 ? 0.2 : 1, using: &rng)
            let x = RandomNetworks.samples(of: box, count: 300, using: &rng)
            let values = net.evaluateAll(x)
            let ibp = intervalBounds(net, input: box.intervalBatch)
            let crown = CROWN(network: net)
            let backward = crown.intermediateBounds(input: box.intervalBatch)
            let forward = crown.intermediateBounds(input: box.intervalBatch, method: .forward)
            #expect(backward.count == crown.boundedValues.count && crown.boundedValues.count >= 4)
            for v in 0..<values.count {
                for r in 0..<x.rows {
                    for j in 0..<values[v].cols {
                        let y = values[v][r, j]
                        #expect(y >= ibp[v].lower[0, j] - Self.slack && y <= ibp[v].upper[0, j] + Self.slack,
                                "IBP value \(v) neuron \(j), trial \(trial)")
                        for (name, bounds) in [("backward", backward), ("forward", forward)] {
                            guard let b = bounds[v] else { continue }
                            #expect(y >= b.lower[0, j] - Self.slack && y <= b.upper[0, j] + Self.slack,
                                    "CROWN \(name) value \(v) neuron \(j), trial \(trial)")
                        }
                    }
                }
            }
            // CROWN is never looser than IBP on the values it bounds.
            for (v, b) in backward {
                for j in 0..<b.cols {
                    #expect(b.lower[0, j] >= ibp[v].lower[0, j] - 1e-12 && b.upper[0, j] <= ibp[v].upper[0, j] + 1e-12)
                }
            }
            // A random objective C y + d: the CROWN lower bound and its linear certificate hold.
            let c = Matrix(rows: 2, cols: 3, data: (0..<6).map { _ in rng.uniform(-1, 1) })
            let d = [rng.uniform(-1, 1), rng.uniform(-1, 1)]
            let bound = crown.lowerBound(of: net.output, objective: c, constant: d, input: box.intervalBatch, bounds: backward)
            let cy = values[net.output].multiplied(by: c, transposeOther: true)
            let ax = x.multiplied(by: bound.inputCoefficients, transposeOther: true)
            var closest = Double.infinity
            for r in 0..<x.rows {
                for i in 0..<2 {
                    let objective = cy[r, i] + d[i]
                    closest = min(closest, objective - bound.lower[0, i])
                    #expect(objective >= bound.lower[0, i] - Self.slack, "CROWN objective bound, trial \(trial)")
                    #expect(objective >= ax[r, i] + bound.inputConstant[i] - Self.slack, "linear certificate, trial \(trial)")
                }
            }
            #expect(closest.isFinite && closest >= -Self.slack)
        }
    }

    /// On a box of width 0 every bound collapses to the value itself: the pooling lowering is exact.
    @Test func pointBoxesAreExact() throws {
        var rng = SeededGenerator(seed: 4)
        let net = try Self.network(using: &rng)
        let point = (0..<36).map { _ in rng.uniform(-1, 1) }
        let box = IntervalMatrix(lower: Matrix(rows: 1, cols: 36, data: point), upper: Matrix(rows: 1, cols: 36, data: point))
        let y = try net.evaluate(point)
        let crown = CROWN(network: net)
        let bound = crown.lowerBound(of: net.output, objective: Matrix.identity(3), constant: [0, 0, 0], input: box,
                                     bounds: crown.intermediateBounds(input: box))
        for j in 0..<3 { #expect(abs(bound.lower[0, j] - y[j]) < 1e-9, "output \(j): bound \(bound.lower[0, j]), value \(y[j])") }
    }
}
