import LinearAlgebra
import NNGraph

extension LayerChain {
    /// Reads a network of the IR as a chain of dense layers, rounded to float32.
    ///
    /// Accepted: a chain (every node reads the value of the node before it, the first reads the
    /// input) of `Affine`, `ElementwiseAffine` (e.g. a leading input normalisation, or a constant
    /// Add/Mul after a layer), `Reshape` (Flatten, Reshape, Identity: no-ops on flat data) and
    /// `ReLU`, `Sigmoid`, `Tanh`. Consecutive linear operators are composed into one layer (in
    /// Double, then rounded to float32, so a folded normalisation changes the weights by at most
    /// one float32 rounding); an activation without a linear operator before it gets an identity
    /// layer, and a network that ends in an activation gets a final identity layer.
    ///
    /// - Throws: ``PlantingError/unsupportedModel(node:reason:)`` naming the first node that does
    ///   not fit.
    public init(network: Network) throws {
        var layers = [DenseLayer]()
        var width = network.inputSize
        // The linear map since the last activation: nil (identity), a diagonal, or dense.
        var diagonal: (scale: [Double], shift: [Double])?
        var dense: (weight: Matrix, bias: [Double])?

        /// The pending map as a dense layer; an identity or diagonal one only up to `maximumDenseDiagonal` values.
        func flushLinear(_ node: String) throws -> (weight: Matrix, bias: [Double]) {
            defer { diagonal = nil; dense = nil }
            if let dense { return dense }
            guard width <= Self.maximumDenseDiagonal else {
                throw PlantingError.unsupportedModel(
                    node: node, reason: "an activation or the output follows \(width) values without a dense layer; plant would need a \(width)x\(width) layer (at most \(Self.maximumDenseDiagonal) values)")
            }
            let (scale, shift) = diagonal ?? ([Double](repeating: 1, count: width), [Double](repeating: 0, count: width))
            var w = Matrix(rows: width, cols: width)
            for i in 0..<width { w.data[i * width + i] = scale[i] }
            return (w, shift)
        }

        for (index, node) in network.nodes.enumerated() {
            guard node.inputs == [index] else {
                throw PlantingError.unsupportedModel(
                    node: node.name, reason: "\(node.op.kind) reads values \(node.inputs); plant needs a chain where every node reads the one before it")
            }
            switch node.op {
            case let affine as Affine:
                guard affine.inputSize == width else {
                    throw PlantingError.unsupportedModel(node: node.name, reason: "Affine takes \(affine.inputSize) values, got \(width)")
                }
                if let (w, b) = dense {
                    let bias = zip((affine.weight * Matrix(rows: b.count, cols: 1, data: b)).data, affine.bias).map { $0 + $1 }
                    dense = (affine.weight * w, bias)
                } else if let (scale, shift) = diagonal {
                    var w = affine.weight
                    for r in 0..<w.rows { for c in 0..<w.cols { w.data[r * w.cols + c] *= scale[c] } }
                    let bias = zip((affine.weight * Matrix(rows: shift.count, cols: 1, data: shift)).data, affine.bias).map { $0 + $1 }
                    dense = (w, bias)
                } else {
                    dense = (affine.weight, affine.bias)
                }
                diagonal = nil
                width = affine.outputSize
            case let scaling as ElementwiseAffine:
                guard scaling.outputSize == width else {
                    throw PlantingError.unsupportedModel(node: node.name, reason: "ElementwiseAffine has \(scaling.outputSize) values, got \(width)")
                }
                if var (w, b) = dense {
                    for r in 0..<w.rows {
                        for c in 0..<w.cols { w.data[r * w.cols + c] *= scaling.scale[r] }
                        b[r] = b[r] * scaling.scale[r] + scaling.shift[r]
                    }
                    dense = (w, b)
                } else {
                    let (scale, shift) = diagonal ?? ([Double](repeating: 1, count: width), [Double](repeating: 0, count: width))
                    diagonal = (zip(scale, scaling.scale).map { $0 * $1 }, (0..<width).map { shift[$0] * scaling.scale[$0] + scaling.shift[$0] })
                }
            case let reshape as Reshape:
                guard reshape.outputSize == width else {
                    throw PlantingError.unsupportedModel(node: node.name, reason: "Reshape changes the size from \(width) to \(reshape.outputSize)")
                }
            case let act as any ElementwiseActivation:
                let activation = ChainActivation(act)
                let (w, b) = try flushLinear(node.name)
                layers.append(DenseLayer(weight: w, bias: b, activation: activation))
            default:
                throw PlantingError.unsupportedModel(
                    node: node.name, reason: "operator \(node.op.kind) is not supported; plant reads chains of Gemm/MatMul, elementwise activations, Flatten/Reshape and constant Add/Sub/Mul/Div")
            }
        }
        guard network.output == network.nodes.count else {
            throw PlantingError.unsupportedModel(node: "(output)", reason: "the output is not the last node's value")
        }
        let (w, b) = try flushLinear(network.nodes.last?.name ?? "(output)")
        layers.append(DenseLayer(weight: w, bias: b, activation: nil))
        try self.init(inputSize: network.inputSize, layers: layers)
        self = try roundedToFloat32()
    }

    /// The largest width for which an identity or diagonal layer is made dense (4096 values: a
    /// 4096 x 4096 layer is 128 MB as Double).
    public static let maximumDenseDiagonal = 4096
}

/// Shape of a random network made by ``LayerChain/random(_:seed:)``.
public struct RandomNetworkShape: Sendable, Equatable {
    /// Number of inputs.
    public var inputs: Int
    /// Neurons per hidden layer.
    public var width: Int
    /// Number of hidden layers.
    public var depth: Int
    /// Number of outputs (classes).
    public var outputs: Int
    /// Activation of the hidden layers.
    public var activation: ChainActivation

    /// Largest accepted value of each size (inputs, width, outputs) and of depth.
    public static let maximumSize = 100_000
    public static let maximumDepth = 100
    /// Largest accepted total number of weights.
    public static let maximumWeights = 50_000_000

    /// A shape (checked by ``validate()``).
    public init(inputs: Int, width: Int, depth: Int, outputs: Int, activation: ChainActivation) {
        self.inputs = inputs
        self.width = width
        self.depth = depth
        self.outputs = outputs
        self.activation = activation
    }

    /// Throws ``PlantingError/invalidOption(option:reason:)`` naming the first size out of range.
    public func validate() throws {
        for (option, value, low) in [("--inputs", inputs, 1), ("--width", width, 1), ("--outputs", outputs, 2)]
        where value < low || value > Self.maximumSize {
            throw PlantingError.invalidOption(option: option, reason: "must be between \(low) and \(Self.maximumSize), got \(value)")
        }
        guard (0...Self.maximumDepth).contains(depth) else {
            throw PlantingError.invalidOption(option: "--depth", reason: "must be between 0 and \(Self.maximumDepth) hidden layers, got \(depth)")
        }
        let weights = depth == 0 ? inputs * outputs : inputs * width + (depth - 1) * width * width + width * outputs
        guard weights <= Self.maximumWeights else {
            throw PlantingError.invalidOption(option: "--width", reason: "the network would have \(weights) weights; at most \(Self.maximumWeights) are allowed")
        }
    }
}

extension LayerChain {
    /// A random fully connected network (Glorot-uniform weights, biases uniform in [-0.1, 0.1]),
    /// float32 throughout; the same shape and seed give the same network.
    public static func random(_ shape: RandomNetworkShape, seed: UInt64) throws -> LayerChain {
        try shape.validate()
        var rng = PlantingRandom(seed: seed, path: [0x6E65_7477])
        let sizes = [shape.inputs] + [Int](repeating: shape.width, count: shape.depth) + [shape.outputs]
        var layers = [DenseLayer]()
        for k in 1..<sizes.count {
            let (fanIn, fanOut) = (sizes[k - 1], sizes[k])
            let limit = (6.0 / Double(fanIn + fanOut)).squareRoot() * (shape.activation == .relu ? 1.4 : 1)
            let weights = (0..<(fanIn * fanOut)).map { _ in Double(Float(rng.uniform(-limit, limit))) }
            let bias = (0..<fanOut).map { _ in Double(Float(rng.uniform(-0.1, 0.1))) }
            layers.append(DenseLayer(weight: Matrix(rows: fanOut, cols: fanIn, data: weights), bias: bias,
                                     activation: k == sizes.count - 1 ? nil : shape.activation))
        }
        return try LayerChain(inputSize: shape.inputs, layers: layers)
    }
}
