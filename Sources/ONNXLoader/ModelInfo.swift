import NNGraph
import ONNXProto

/// A summary of an ONNX model for `nnverify info`, read without converting the graph.
public struct ModelInfo: Sendable, Equatable, CustomStringConvertible {
    /// One dimension of a declared tensor shape.
    public enum Dimension: Sendable, Equatable, CustomStringConvertible {
        case fixed(Int)
        /// A named symbolic dimension such as `BatchSize`.
        case symbolic(String)
        /// Neither a value nor a name.
        case unknown

        /// The size, the symbol's name, or `?`.
        public var description: String {
            switch self {
            case .fixed(let n): return "\(n)"
            case .symbolic(let name): return name
            case .unknown: return "?"
            }
        }
    }

    /// A graph input or output as declared in the file.
    public struct Tensor: Sendable, Equatable, CustomStringConvertible {
        /// The graph input or output name.
        public let name: String
        /// Declared dimensions; nil when the file declares no shape.
        public let dimensions: [Dimension]?
        /// ONNX element type name (e.g. `FLOAT`), or `?` when not declared.
        public let elementType: String

        /// A tensor summary with the given fields.
        public init(name: String, dimensions: [Dimension]?, elementType: String) {
            self.name = name
            self.dimensions = dimensions
            self.elementType = elementType
        }

        /// `input [1 x 1 x 28 x 28] FLOAT`.
        public var description: String {
            let dims = dimensions.map { "[" + $0.map(\.description).joined(separator: " x ") + "]" } ?? "[shape not declared]"
            return "\(name) \(dims) \(elementType)"
        }
    }

    /// How many nodes use an operator type.
    public struct OperatorCount: Sendable, Equatable {
        /// The ONNX `op_type` (prefixed with its domain outside the default one).
        public let opType: String
        /// Number of nodes of that type.
        public let count: Int
        /// A count with the given fields.
        public init(opType: String, count: Int) {
            self.opType = opType
            self.count = count
        }
    }

    /// The file as given to the loader.
    public let file: String
    /// `producer_name producer_version` (empty when the file does not say).
    public let producer: String
    /// ONNX IR version of the file.
    public let irVersion: Int
    /// Opset version of the default ONNX domain.
    public let opset: Int
    /// Operator types with their node counts, in order of first appearance in the graph.
    public let operators: [OperatorCount]
    /// Operator types (with counts) that the loader has no converter for.
    public let unsupportedOperators: [OperatorCount]
    /// When every operator type has a converter but converting the graph still fails (a node's form is
    /// not supported, e.g. `Mul` of two computed tensors), the loader's message; nil when the model loads.
    public let conversionProblem: String?
    /// When the model converts: the IR operators with counts, each with how it is relaxed.
    public let relaxations: [OperatorRelaxation]
    /// Graph inputs that are not initializers (normally exactly one: the network input).
    public let inputs: [Tensor]
    /// Graph outputs.
    public let outputs: [Tensor]
    /// Elements of all floating-point initializers and `Constant` tensors (weights, biases,
    /// normalisation constants).
    public let parameterCount: Int
    /// Number of ONNX nodes.
    public let nodeCount: Int

    init(model: Onnx_ModelProto, file: String) {
        let graph = model.graph
        self.file = file
        producer = ModelDecoding.producer(model)
        irVersion = Int(clamping: model.irVersion)
        opset = ModelDecoding.defaultOpset(model)
        nodeCount = graph.node.count
        operators = Self.counts(graph.node.map { OperatorRegistry.key(domain: $0.domain, opType: $0.opType) })
        unsupportedOperators = Self.counts(GraphConversion.unsupportedOperators(graph).map(\.node.opType))
        if unsupportedOperators.isEmpty {
            do {
                let network = try GraphConversion.network(from: model, file: file)
                conversionProblem = nil
                var order = [String](), counts = [String: (Int, RelaxationClass)]()
                for node in network.nodes {
                    if counts[node.op.kind] == nil { order.append(node.op.kind); counts[node.op.kind] = (0, RelaxationClass(of: node.op)) }
                    counts[node.op.kind]!.0 += 1
                }
                relaxations = order.map { OperatorRelaxation(kind: $0, count: counts[$0]!.0, relaxation: counts[$0]!.1) }
            } catch {
                conversionProblem = "\(error)"
                relaxations = []
            }
        } else {
            conversionProblem = nil
            relaxations = []
        }
        let initializerNames = Set(graph.initializer.map(\.name))
        inputs = graph.input.filter { !initializerNames.contains($0.name) }.map(Self.tensor)
        outputs = graph.output.map(Self.tensor)
        var parameters = 0
        let constants = graph.node.filter { $0.opType == "Constant" }.flatMap { $0.attribute.filter { $0.name == "value" }.map(\.t) }
        for tensor in graph.initializer + constants where TensorDecoding.isFloatingPoint(tensor) {
            // Saturating: declared dimensions are untrusted and their sum may overflow.
            let (sum, overflow) = parameters.addingReportingOverflow(TensorDecoding.declaredElementCount(tensor) ?? 0)
            parameters = overflow ? Int.max : sum
        }
        parameterCount = parameters
    }

    /// A multi-line summary, e.g.
    /// ```
    /// model:      mnist-net_256x2.onnx
    /// producer:   pytorch 1.3
    /// format:     ONNX IR version 4, opset 9
    /// input:      0 [1 x 784 x 1] FLOAT
    /// output:     12 [1 x 10] FLOAT
    /// nodes:      6: Flatten 1, Gemm 3, Relu 2
    /// parameters: 269322
    /// supported:  yes
    /// ```
    public var description: String {
        var lines = ["model:      \(file)",
                     "producer:   \(producer.isEmpty ? "(not stated)" : producer)",
                     "format:     ONNX IR version \(irVersion), opset \(opset)"]
        lines += inputs.isEmpty ? ["input:      (none)"] : inputs.map { "input:      \($0)" }
        lines += outputs.isEmpty ? ["output:     (none)"] : outputs.map { "output:     \($0)" }
        lines.append("nodes:      \(nodeCount)" + (operators.isEmpty ? "" : ": " + Self.format(operators)))
        lines.append("parameters: \(parameterCount)")
        if !unsupportedOperators.isEmpty {
            lines.append("supported:  no (unsupported: \(Self.format(unsupportedOperators)))")
        } else if let problem = conversionProblem {
            lines.append("supported:  no (\(problem))")
        } else {
            lines.append("supported:  yes")
            for r in relaxations { lines.append("  \(r.kind) \(r.count): \(r.relaxation.rawValue)") }
        }
        return lines.joined(separator: "\n")
    }

    private static func format(_ counts: [OperatorCount]) -> String {
        counts.map { "\($0.opType) \($0.count)" }.joined(separator: ", ")
    }

    private static func counts(_ types: [String]) -> [OperatorCount] {
        var order: [String] = []
        var count: [String: Int] = [:]
        for t in types {
            if count[t] == nil { order.append(t) }
            count[t, default: 0] += 1
        }
        return order.map { OperatorCount(opType: $0, count: count[$0]!) }
    }

    private static func tensor(_ info: Onnx_ValueInfoProto) -> Tensor {
        guard case .tensorType(let type)? = info.type.value else {
            return Tensor(name: info.name, dimensions: nil, elementType: "?")
        }
        let dims: [Dimension]? = type.hasShape ? type.shape.dim.map { d in
            switch d.value {
            case .dimValue(let v)?: return v > 0 ? .fixed(Int(clamping: v)) : .unknown
            case .dimParam(let p)?: return p.isEmpty ? .unknown : .symbolic(p)
            case nil: return .unknown
            }
        } : nil
        return Tensor(name: info.name, dimensions: dims, elementType: type.hasElemType ? TensorDecoding.typeName(type.elemType) : "?")
    }
}

/// An IR operator kind of a converted model, how many nodes use it, and how it is relaxed.
public struct OperatorRelaxation: Sendable, Equatable {
    public let kind: String
    public let count: Int
    public let relaxation: RelaxationClass

    public init(kind: String, count: Int, relaxation: RelaxationClass) {
        self.kind = kind
        self.count = count
        self.relaxation = relaxation
    }
}
