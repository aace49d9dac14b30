import LinearAlgebra

/// Identifies a value of a ``Network``: `0` is the network input, node `i` produces value `i + 1`.
public typealias ValueID = Int

/// One node of the graph IR: an operator applied to earlier values.
public struct Node: Sendable {
    /// The name of the ONNX node this came from (for error messages).
    public let name: String
    public let op: any Operator
    /// Values consumed, in operator order; each is smaller than this node's own value.
    public let inputs: [ValueID]
    /// Tensor shape of the output as in the ONNX model (a leading batch dimension counts as 1), for
    /// display; `op.outputSize` is its product.
    public let shape: [Int]

    public init(name: String, op: any Operator, inputs: [ValueID], shape: [Int]) {
        self.name = name
        self.op = op
        self.inputs = inputs
        self.shape = shape
    }
}

/// A feed-forward network as an immutable directed acyclic graph of operators in topological order,
/// with one input tensor and one output tensor. Values are flat (row-major) vectors.
public struct Network: Sendable {
    public let inputName: String
    public let inputShape: [Int]
    public let outputName: String
    public let nodes: [Node]
    /// The value that is the network output.
    public let output: ValueID

    /// Builds a network, checking that inputs refer to earlier values and that sizes agree.
    public init(inputName: String, inputShape: [Int], outputName: String, nodes: [Node], output: ValueID) throws {
        self.inputName = inputName
        self.inputShape = inputShape
        self.outputName = outputName
        self.nodes = nodes
        self.output = output
        guard inputShape.allSatisfy({ $0 > 0 }) else {
            throw NetworkError.invalid("input '\(inputName)' has shape \(inputShape); every dimension must be positive")
        }
        guard output >= 0 && output <= nodes.count else {
            throw NetworkError.invalid("output value \(output) does not exist")
        }
        for (i, node) in nodes.enumerated() {
            guard node.inputs.count == node.op.arity else {
                throw NetworkError.invalid("node '\(node.name)' (\(node.op.kind)) has \(node.inputs.count) inputs, expected \(node.op.arity)")
            }
            for v in node.inputs where v < 0 || v > i {
                throw NetworkError.invalid("node '\(node.name)' reads value \(v), which is not computed before it")
            }
        }
    }

    public var inputSize: Int { inputShape.reduce(1, *) }
    public var outputSize: Int { size(of: output) }

    /// Flat size of a value.
    public func size(of value: ValueID) -> Int {
        value == 0 ? inputSize : nodes[value - 1].op.outputSize
    }

    /// For every value, the nodes that read it.
    public func consumers() -> [[Int]] {
        var result = [[Int]](repeating: [], count: nodes.count + 1)
        for (i, node) in nodes.enumerated() { for v in node.inputs { result[v].append(i) } }
        return result
    }

    /// Number of weights and biases held by the operators.
    public var parameterCount: Int {
        nodes.reduce(0) { $0 + (($1.op as? any ParameterCounting)?.parameterCount ?? 0) }
    }
}

/// Operators that hold learned parameters report how many.
public protocol ParameterCounting {
    var parameterCount: Int { get }
}

public enum NetworkError: Error, CustomStringConvertible, Equatable {
    case invalid(String)
    case inputSize(expected: Int, got: Int)

    public var description: String {
        switch self {
        case .invalid(let message): return "invalid network: \(message)"
        case .inputSize(let expected, let got): return "network expects \(expected) input values, got \(got)"
        }
    }
}
