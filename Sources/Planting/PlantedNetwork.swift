import LinearAlgebra
import NNGraph

/// A base network `f` with a bump added: `f'(x) = f(x) + t(x) · δ` (see ``Bump`` and
/// ``OutputShift``), in one of two layouts.
///
/// - ``Layout/embedded(_:)`` (ReLU networks with at least one hidden layer): the bump lives inside
///   the chain. Hidden layer 1 gets the `2k` neurons `u`, hidden layer 2 the tent neuron `t`, later
///   hidden layers one neuron carrying `t` (ReLU(t) = t since t >= 0), and the output layer a column
///   `δ` reading it. The bump neurons read only the input and feed only each other and that column,
///   so `f` is unchanged; the neurons of every hidden layer are then shuffled, so the file is a
///   plain Gemm/Relu chain with no separate branch. A network with one hidden layer first gets an
///   identity layer (ReLU(h) = h for h >= 0) to make room for the two bump layers.
/// - ``Layout/parallel(main:bump:)`` (sigmoid/tanh or linear networks, and one-hidden-layer ReLU
///   networks wider than ``LayerChain/maximumDenseDiagonal``): the bump is a separate ReLU chain from
///   the input to the outputs, added to `f`'s output.
public struct PlantedNetwork: Sendable, Equatable {
    /// How the bump is wired into the network.
    public enum Layout: Sendable, Equatable {
        /// One chain holding `f` and the bump.
        case embedded(LayerChain)
        /// `f` and a separate bump chain, added.
        case parallel(main: LayerChain, bump: LayerChain)
    }

    /// The wiring of this network.
    public let layout: Layout

    /// Adds `bump · shift` to `base` (embedded for ReLU networks, else parallel); hidden neurons are
    /// shuffled with `rng`. `base` and `shift` must be float32 values.
    public init(base: LayerChain, bump: Bump, shift: [Double], rng: inout PlantingRandom) throws {
        guard base.isFloat32, shift.allSatisfy(Float32Values.isExact), shift.count == base.outputSize,
              bump.centre.count == base.inputSize else {
            throw PlantingError.internalCheck("planting needs float32 weights and matching sizes")
        }
        let roomForIdentity = base.hiddenLayerCount >= 2 || base.layers[0].outputSize <= LayerChain.maximumDenseDiagonal
        if base.isReLUNetwork && roomForIdentity {
            layout = .embedded(try Self.embedded(base: base, bump: bump, shift: shift, rng: &rng))
        } else {
            layout = .parallel(main: base, bump: try Self.branch(inputSize: base.inputSize, bump: bump, shift: shift, rng: &rng))
        }
    }

    /// The IR network with input `[1, n]` named `input` and output `[1, m]` named `output`.
    public func network() throws -> Network {
        switch layout {
        case .embedded(let chain):
            return try chain.network()
        case let .parallel(main, bump):
            let first = main.nodes(reading: 0, firstValue: 1, prefix: "")
            let second = bump.nodes(reading: 0, firstValue: 1 + first.nodes.count, prefix: "branch_")
            let sum = Node(name: "add", op: LinearCombination(weights: [1, 1], size: main.outputSize),
                           inputs: [first.output, second.output], shape: [1, main.outputSize])
            let nodes = first.nodes + second.nodes + [sum]
            return try Network(inputName: "input", inputShape: [1, main.inputSize], outputName: "output", nodes: nodes, output: nodes.count)
        }
    }

    /// The embedded layout; see the type's description.
    static func embedded(base: LayerChain, bump: Bump, shift: [Double], rng: inout PlantingRandom) throws -> LayerChain {
        var layers = base.layers
        if layers.count == 2 {
            let width = layers[0].outputSize
            layers.insert(DenseLayer(weight: Matrix.identity(width), bias: [Double](repeating: 0, count: width), activation: .relu), at: 1)
        }
        let n = base.inputSize, k2 = 2 * bump.dimensions.count
        let (bumpWeight, bumpBias) = bump.firstLayer(inputSize: n)
        var widened = [DenseLayer]()
        for (index, layer) in layers.enumerated() {
            let (rows, cols) = (layer.outputSize, layer.inputSize)
            let extraIn = index == 0 ? 0 : index == 1 ? k2 : 1
            let extraOut = index == 0 ? k2 : index == layers.count - 1 ? 0 : 1
            var w = Matrix(rows: rows + extraOut, cols: cols + extraIn)
            var b = layer.bias + [Double](repeating: 0, count: extraOut)
            for r in 0..<rows { for c in 0..<cols { w.data[r * w.cols + c] = layer.weight.data[r * cols + c] } }
            switch index {
            case 0:
                for r in 0..<k2 {
                    for c in 0..<n { w.data[(rows + r) * w.cols + c] = bumpWeight.data[r * n + c] }
                    b[rows + r] = bumpBias[r]
                }
            case 1:
                let tent = bump.tentRow()
                for c in 0..<k2 { w.data[rows * w.cols + cols + c] = tent.weight[c] }
                b[rows] = tent.bias
            case layers.count - 1:
                for r in 0..<rows { w.data[r * w.cols + cols] = shift[r] }
            default:
                w.data[rows * w.cols + cols] = 1
            }
            widened.append(DenseLayer(weight: w, bias: b, activation: layer.activation))
        }
        return try LayerChain(inputSize: n, layers: shuffled(widened, rng: &rng))
    }

    /// The separate bump chain: `2k` ReLU neurons, the tent neuron, then the outputs `t · δ`.
    static func branch(inputSize n: Int, bump: Bump, shift: [Double], rng: inout PlantingRandom) throws -> LayerChain {
        let (w1, b1) = bump.firstLayer(inputSize: n)
        let tent = bump.tentRow()
        let layers = [
            DenseLayer(weight: w1, bias: b1, activation: .relu),
            DenseLayer(weight: Matrix(rows: 1, cols: tent.weight.count, data: tent.weight), bias: [tent.bias], activation: .relu),
            DenseLayer(weight: Matrix(rows: shift.count, cols: 1, data: shift), bias: [Double](repeating: 0, count: shift.count), activation: nil),
        ]
        return try LayerChain(inputSize: n, layers: shuffled(layers, rng: &rng))
    }

    /// The same function with the neurons of every hidden layer in a random order.
    static func shuffled(_ layers: [DenseLayer], rng: inout PlantingRandom) -> [DenseLayer] {
        var result = layers
        for k in 0..<(layers.count - 1) {
            let order = rng.permutation(result[k].outputSize)
            let layer = result[k]
            var w = layer.weight
            for (newRow, oldRow) in order.enumerated() {
                for c in 0..<w.cols { w.data[newRow * w.cols + c] = layer.weight.data[oldRow * w.cols + c] }
            }
            result[k] = DenseLayer(weight: w, bias: order.map { layer.bias[$0] }, activation: layer.activation)
            let next = result[k + 1]
            var v = next.weight
            for r in 0..<v.rows {
                for (newCol, oldCol) in order.enumerated() { v.data[r * v.cols + newCol] = next.weight.data[r * v.cols + oldCol] }
            }
            result[k + 1] = DenseLayer(weight: v, bias: next.bias, activation: next.activation)
        }
        return result
    }
}
