import LinearAlgebra
import NNGraph

/// The activation applied after a dense layer of a ``LayerChain``: any elementwise activation of the
/// IR, kept as a one-neuron template and resized per layer. Two are equal when they are written as the
/// same ONNX node (type, attributes and constant inputs).
public struct ChainActivation: Sendable, Equatable, CustomStringConvertible {
    /// The activation on one neuron.
    public let template: any ElementwiseActivation

    public init(_ activation: any ElementwiseActivation) { template = activation.resized(1) }

    /// `max(0, x)`.
    public static let relu = ChainActivation(ReLU(size: 1))
    /// `1 / (1 + e^-x)`.
    public static let sigmoid = ChainActivation(Sigmoid(size: 1))
    /// `tanh(x)`.
    public static let tanh = ChainActivation(Tanh(size: 1))

    /// The activations a random network may be given by name (`nnverify plant --activation`).
    public static let named: [String: ChainActivation] = ["relu": .relu, "sigmoid": .sigmoid, "tanh": .tanh]

    /// The activation named `name` in ``named``.
    public init?(rawValue name: String) {
        guard let a = Self.named[name] else { return nil }
        self = a
    }

    /// A short lower-case name for node names (`relu`, `leakyrelu`, ...).
    public var rawValue: String { template.kind.lowercased() }
    public var description: String { rawValue }

    /// The IR operator for `size` neurons.
    func op(size: Int) -> any Operator { template.resized(size) }

    /// How the ONNX writer writes it.
    var onnxForm: ONNXActivationForm { template.onnxForm }

    /// Whether it is ReLU itself (by its pieces), which carries a non-negative value unchanged and so
    /// lets planting embed a bump inside the chain.
    var isRectifier: Bool {
        (template as? any PiecewiseLinearActivation)?.pieces == ReLU(size: 1).pieces
    }

    public static func == (a: ChainActivation, b: ChainActivation) -> Bool { a.onnxForm == b.onnxForm }
}

/// One dense layer `y = act(W x + b)`, `W` of shape `outputs x inputs`; `activation` nil means linear.
public struct DenseLayer: Sendable, Equatable {
    /// `W`, `outputs x inputs`.
    public var weight: Matrix
    /// `b`, one per output.
    public var bias: [Double]
    /// The activation, or nil for a linear (output) layer.
    public var activation: ChainActivation?

    /// A layer; `bias` must have `weight.rows` entries.
    public init(weight: Matrix, bias: [Double], activation: ChainActivation?) {
        self.weight = weight
        self.bias = bias
        self.activation = activation
    }

    /// Number of neurons (outputs).
    public var outputSize: Int { weight.rows }
    /// Number of inputs.
    public var inputSize: Int { weight.cols }
}

/// A feed-forward network as a plain chain of dense layers: every layer but the last has an
/// activation, the last is linear. The planting construction reads models in this form (see
/// `init(network:)`) and writes planted networks in it, with every weight and bias a float32 value.
public struct LayerChain: Sendable, Equatable {
    /// Number of inputs of the first layer.
    public let inputSize: Int
    /// The layers, first to last.
    public let layers: [DenseLayer]

    /// A chain; throws unless consecutive sizes agree, every number is finite, every layer but the
    /// last has an activation and the last has none.
    public init(inputSize: Int, layers: [DenseLayer]) throws {
        guard inputSize > 0, let last = layers.last else {
            throw PlantingError.unsupportedModel(node: "(network)", reason: "a chain needs inputs and at least one layer")
        }
        var width = inputSize
        for (k, layer) in layers.enumerated() {
            guard layer.inputSize == width, layer.bias.count == layer.outputSize, layer.outputSize > 0 else {
                throw PlantingError.internalCheck("layer \(k) has shape \(layer.outputSize)x\(layer.inputSize) after \(width) values")
            }
            guard layer.weight.data.allSatisfy(\.isFinite), layer.bias.allSatisfy(\.isFinite) else {
                throw PlantingError.unsupportedModel(node: "layer \(k)", reason: "weights must be finite")
            }
            guard (layer.activation == nil) == (k == layers.count - 1) else {
                throw PlantingError.internalCheck("only the last layer of a chain is linear (layer \(k))")
            }
            width = layer.outputSize
        }
        _ = last
        self.inputSize = inputSize
        self.layers = layers
    }

    /// Number of outputs of the last layer.
    public var outputSize: Int { layers[layers.count - 1].outputSize }

    /// Number of hidden layers (layers with an activation).
    public var hiddenLayerCount: Int { layers.count - 1 }

    /// True when every hidden layer uses ReLU and there is at least one.
    public var isReLUNetwork: Bool {
        hiddenLayerCount >= 1 && layers.dropLast().allSatisfy { $0.activation?.isRectifier == true }
    }

    /// The chain with every weight and bias rounded to float32. Throws when a value overflows float32.
    public func roundedToFloat32() throws -> LayerChain {
        func round(_ values: [Double], _ what: String) throws -> [Double] {
            try values.map { v in
                guard let r = Float32Values.rounded(v) else {
                    throw PlantingError.unsupportedModel(node: what, reason: "value \(v) does not fit in float32")
                }
                return r
            }
        }
        let rounded = try layers.enumerated().map { k, layer in
            DenseLayer(weight: Matrix(rows: layer.weight.rows, cols: layer.weight.cols, data: try round(layer.weight.data, "layer \(k)")),
                       bias: try round(layer.bias, "layer \(k)"), activation: layer.activation)
        }
        return try LayerChain(inputSize: inputSize, layers: rounded)
    }

    /// True when every weight and bias is a float32 value.
    public var isFloat32: Bool {
        layers.allSatisfy { $0.weight.data.allSatisfy(Float32Values.isExact) && $0.bias.allSatisfy(Float32Values.isExact) }
    }

    /// The IR nodes of the chain reading value `input` of a network whose first node will be
    /// value `firstValue`; names carry `prefix`. Returns the nodes and the value of the output.
    func nodes(reading input: ValueID, firstValue: ValueID, prefix: String) -> (nodes: [Node], output: ValueID) {
        var nodes = [Node]()
        var current = input
        for (k, layer) in layers.enumerated() {
            let affine = Affine(weight: layer.weight, bias: layer.bias)
            nodes.append(Node(name: "\(prefix)gemm\(k)", op: affine, inputs: [current], shape: [1, layer.outputSize]))
            current = firstValue + nodes.count - 1
            if let act = layer.activation {
                nodes.append(Node(name: "\(prefix)\(act.rawValue)\(k)", op: act.op(size: layer.outputSize),
                                  inputs: [current], shape: [1, layer.outputSize]))
                current = firstValue + nodes.count - 1
            }
        }
        return (nodes, current)
    }

    /// The chain as an IR network with input `[1, inputSize]` and output `[1, outputSize]`.
    public func network(inputName: String = "input", outputName: String = "output") throws -> Network {
        let (nodes, output) = nodes(reading: 0, firstValue: 1, prefix: "")
        return try Network(inputName: inputName, inputShape: [1, inputSize], outputName: outputName, nodes: nodes, output: output)
    }

    /// Exact evaluation in Double (row by row, no BLAS) of the chain at `x`.
    public func evaluate(_ x: [Double]) -> [Double] {
        var h = x
        for layer in layers {
            var z = layer.bias
            for r in 0..<layer.outputSize {
                var s = z[r]
                for c in 0..<layer.inputSize { s += layer.weight.data[r * layer.inputSize + c] * h[c] }
                z[r] = s
            }
            if let act = layer.activation {
                let op = act.op(size: z.count)
                h = op.forward([Matrix(rows: 1, cols: z.count, data: z)]).data
            } else {
                h = z
            }
        }
        return h
    }
}
