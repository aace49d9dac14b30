import LinearAlgebra

extension LayerChain {
    /// The chain with every weight of magnitude below `threshold` set to zero (biases kept): the
    /// "pruned copy" of an ε-equivalence property (a network and its pruned version should agree
    /// within ε). Also returns how many weights were zeroed.
    public func pruned(magnitudeBelow threshold: Double) throws -> (chain: LayerChain, zeroed: Int) {
        var zeroed = 0
        let layers = self.layers.map { layer -> DenseLayer in
            var weight = layer.weight
            for k in weight.data.indices where weight.data[k] != 0 && abs(weight.data[k]) < threshold {
                weight.data[k] = 0
                zeroed += 1
            }
            return DenseLayer(weight: weight, bias: layer.bias, activation: layer.activation)
        }
        return (try LayerChain(inputSize: inputSize, layers: layers), zeroed)
    }

    /// The number of weights (not biases).
    public var weightCount: Int { layers.reduce(0) { $0 + $1.weight.data.count } }
}
