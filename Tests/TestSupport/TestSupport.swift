import LinearAlgebra
import NNGraph
import VNNLib

/// A small, fast, seeded generator (SplitMix64) so randomized tests are reproducible.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    public mutating func uniform(_ lo: Double, _ hi: Double) -> Double { Double.random(in: lo...hi, using: &self) }
}

/// Activation choices for random networks: every activation operator of the IR (LeakyReLU with a slope
/// below 1, Clip with both bounds, Abs), so parameterised soundness tests cover each.
public enum TestActivation: CaseIterable, Sendable {
    case relu, sigmoid, tanh, leakyRelu, clip, abs

    /// The operator on `size` neurons.
    public func op(size: Int) -> any ElementwiseActivation {
        switch self {
        case .relu: ReLU(size: size)
        case .sigmoid: Sigmoid(size: size)
        case .tanh: Tanh(size: size)
        case .leakyRelu: LeakyReLU(size: size, alpha: 0.1)
        case .clip: Clip(size: size, lower: -0.25, upper: 0.75)
        case .abs: Abs(size: size)
        }
    }

    /// The piecewise-linear ones (exact MILP, activation splits).
    public static let piecewiseLinear: [TestActivation] = [.relu, .leakyRelu, .clip, .abs]
}

/// Builds random networks that exercise every IR operator.
public enum RandomNetworks {
    /// A fully connected network `sizes[0] -> ... -> sizes.last` with the activation between layers.
    /// With `extras`, adds an ElementwiseAffine after the input, a residual LinearCombination and a
    /// Reshape, so every operator kind appears.
    public static func mlp(_ sizes: [Int], activation: TestActivation = .relu, extras: Bool = false,
                           weightScale: Double = 1, using rng: inout SeededGenerator) -> Network {
        var nodes = [Node]()
        var current: ValueID = 0
        func add(_ name: String, _ op: any Operator, _ inputs: [ValueID]) -> ValueID {
            nodes.append(Node(name: name, op: op, inputs: inputs, shape: [op.outputSize]))
            return nodes.count
        }
        if extras {
            let n = sizes[0]
            current = add("normalise", ElementwiseAffine(scale: (0..<n).map { _ in rng.uniform(0.5, 2) },
                                                         shift: (0..<n).map { _ in rng.uniform(-0.5, 0.5) }), [current])
        }
        for layer in 1..<sizes.count {
            let (nIn, nOut) = (sizes[layer - 1], sizes[layer])
            let scale = weightScale / Double(nIn).squareRoot() * 1.5
            let w = Matrix(rows: nOut, cols: nIn, data: (0..<(nOut * nIn)).map { _ in rng.uniform(-scale, scale) })
            let b = (0..<nOut).map { _ in rng.uniform(-0.3, 0.3) }
            let pre = add("fc\(layer)", Affine(weight: w, bias: b), [current])
            if layer == sizes.count - 1 { current = pre; break }
            let act = activation.op(size: nOut)
            var out = add("act\(layer)", act, [pre])
            if extras && layer == 1 {
                // A residual branch: out + 0.5 * pre (two computed values), then a reshape.
                out = add("residual\(layer)", LinearCombination(weights: [1, 0.5], size: nOut), [out, pre])
                out = add("reshape\(layer)", Reshape(size: nOut), [out])
            }
            current = out
        }
        // Force the network to be valid by construction; a failure here is a test bug.
        return try! Network(inputName: "x", inputShape: [sizes[0]], outputName: "y", nodes: nodes, output: current)
    }

    /// A random box inside [-1, 1]^n with widths up to `maxWidth`.
    public static func box(_ n: Int, maxWidth: Double = 1, using rng: inout SeededGenerator) -> InputBox {
        var lo = [Double](), hi = [Double]()
        for _ in 0..<n {
            let w = rng.uniform(0, maxWidth), c = rng.uniform(-1, 1)
            lo.append(c - w / 2); hi.append(c + w / 2)
        }
        return InputBox(lower: lo, upper: hi)
    }

    /// Uniform samples of a box, plus its corners when the dimension is small.
    public static func samples(of box: InputBox, count: Int, using rng: inout SeededGenerator) -> Matrix {
        let n = box.lower.count
        var rows = [[Double]]()
        for _ in 0..<count { rows.append((0..<n).map { rng.uniform(box.lower[$0], box.upper[$0]) }) }
        if n <= 6 {
            for mask in 0..<(1 << n) { rows.append((0..<n).map { mask & (1 << $0) != 0 ? box.upper[$0] : box.lower[$0] }) }
        }
        return Matrix(rowVectors: rows)
    }
}

extension InputBox {
    /// The box as a one-row interval batch.
    public var intervalBatch: IntervalMatrix {
        IntervalMatrix(lower: Matrix(rows: 1, cols: lower.count, data: lower),
                       upper: Matrix(rows: 1, cols: upper.count, data: upper))
    }
}
