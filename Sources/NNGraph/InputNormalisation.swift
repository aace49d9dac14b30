/// Per-channel input normalisation `x' = (x − mean_c) / std_c` put in front of a network, so that
/// data, perturbations, attacks and proofs live in the raw input space while the model sees the
/// normalised values it was trained on.
public struct InputNormalisation: Sendable, Equatable {
    public let mean: [Double]
    public let std: [Double]

    /// One value per channel (or one for all). Throws unless the lists have equal length and every
    /// value is finite, with `std > 0`.
    public init(mean: [Double], std: [Double]) throws {
        guard !mean.isEmpty, mean.count == std.count else {
            throw NetworkError.invalid("normalisation needs as many std values as mean values, got \(mean.count) and \(std.count)")
        }
        guard mean.allSatisfy(\.isFinite), std.allSatisfy({ $0.isFinite && $0 > 0 }) else {
            throw NetworkError.invalid("normalisation values must be finite, with every std > 0")
        }
        self.mean = mean
        self.std = std
    }

    /// The network that first normalises its (raw) input, then runs `network`. The input is read as
    /// `channels` equal blocks in order (C×H×W layout); a single mean/std applies to every value.
    public func prepended(to network: Network) throws -> Network {
        let n = network.inputSize
        let channels = mean.count
        guard channels == 1 || n % channels == 0 else {
            throw NetworkError.invalid("\(channels) normalisation channels do not divide the model's \(n) input values")
        }
        let block = n / channels
        var scale = [Double](repeating: 0, count: n), shift = scale
        for j in 0..<n {
            let c = channels == 1 ? 0 : j / block
            scale[j] = 1 / std[c]
            shift[j] = -mean[c] / std[c]
        }
        let first = Node(name: "input_normalisation", op: ElementwiseAffine(scale: scale, shift: shift), inputs: [0],
                         shape: network.inputShape)
        let moved = network.nodes.map { node in
            Node(name: node.name, op: node.op, inputs: node.inputs.map { $0 + 1 }, shape: node.shape)
        }
        return try Network(inputName: network.inputName, inputShape: network.inputShape, outputName: network.outputName,
                           nodes: [first] + moved, output: network.output + 1)
    }
}
