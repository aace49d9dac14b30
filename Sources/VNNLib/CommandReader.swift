/// A Boolean formula over classified atoms (see `Atom`), as written in the asserts.
indirect enum Formula {
    case atom(Int)
    case constant(Bool)
    /// Conjunction; `node` is the syntax node, for errors.
    case and([Formula], node: Int)
    /// Disjunction; `node` is the syntax node, for errors.
    case or([Formula], node: Int)
}

/// A normalised atom `expression <= 0` that mentions at least one variable.
enum Atom {
    /// `X_index <= value` (`isUpper`) or `X_index >= value`.
    case inputBound(index: Int, isUpper: Bool, value: Double, offset: Int)
    /// `Σ c_j Y_j + d <= 0`; the expression holds output variables only.
    case output(LinearExpression, offset: Int)
}

/// Reads the top-level commands of a VNN-LIB file: declarations and asserts, turning every
/// comparison into normalised atoms. Recursion is bounded by `SyntaxTree.maximumDepth`.
struct CommandReader {
    let source: SourceText
    let tree: SyntaxTree

    /// Byte offset of the `declare-const` name of each declared variable.
    private(set) var declarations: [Variable: Int] = [:]
    /// One formula per `assert`, with the assert's syntax node.
    private(set) var assertions: [(formula: Formula, node: Int)] = []
    private(set) var atoms: [Atom] = []
    /// Offset of the first comparison that evaluated to false without any variable.
    private(set) var firstFalseConstant: Int?

    init(source: SourceText, tree: SyntaxTree) {
        self.source = source
        self.tree = tree
    }

    /// Reads every top-level command, in file order.
    mutating func readCommands() throws(VNNLibError) {
        for node in tree.topLevel { try readCommand(node) }
    }

    // MARK: - Commands

    private mutating func readCommand(_ node: Int) throws(VNNLibError) {
        let n = tree.nodes[node]
        guard n.isList else {
            throw error(.unknownCommand, "expected a command in parentheses, found '\(text(node))'", node)
        }
        let args = tree.children(of: node)
        guard let head = args.first, !tree.nodes[head].isList else {
            throw error(.unknownCommand, "expected a command name after '('", args.first ?? node)
        }
        let operands = args.dropFirst()
        switch text(head) {
        case "declare-const":
            guard operands.count == 2 else {
                throw arity("declare-const", expected: "2 arguments (a name and a sort)", operands.count, node)
            }
            try declare(name: operands[operands.startIndex], sort: operands[operands.startIndex + 1])
        case "assert":
            guard operands.count == 1 else { throw arity("assert", expected: "1 argument", operands.count, node) }
            let formula = try readFormula(operands[operands.startIndex])
            assertions.append((formula, node))
        case "check-sat", "get-model":
            guard operands.isEmpty else { throw arity(text(head), expected: "no arguments", operands.count, node) }
        default:
            throw error(.unknownCommand, "unknown command '\(text(head))' (expected declare-const or assert)", head)
        }
    }

    private mutating func declare(name: Int, sort: Int) throws(VNNLibError) {
        let nameNode = tree.nodes[name]
        guard !nameNode.isList, let variable = Variable(name: source.bytes[nameNode.start..<nameNode.end]) else {
            throw error(
                .unsupportedConstruct,
                "unsupported variable name '\(text(name))' (expected X_<i> for inputs or Y_<j> for outputs)", name)
        }
        guard !tree.nodes[sort].isList, text(sort) == "Real" else {
            throw error(.unsupportedConstruct, "unsupported sort '\(text(sort))' (only Real is supported)", sort)
        }
        if let first = declarations[variable] {
            throw error(
                .redeclaration, "redeclaration of '\(variable)' (first declared at \(source.position(of: first)))",
                name)
        }
        declarations[variable] = nameNode.start
    }

    // MARK: - Formulas

    private mutating func readFormula(_ node: Int) throws(VNNLibError) -> Formula {
        let n = tree.nodes[node]
        guard n.isList else {
            switch text(node) {
            case "true": return .constant(true)
            case "false":
                if firstFalseConstant == nil { firstFalseConstant = n.start }
                return .constant(false)
            default: throw error(.unsupportedConstruct, "expected a formula, found '\(text(node))'", node)
            }
        }
        let args = tree.children(of: node)
        guard let head = args.first, !tree.nodes[head].isList else {
            throw error(.unsupportedConstruct, "expected an operator after '('", args.first ?? node)
        }
        let operands = args.dropFirst()
        let op = text(head)
        switch op {
        case "and", "or":
            guard !operands.isEmpty else { throw arity(op, expected: "at least 1 argument", 0, node) }
            var parts: [Formula] = []
            parts.reserveCapacity(operands.count)
            for operand in operands { parts.append(try readFormula(operand)) }
            return op == "and" ? .and(parts, node: node) : .or(parts, node: node)
        case "<=", ">=", "<", ">", "=":
            guard operands.count >= 2 else { throw arity(op, expected: "at least 2 arguments", operands.count, node) }
            var values: [LinearExpression] = []
            for operand in operands { values.append(try readTerm(operand)) }
            // Chains like (<= a b c) mean (and (<= a b) (<= b c)). Strict comparisons are read as
            // non-strict (the closure of the set), `=` as two inequalities.
            var parts: [Formula] = []
            for k in 1..<values.count {
                let (a, b) = (values[k - 1], values[k])
                switch op {
                case "<=", "<": parts.append(try comparison(a, minus: b, node))
                case ">=", ">": parts.append(try comparison(b, minus: a, node))
                default:
                    parts.append(try comparison(a, minus: b, node))
                    parts.append(try comparison(b, minus: a, node))
                }
            }
            return parts.count == 1 ? parts[0] : .and(parts, node: node)
        default:
            throw error(
                .unsupportedConstruct,
                "unsupported operator '\(op)' in a formula (expected and, or, <=, >=, <, >, =)", head)
        }
    }

    /// The atom `a - b <= 0`, classified; constant atoms are evaluated.
    private mutating func comparison(
        _ a: LinearExpression, minus b: LinearExpression, _ node: Int
    ) throws(VNNLibError) -> Formula {
        var e = a
        e.add(b, scale: -1)
        e.normalize()
        let offset = tree.nodes[node].start
        guard e.isFinite else { throw error(.badNumber, "bad number: arithmetic overflow in this comparison", node) }
        guard let first = e.terms.first else {
            if e.constant <= 0 { return .constant(true) }
            if firstFalseConstant == nil { firstFalseConstant = offset }
            return .constant(false)
        }
        if !first.variable.isOutput {
            if e.terms.count > 1 {
                throw error(
                    .unsupportedInputConstraint,
                    "unsupported input constraint: an atom over inputs must bound one X_i by a constant, "
                        + "but this one involves \(first.variable) and \(e.terms[1].variable)", node)
            }
            // c·x + d <= 0  ⇔  x <= -d/c (c > 0)  or  x >= -d/c (c < 0).
            let value = -e.constant / first.coefficient + 0
            guard value.isFinite else {
                throw error(.badNumber, "bad number: the bound on \(first.variable) is not finite", node)
            }
            atoms.append(.inputBound(index: first.variable.index, isUpper: first.coefficient > 0, value: value, offset: offset))
        } else {
            atoms.append(.output(e, offset: offset))
        }
        return .atom(atoms.count - 1)
    }

    // MARK: - Terms

    private func readTerm(_ node: Int) throws(VNNLibError) -> LinearExpression {
        let n = tree.nodes[node]
        guard n.isList else {
            let bytes = source.bytes[n.start..<n.end]
            switch NumberLiteral.read(bytes) {
            case .value(let v): return LinearExpression(constant: v)
            case .invalid(let message): throw error(.badNumber, message, node)
            case .notANumber:
                guard let v = Variable(name: bytes), declarations[v] != nil else {
                    throw error(.unknownVariable, "unknown variable '\(text(node))'", node)
                }
                return LinearExpression(variable: v)
            }
        }
        let args = tree.children(of: node)
        guard let head = args.first, !tree.nodes[head].isList else {
            throw error(.unsupportedConstruct, "expected an operator after '('", args.first ?? node)
        }
        let operands = args.dropFirst()
        let op = text(head)
        var values: [LinearExpression] = []
        switch op {
        case "+", "-", "*", "/":
            guard !operands.isEmpty, op != "/" || operands.count >= 2 else {
                throw arity(op, expected: op == "/" ? "at least 2 arguments" : "at least 1 argument", operands.count, node)
            }
            for operand in operands {
                var v = try readTerm(operand)
                v.normalize()
                values.append(v)
            }
        default:
            throw error(.unsupportedConstruct, "unsupported operator '\(op)' in a term (expected +, -, *, /)", head)
        }
        var result = values[0]
        switch op {
        case "+":
            for v in values.dropFirst() { result.add(v, scale: 1) }
        case "-":
            if values.count == 1 {
                result.multiply(by: -1)
            } else {
                for v in values.dropFirst() { result.add(v, scale: -1) }
            }
        case "*":
            for v in values.dropFirst() {
                if v.isConstant {
                    result.multiply(by: v.constant)
                } else if result.isConstant {
                    let factor = result.constant
                    result = v
                    result.multiply(by: factor)
                } else {
                    throw error(.nonLinearTerm, "non-linear term: '*' needs all factors but one to be constants", node)
                }
                result.normalize()
            }
        default:  // "/"
            for v in values.dropFirst() {
                guard v.isConstant else {
                    throw error(.nonLinearTerm, "non-linear term: '/' needs constant divisors", node)
                }
                guard v.constant != 0 else { throw error(.badNumber, "bad number: division by zero", node) }
                result.divide(by: v.constant)
            }
        }
        result.normalize()
        guard result.isFinite else { throw error(.badNumber, "bad number: arithmetic overflow in this term", node) }
        return result
    }

    // MARK: - Helpers

    private func text(_ node: Int) -> String {
        source.text(tree.nodes[node].start..<tree.nodes[node].end)
    }

    private func error(_ kind: VNNLibError.Kind, _ message: String, _ node: Int) -> VNNLibError {
        source.error(kind, message, at: tree.nodes[node].start)
    }

    private func arity(_ op: String, expected: String, _ found: Int, _ node: Int) -> VNNLibError {
        let plural = found == 1 ? "argument" : "arguments"
        return error(.wrongArity, "wrong number of arguments: '\(op)' expects \(expected), found \(found) \(plural)", node)
    }
}
