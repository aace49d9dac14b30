/// A VNN-LIB 2.0 query: the declared networks with their typed tensors, and the property in the
/// normalised form of ``Specification`` over the *joint* variables.
///
/// Joint variables: the inputs of all networks, in declaration order, flattened row-major, are the
/// joint inputs `X_0 …` (network `f`'s tensor `X_f` of shape `[1,5]` then network `g`'s tensor
/// `X_g` occupy joint inputs 0–4 and 5–9); the outputs likewise are the joint outputs `Y_0 …`,
/// and after them come the hidden tensors (`declare-hidden`) of all networks in declaration order:
/// the specification's output variables are the joint outputs followed by the joint hidden values,
/// so a constraint on a hidden node is an output constraint of a network that also exposes it.
/// ``TensorDeclaration/offset`` is where a tensor starts. A verifier runs one product network
/// that maps the joint input to the joint output (see the Verifier module).
public struct Query: Sendable, Equatable {
    /// The version written in the header, e.g. `2.0`.
    public var version: String
    /// The networks, in declaration order.
    public var networks: [NetworkDeclaration]
    /// The property over the joint inputs and outputs (describes the unsafe set, as in VNN-LIB 1.0).
    public var specification: Specification

    public init(version: String, networks: [NetworkDeclaration], specification: Specification) {
        self.version = version
        self.networks = networks
        self.specification = specification
    }

    /// The number of joint outputs (all networks' outputs); the hidden values follow them.
    public var outputCount: Int { networks.reduce(0) { $0 + $1.outputCount } }

    /// The number of joint hidden values (all networks' `declare-hidden` tensors).
    public var hiddenCount: Int { networks.reduce(0) { $0 + $1.hidden.reduce(0) { $0 + $1.count } } }

    /// Every declared tensor in declaration order (per network: inputs, hidden, outputs), the order
    /// of the standard's counterexample assignment.
    public var declarations: [TensorDeclaration] {
        networks.flatMap { $0.inputs + $0.hidden + $0.outputs }
    }
}

/// One `declare-network` block.
public struct NetworkDeclaration: Sendable, Equatable {
    public var name: String
    /// `equal-to` (same structure and weights) or `isomorphic-to` (same structure) another network.
    public var relation: NetworkRelation?
    public var inputs: [TensorDeclaration]
    /// `declare-hidden` tensors, bound to ONNX value names.
    public var hidden: [TensorDeclaration]
    public var outputs: [TensorDeclaration]

    public init(name: String, relation: NetworkRelation?, inputs: [TensorDeclaration],
                hidden: [TensorDeclaration], outputs: [TensorDeclaration]) {
        self.name = name
        self.relation = relation
        self.inputs = inputs
        self.hidden = hidden
        self.outputs = outputs
    }

    /// Flat element count of all input tensors.
    public var inputCount: Int { inputs.reduce(0) { $0 + $1.count } }
    /// Flat element count of all output tensors.
    public var outputCount: Int { outputs.reduce(0) { $0 + $1.count } }
}

/// How a network relates to an earlier one.
public enum NetworkRelation: Sendable, Equatable {
    /// `(equal-to NAME)`: the same function (structure and weights); it needs no model file of its own.
    case equalTo(String)
    /// `(isomorphic-to NAME)`: the same structure, possibly other weights; it needs its own model file.
    case isomorphicTo(String)
}

/// A declared tensor variable of a network.
public struct TensorDeclaration: Sendable, Equatable {
    public enum Role: String, Sendable, Equatable { case input, hidden, output }

    public var name: String
    /// The element type as written (`float32`, `real`, …).
    public var elementType: String
    /// The shape; `[]` is a scalar.
    public var shape: [Int]
    public var role: Role
    /// The ONNX value name (mandatory for hidden tensors, optional otherwise).
    public var onnxName: String?
    /// The first joint index of this tensor among the joint inputs (inputs), joint outputs
    /// (outputs), or hidden values (hidden; the specification's output variable is
    /// ``Query/outputCount`` plus this).
    public var offset: Int
    /// `line:column` of the declaration in the query (of the ONNX name when there is one), for errors
    /// found when the models are loaded; nil for declarations not read from a file.
    public var declaredAt: String?

    public init(name: String, elementType: String, shape: [Int], role: Role, onnxName: String?, offset: Int) {
        self.name = name
        self.elementType = elementType
        self.shape = shape
        self.role = role
        self.onnxName = onnxName
        self.offset = offset
    }

    /// The number of elements (1 for a scalar).
    public var count: Int { shape.reduce(1, *) }

    /// `[2,3]` as the standard's assignment header writes shapes.
    public var shapeText: String { "[" + shape.map(String.init).joined(separator: ",") + "]" }

    /// The flat (row-major) position of `indices`, or nil when their number or a value is out of range.
    public func flatIndex(_ indices: [Int]) -> Int? {
        guard indices.count == shape.count else { return nil }
        var flat = 0
        for (i, n) in zip(indices, shape) {
            guard i >= 0, i < n else { return nil }
            flat = flat * n + i
        }
        return flat
    }
}
