/// Reads the declarations of a VNN-LIB 2.0 query (VNNLIB-Standard `syntax/grammar.cf`):
///
/// ```text
/// (vnnlib-version <2.0>)
/// (declare-network NAME [(equal-to NAME) | (isomorphic-to NAME)]
///     (declare-input NAME TYPE [SHAPE] [initialized])+ (declare-hidden NAME TYPE [SHAPE] "onnx-name")*
///     (declare-output NAME TYPE [SHAPE])+)+
/// (assert F)+
/// ```
///
/// and hands the assertions to ``CommandReader`` with a ``TensorTable`` of the declared names.
/// Element types are `real` (also written `Real`, as the standard's own test files do) and the
/// ONNX floating-point types (`float16`, `float32`, `float64`, `bfloat16`); integer, Boolean and
/// other types are rejected as unsupported, and so is the `initialized` input option (the
/// reference parser, `vnnlib` 1.0.2, rejects it too). Names are unique
/// across the query. A related network (`equal-to`, `isomorphic-to`) names an earlier one with the
/// same input and output shapes.
struct QueryReader {
    let source: SourceText
    let tree: SyntaxTree

    /// The element types accepted (treated as real numbers; witnesses are checked in float32 too).
    static let elementTypes: Set<String> = ["real", "Real", "float16", "float32", "float64", "bfloat16"]

    private(set) var version = ""
    private(set) var networks: [NetworkDeclaration] = []
    private(set) var tensors = TensorTable()
    /// The input tensors with the byte offsets of their names, in joint order.
    private var inputTensors: [(tensor: TensorDeclaration, at: Int)] = []
    private(set) var inputCount = 0
    private(set) var outputCount = 0
    /// The most elements all tensors of a query may declare together (each input region holds a
    /// dense box over the joint input, so a short file must not declare a huge tensor).
    static let maximumElements = 10_000_000
    private(set) var hiddenCount = 0
    /// The `assert` commands, in file order.
    private(set) var assertionNodes: [Int] = []

    init(source: SourceText, tree: SyntaxTree) {
        self.source = source
        self.tree = tree
    }

    /// True when the first command of `tree` is `(vnnlib-version ...)`.
    static func hasVersionHeader(_ tree: SyntaxTree, _ source: SourceText) -> Bool {
        guard let first = tree.topLevel.first, tree.nodes[first].isList,
              let head = tree.children(of: first).first, !tree.nodes[head].isList else { return false }
        return source.text(tree.nodes[head].start..<tree.nodes[head].end) == "vnnlib-version"
    }

    mutating func read() throws(VNNLibError) {
        let top = tree.topLevel
        try readVersion(top[0])
        for node in top.dropFirst() {
            let (head, _) = try command(node)
            switch head {
            case "declare-network":
                if let first = assertionNodes.first {
                    throw error(.unknownCommand, "declare-network after the first assert (at \(source.position(of: tree.nodes[first].start))): "
                                + "declare every network before the assertions", node)
                }
                try readNetwork(node)
            case "assert":
                assertionNodes.append(node)
            case "vnnlib-version":
                throw error(.badVersion, "a second vnnlib-version header", node)
            default:
                throw error(.unknownCommand, "unknown command '\(head)' (expected declare-network or assert)", node)
            }
        }
        guard !networks.isEmpty else {
            throw source.error(.badDeclarations, "no network declared (expected (declare-network NAME ...))", at: source.bytes.count)
        }
        tensors.hiddenBase = outputCount
        guard !assertionNodes.isEmpty else {
            throw source.error(.badDeclarations, "no assertion (expected at least one (assert ...))", at: source.bytes.count)
        }
    }

    // MARK: - Header and networks

    private mutating func readVersion(_ node: Int) throws(VNNLibError) {
        let (_, args) = try command(node)
        guard args.count == 1, !tree.nodes[args[0]].isList else {
            throw error(.badVersion, "malformed version header (expected (vnnlib-version <2.0>))", node)
        }
        let token = text(args[0])
        let inner = token.dropFirst().dropLast()
        let parts = inner.split(separator: ".", omittingEmptySubsequences: false)
        guard token.hasPrefix("<"), token.hasSuffix(">"), parts.count == 2,
              parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }) else {
            throw error(.badVersion, "malformed version '\(token)' (expected <MAJOR.MINOR>, e.g. <2.0>)", args[0])
        }
        guard parts[0] == "2" else {
            throw error(.badVersion, "unsupported VNN-LIB version \(token): this reader supports 2.x (and 1.0 files, "
                        + "which have no version header)", args[0])
        }
        version = String(inner)
    }

    private mutating func readNetwork(_ node: Int) throws(VNNLibError) {
        let (_, args) = try command(node)
        guard let nameNode = args.first, let name = identifier(nameNode) else {
            throw error(.badNetwork, "expected a network name after declare-network", args.first ?? node)
        }
        if networks.contains(where: { $0.name == name }) || tensors.entries[name] != nil {
            throw error(.redeclaration, "redeclaration of '\(name)'", nameNode)
        }
        var network = NetworkDeclaration(name: name, relation: nil, inputs: [], hidden: [], outputs: [])
        var stage = 0  // 0: relations, 1: inputs, 2: hidden, 3: outputs
        var relationNode = node
        for item in args.dropFirst() {
            let (head, itemArgs) = try command(item)
            let order = ["equal-to": 0, "isomorphic-to": 0, "declare-input": 1, "declare-hidden": 2, "declare-output": 3][head]
            guard let order else {
                throw error(.badNetwork, "unexpected '\(head)' in declare-network (expected equal-to, isomorphic-to, "
                            + "declare-input, declare-hidden or declare-output)", item)
            }
            guard order >= stage, !(order == 0 && network.relation != nil) else {
                throw error(.badNetwork, "'\(head)' out of order: a network lists at most one equal-to/isomorphic-to, "
                            + "then its inputs, hidden tensors and outputs", item)
            }
            stage = order
            if order == 0 {
                guard itemArgs.count == 1, let other = identifier(itemArgs[0]) else {
                    throw error(.badNetwork, "'\(head)' expects one network name", item)
                }
                guard networks.contains(where: { $0.name == other }) else {
                    throw error(.badNetwork, "'\(head)' names '\(other)', which is not a network declared before '\(name)'", itemArgs[0])
                }
                network.relation = head == "equal-to" ? .equalTo(other) : .isomorphicTo(other)
                relationNode = item
                continue
            }
            let role: TensorDeclaration.Role = order == 1 ? .input : (order == 2 ? .hidden : .output)
            let tensor = try readTensor(item, itemArgs, role: role)
            switch role {
            case .input: network.inputs.append(tensor)
            case .hidden: network.hidden.append(tensor)
            case .output: network.outputs.append(tensor)
            }
        }
        guard !network.inputs.isEmpty, !network.outputs.isEmpty else {
            throw error(.badNetwork, "network '\(name)' needs at least one declare-input and one declare-output", node)
        }
        if let relation = network.relation {
            let otherName: String
            switch relation { case .equalTo(let n), .isomorphicTo(let n): otherName = n }
            let other = networks.first { $0.name == otherName }!
            guard other.inputs.map(\.shape) == network.inputs.map(\.shape), other.outputs.map(\.shape) == network.outputs.map(\.shape) else {
                throw error(.badNetwork, "shape mismatch: '\(name)' is related to '\(otherName)' but their input or output "
                            + "shapes differ", relationNode)
            }
        }
        networks.append(network)
    }

    /// `(declare-input NAME TYPE SHAPE [initialized] ["onnx"])` and the like; registers the tensor.
    private mutating func readTensor(_ node: Int, _ args: [Int], role: TensorDeclaration.Role) throws(VNNLibError) -> TensorDeclaration {
        let what = "declare-\(role.rawValue)"
        guard args.count >= 3, let name = identifier(args[0]), !tree.nodes[args[1]].isList else {
            throw error(.badNetwork, "malformed \(what) (expected (\(what) NAME TYPE [SHAPE]\(role == .hidden ? " \"onnx-name\"" : "")))", node)
        }
        let type = text(args[1])
        guard Self.elementTypes.contains(type) else {
            let hint = Self.elementTypes.contains(type.lowercased()) ? " (did you mean \(type.lowercased())?)" : ""
            throw error(.unsupportedConstruct, "unsupported element type '\(type)'\(hint) (supported: "
                        + Self.elementTypes.sorted().joined(separator: ", ") + ")", args[1])
        }
        // The shape may be one symbol ([1,5]) or several when written with spaces ([1, 5]).
        var k = 2
        var shapeText = ""
        while k < args.count, !tree.nodes[args[k]].isList {
            shapeText += text(args[k])
            k += 1
            if shapeText.hasSuffix("]") { break }
        }
        guard let shape = Self.shape(shapeText) else {
            throw error(.badNetwork, "malformed shape '\(shapeText)' (expected [] or [n,m,...] with positive sizes)", args[2])
        }
        var onnxName: String?
        var onnxNameAt = tree.nodes[args[0]].start
        for extra in args[k...] {
            let t = text(extra)
            if t == "initialized" && role == .input {
                throw error(.unsupportedConstruct, "unsupported input option 'initialized'", extra)
            }
            if t.count >= 2, t.hasPrefix("\""), t.hasSuffix("\""), onnxName == nil {
                onnxName = String(t.dropFirst().dropLast())
                onnxNameAt = tree.nodes[extra].start
                continue
            }
            throw error(.badNetwork, "unexpected '\(t)' in \(what)", extra)
        }
        if role == .hidden && onnxName == nil {
            throw error(.badNetwork, "declare-hidden needs the ONNX value name in double quotes", node)
        }
        let offset: Int
        switch role {
        case .input: offset = inputCount
        case .output: offset = outputCount
        case .hidden: offset = hiddenCount
        }
        var tensor = TensorDeclaration(name: name, elementType: type, shape: shape, role: role, onnxName: onnxName, offset: offset)
        tensor.declaredAt = source.position(of: onnxNameAt)
        if networks.contains(where: { $0.name == name }) {
            throw error(.redeclaration, "redeclaration of '\(name)' (it names a network)", args[0])
        }
        if let earlier = tensors.add(tensor, at: tree.nodes[args[0]].start) {
            throw error(.redeclaration, "redeclaration of '\(name)' (first declared at \(source.position(of: earlier.declaredAt)))", args[0])
        }
        guard inputCount + outputCount + hiddenCount + tensor.count <= Self.maximumElements else {
            throw error(.tooLarge, "specification too large: the tensors declared so far hold more than "
                        + "\(Self.maximumElements) elements", args[0])
        }
        switch role {
        case .input:
            inputTensors.append((tensor, tree.nodes[args[0]].start))
            inputCount += tensor.count
        case .output: outputCount += tensor.count
        case .hidden: hiddenCount += tensor.count
        }
        return tensor
    }

    /// The name (`X[0,3]`) and declaration offset of joint input `i`.
    func describeInput(_ i: Int) -> (name: String, offset: Int) {
        let entry = inputTensors.last { $0.tensor.offset <= i }!
        return (entry.tensor.name + Self.indexText(i - entry.tensor.offset, entry.tensor.shape), entry.at)
    }

    // MARK: - Helpers

    /// `[]` → `[]`, `[1,5]` → `[1, 5]`; nil when malformed or a size is not positive.
    static func shape(_ text: String) -> [Int]? {
        guard text.hasPrefix("["), text.hasSuffix("]"), text.count >= 2 else { return nil }
        let inner = text.dropFirst().dropLast()
        if inner.isEmpty { return [] }
        var dims: [Int] = []
        for part in inner.split(separator: ",", omittingEmptySubsequences: false) {
            guard part.count <= 9, let n = Int(part), n > 0, part.allSatisfy({ $0.isNumber }) else { return nil }
            dims.append(n)
        }
        let total = dims.reduce(1) { $0.multipliedReportingOverflow(by: $1).overflow ? Int.max : $0 * $1 }
        return total <= 100_000_000 ? dims : nil
    }

    /// `[i,j]` of flat position `flat` in `shape` (empty for a scalar).
    static func indexText(_ flat: Int, _ shape: [Int]) -> String {
        guard !shape.isEmpty else { return "" }
        var rest = flat
        var indices = [Int](repeating: 0, count: shape.count)
        for d in stride(from: shape.count - 1, through: 0, by: -1) {
            indices[d] = rest % shape[d]
            rest /= shape[d]
        }
        return "[" + indices.map(String.init).joined(separator: ",") + "]"
    }

    /// A list command's head and arguments.
    private func command(_ node: Int) throws(VNNLibError) -> (head: String, args: [Int]) {
        guard tree.nodes[node].isList else { throw error(.unknownCommand, "expected a command in parentheses, found '\(text(node))'", node) }
        let children = Array(tree.children(of: node))
        guard let head = children.first, !tree.nodes[head].isList else {
            throw error(.unknownCommand, "expected a command name after '('", children.first ?? node)
        }
        return (text(head), Array(children.dropFirst()))
    }

    /// A VariableName token (letter (letter|digit|_)*), or nil.
    private func identifier(_ node: Int) -> String? {
        guard !tree.nodes[node].isList else { return nil }
        let t = text(node)
        guard let first = t.unicodeScalars.first, first.properties.isAlphabetic, first.isASCII,
              t.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_") })
        else { return nil }
        return t
    }

    private func text(_ node: Int) -> String { source.text(tree.nodes[node].start..<tree.nodes[node].end) }

    private func error(_ kind: VNNLibError.Kind, _ message: String, _ node: Int) -> VNNLibError {
        source.error(kind, message, at: tree.nodes[node].start)
    }
}
