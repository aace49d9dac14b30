/// Bad input to a Lipschitz or tightness computation: one clear message, naming the node or option.
public enum LipschitzError: Error, CustomStringConvertible, Equatable {
    /// Nodes whose derivative cannot be bounded soundly, as `name (kind)`.
    case unsupportedOperators([String])
    case invalidRegion(String)
    case invalidObjective(String)

    public var description: String {
        switch self {
        case .unsupportedOperators(let nodes):
            return "Jacobian bounds do not support \(nodes.count == 1 ? "node" : "nodes") " + nodes.joined(separator: ", ")
                + ": only linear operators, piecewise-linear activations (Relu, LeakyRelu, Clip, Abs, max-pooling) and "
                + "S-shaped activations (Sigmoid, Tanh, Erf, Softsign) are supported"
        case .invalidRegion(let message): return "invalid input region: \(message)"
        case .invalidObjective(let message): return "invalid outputs: \(message)"
        }
    }
}
