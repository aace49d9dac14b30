/// Identifies an ONNX node in error messages: its name (often empty in PyTorch 1.x exports), its
/// operator type and its first output, which names it when the name is empty.
public struct NodeReference: Sendable, Equatable, CustomStringConvertible {
    /// The node's `name` field (may be empty).
    public let name: String
    /// The node's `op_type`, prefixed with its domain when that is not the default one.
    public let opType: String
    /// The node's first output name (may be empty for a node without outputs).
    public let firstOutput: String

    /// A reference with the given fields.
    public init(name: String, opType: String, firstOutput: String) {
        self.name = name
        self.opType = opType
        self.firstOutput = firstOutput
    }

    /// `node 'Gemm_5' (Gemm)`, or `unnamed Gemm node producing '8'` when the name is empty.
    public var description: String {
        if !name.isEmpty { return "node '\(name)' (\(opType))" }
        return "unnamed \(opType) node producing '\(firstOutput)'"
    }

    /// The name to show for the node: its name, else its first output.
    public var displayName: String { name.isEmpty ? firstOutput : name }
}

/// One node whose operator the loader cannot convert.
public struct UnsupportedOperator: Sendable, Equatable, CustomStringConvertible {
    /// The node (its `opType` is the unsupported operator).
    public let node: NodeReference
    /// An entry for `node`.
    public init(node: NodeReference) { self.node = node }
    /// `Conv (node 'conv_1')`.
    public var description: String {
        node.name.isEmpty ? "\(node.opType) (unnamed node producing '\(node.firstOutput)')"
            : "\(node.opType) (node '\(node.name)')"
    }
}

/// Everything that can go wrong while reading an ONNX model. Every case names the file (the path given
/// to ``ONNXLoader/load(contentsOf:)`` or the `fileName` given with data) and, where one is involved, the
/// node (name and operator) or tensor, so that `description` alone tells the user what to fix.
public enum ONNXError: Error, CustomStringConvertible, Equatable {
    /// No file at the path.
    case fileNotFound(file: String)
    /// The file exists but could not be read (a directory, no permission, ...).
    case unreadable(file: String, reason: String)
    /// The file is larger than ``ONNXLoader/maxFileBytes``.
    case fileTooLarge(file: String, bytes: Int, limit: Int)
    /// The bytes are not a protobuf-encoded ONNX `ModelProto` (or the protobuf is truncated).
    case notONNX(file: String, reason: String)
    /// The model has no graph.
    case noGraph(file: String)
    /// Every graph input is an initializer: there is no network input.
    case noInput(file: String)
    /// More than one graph input is not an initializer; nnverify needs exactly one.
    case ambiguousInput(file: String, candidates: [String])
    /// The network input has no usable type or shape.
    case invalidInput(file: String, input: String, reason: String)
    /// The graph does not have exactly one output.
    case invalidOutputs(file: String, reason: String)
    /// A node reads a value that no node, initializer or graph input defines (for example a missing
    /// initializer). `node` is nil when a graph output is the undefined value.
    case unknownValue(file: String, node: NodeReference?, value: String)
    /// Two definitions (nodes, initializers or the input) produce the same value name.
    case duplicateValue(file: String, value: String, node: NodeReference?)
    /// The nodes cannot be ordered so that every value is defined before it is used.
    case cycle(file: String, nodes: [NodeReference])
    /// The operators (listed together, one entry per node) that the loader does not support.
    case unsupportedOperators(file: String, operators: [UnsupportedOperator])
    /// A tensor uses an element type the loader does not read.
    case unsupportedDataType(file: String, tensor: String, dataType: String)
    /// A tensor keeps its data in an external file, which the loader does not read.
    case externalData(file: String, tensor: String)
    /// A tensor's stored data does not match its declared shape and type.
    case invalidTensor(file: String, tensor: String, reason: String)
    /// A weight is NaN or infinite.
    case nonFiniteWeight(file: String, tensor: String, index: Int, value: Double)
    /// A tensor or derived matrix would exceed ``ONNXLoader/maxTensorElements`` elements.
    case tooLarge(file: String, node: NodeReference?, what: String, elements: String, limit: Int)
    /// Operand shapes do not fit the operator. `node` is nil for graph-level shapes.
    case shapeMismatch(file: String, node: NodeReference?, detail: String)
    /// A node's attributes or inputs are malformed.
    case invalidNode(file: String, node: NodeReference, reason: String)
    /// The operator is supported, but not in the form this node uses it (e.g. `c / x`).
    case unsupportedNode(file: String, node: NodeReference, reason: String)
    /// The graph as a whole cannot become a network (e.g. the output does not depend on the input).
    case invalidGraph(file: String, reason: String)

    /// The file the error is about.
    public var file: String {
        switch self {
        case .fileNotFound(let f), .unreadable(let f, _), .fileTooLarge(let f, _, _), .notONNX(let f, _),
             .noGraph(let f), .noInput(let f), .ambiguousInput(let f, _), .invalidInput(let f, _, _),
             .invalidOutputs(let f, _), .unknownValue(let f, _, _), .duplicateValue(let f, _, _),
             .cycle(let f, _), .unsupportedOperators(let f, _), .unsupportedDataType(let f, _, _),
             .externalData(let f, _), .invalidTensor(let f, _, _), .nonFiniteWeight(let f, _, _, _),
             .tooLarge(let f, _, _, _, _), .shapeMismatch(let f, _, _), .invalidNode(let f, _, _),
             .unsupportedNode(let f, _, _), .invalidGraph(let f, _):
            return f
        }
    }

    /// `<file>: <what is wrong>`, naming the node, operator or tensor where one is involved.
    public var description: String {
        "\(file): " + message
    }

    private var message: String {
        switch self {
        case .fileNotFound:
            return "no such file"
        case .unreadable(_, let reason):
            return "cannot read the file: \(reason)"
        case .fileTooLarge(_, let bytes, let limit):
            return "file has \(bytes) bytes, more than the limit of \(limit) bytes for an ONNX model"
        case .notONNX(_, let reason):
            return "not an ONNX model: \(reason)"
        case .noGraph:
            return "the ONNX model has no graph"
        case .noInput:
            return "the graph has no input that is not an initializer, so there is no network input"
        case .ambiguousInput(_, let candidates):
            return "the graph has \(candidates.count) inputs that are not initializers "
                + "(\(candidates.map { "'\($0)'" }.joined(separator: ", "))); nnverify supports exactly one network input"
        case .invalidInput(_, let input, let reason):
            return "network input '\(input)': \(reason)"
        case .invalidOutputs(_, let reason):
            return reason
        case .unknownValue(_, let node, let value):
            if let node {
                return "\(node) reads '\(value)', which no node, initializer or graph input defines (missing initializer?)"
            }
            return "graph output '\(value)' is not defined by any node, initializer or graph input"
        case .duplicateValue(_, let value, let node):
            return "value '\(value)' is defined more than once" + (node.map { " (again by \($0))" } ?? "")
        case .cycle(_, let nodes):
            let shown = nodes.prefix(8).map(\.description).joined(separator: ", ")
            return "the graph has a cycle: \(nodes.count) node(s) lie on a cycle or depend on one, so their inputs "
                + "are never all defined: \(shown)" + (nodes.count > 8 ? ", ..." : "")
        case .unsupportedOperators(_, let operators):
            let types = Set(operators.map(\.node.opType)).sorted()
            return "unsupported operator\(types.count == 1 ? "" : "s") \(types.joined(separator: ", ")) in "
                + "\(operators.count) node\(operators.count == 1 ? "" : "s"): "
                + operators.map(\.description).joined(separator: ", ")
        case .unsupportedDataType(_, let tensor, let dataType):
            return "tensor '\(tensor)' has element type \(dataType); supported: FLOAT, DOUBLE, FLOAT16, INT64, INT32, BOOL"
        case .externalData(_, let tensor):
            return "tensor '\(tensor)' stores its data in an external file, which nnverify does not read "
                + "(save the model with all tensors inside the .onnx file)"
        case .invalidTensor(_, let tensor, let reason):
            return "tensor '\(tensor)': \(reason)"
        case .nonFiniteWeight(_, let tensor, let index, let value):
            return "tensor '\(tensor)' holds \(value) at element \(index); weights must be finite"
        case .tooLarge(_, let node, let what, let elements, let limit):
            return (node.map { "\($0): " } ?? "") + "\(what) would have \(elements) elements, more than the limit of \(limit)"
        case .shapeMismatch(_, let node, let detail):
            return (node.map { "\($0): " } ?? "") + "shape mismatch: \(detail)"
        case .invalidNode(_, let node, let reason):
            return "\(node): \(reason)"
        case .unsupportedNode(_, let node, let reason):
            return "\(node): not supported: \(reason)"
        case .invalidGraph(_, let reason):
            return reason
        }
    }
}

/// A problem found while converting one node, before the file and node are attached (the graph
/// builder turns it into an ``ONNXError``).
enum NodeIssue: Error {
    case invalid(String)
    case unsupported(String)
    case shapeMismatch(String)
    case tooLarge(what: String, elements: String)

    /// The public error, with the file and (when known) the node attached.
    func error(file: String, node: NodeReference?) -> ONNXError {
        switch self {
        case .invalid(let reason), .unsupported(let reason):
            guard let node else { return .invalidGraph(file: file, reason: reason) }
            if case .invalid = self { return .invalidNode(file: file, node: node, reason: reason) }
            return .unsupportedNode(file: file, node: node, reason: reason)
        case .shapeMismatch(let detail): return .shapeMismatch(file: file, node: node, detail: detail)
        case .tooLarge(let what, let elements):
            return .tooLarge(file: file, node: node, what: what, elements: elements, limit: ONNXLoader.maxTensorElements)
        }
    }
}
