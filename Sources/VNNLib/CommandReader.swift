/// A Boolean formula over classified atoms (see `Atom`), as written in the asserts.
indirect enum Formula {
    case atom(Int)
    case constant(Bool)
    /// Conjunction; `node` is the syntax node, for errors.
    case and([Formula], node: Int)
    /// Disjunction; `node` is the syntax node, for errors.
    case or([Formula], node: Int)
}

/// A normalised atom `expression <= 0` (or `< 0` when strict) that mentions at least one variable.
enum Atom {
    /// `X_index <= value` (`isUpper`) or `X_index >= value`.
    case inputBound(index: Int, isUpper: Bool, value: Double, offset: Int)
    /// `Σ c_i X_i + d <= 0` (`< 0` when strict) over inputs only: VNN-LIB 2.0 constraints coupling
    /// inputs, and strict bounds of one input.
    case inputLinear(LinearExpression, isStrict: Bool, offset: Int)
    /// `Σ c_j Y_j + d <= 0` (`< 0` when strict); the expression holds output variables only.
    case output(LinearExpression, isStrict: Bool, offset: Int)
}

/// Reads the top-level commands of a VNN-LIB file: declarations and asserts, turning every
/// comparison into normalised atoms. Recursion is bounded by `SyntaxTree.maximumDepth`.
///
/// With a `tensors` table the reader reads VNN-LIB 2.0 assertions (``QueryReader`` reads the
/// declarations): variables are tensor elements `X[i,j]`, comparisons are `<=`, `>=`, `<`, `>`,
/// `==`, `!=` with exactly two operands, terms use `+`, `-`, `*` and decimal constants with a
/// fractional part, and `<`, `>` and `!=` are kept strict (see ``LinearConstraint/isStrict``).
struct CommandReader {
    let source: SourceText
    let tree: SyntaxTree
    /// VNN-LIB 2.0 tensor names, or nil for VNN-LIB 1.0 (`X_i`, `Y_j`).
    let tensors: TensorTable?

    /// Byte offset of the `declare-const` name of each declared variable.
    private(set) var declarations: [Variable: Int] = [:]
    /// One formula per `assert`, with the assert's syntax node.
    private(set) var assertions: [(formula: Formula, node: Int)] = []
    private(set) var atoms: [Atom] = []
    /// Offset of the first comparison that evaluated to false without any variable.
    private(set) var firstFalseConstant: Int?

    init(source: SourceText, tree: SyntaxTree, tensors: TensorTable? = nil) {
        self.source = source
        self.tree = tree
        self.tensors = tensors
    }

    /// Reads one VNN-LIB 2.0 `(assert F)` command (its head already checked by the caller).
    mutating func readAssertion(_ node: Int) throws(VNNLibError) {
        let operands = tree.children(of: node).dropFirst()
        guard operands.count == 1 else { throw arity("assert", expected: "1 argument", operands.count, node) }
        assertions.append((try readFormula(operands[operands.startIndex]), node))
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
        case "declare-network", "vnnlib-version":
            throw error(.badVersion, "'\(text(head))' is VNN-LIB 2.0: a 2.0 query must start with (vnnlib-version <2.0>)", head)
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
            if tensors != nil {
                throw error(.unsupportedConstruct, "expected a comparison or (and ...)/(or ...), found '\(text(node))'", node)
            }
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
        case _ where tensors != nil && ["<=", ">=", "<", ">", "==", "!="].contains(op):
            guard operands.count == 2 else { throw arity(op, expected: "2 arguments", operands.count, node) }
            let a = try readTerm(operands[operands.startIndex]), b = try readTerm(operands[operands.startIndex + 1])
            // Strict comparisons stay strict atoms; `!=` is the disjunction `a < b or a > b`.
            switch op {
            case "<=": return try comparison(a, minus: b, node)
            case ">=": return try comparison(b, minus: a, node)
            case "<": return try comparison(a, minus: b, node, isStrict: true)
            case ">": return try comparison(b, minus: a, node, isStrict: true)
            case "==": return .and([try comparison(a, minus: b, node), try comparison(b, minus: a, node)], node: node)
            default:
                return .or([try comparison(a, minus: b, node, isStrict: true), try comparison(b, minus: a, node, isStrict: true)],
                           node: node)
            }
        case _ where tensors == nil && ["<=", ">=", "<", ">", "="].contains(op):
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
            let expected = tensors == nil ? "and, or, <=, >=, <, >, =" : "and, or, <=, >=, <, >, ==, !="
            throw error(.unsupportedConstruct, "unsupported operator '\(op)' in a formula (expected \(expected))", head)
        }
    }

    /// The atom `a - b <= 0`, classified; constant atoms are evaluated.
    private mutating func comparison(
        _ a: LinearExpression, minus b: LinearExpression, _ node: Int, isStrict: Bool = false
    ) throws(VNNLibError) -> Formula {
        var e = a
        e.add(b, scale: -1)
        e.normalize()
        let offset = tree.nodes[node].start
        guard e.isFinite else { throw error(.badNumber, "bad number: arithmetic overflow in this comparison", node) }
        guard let first = e.terms.first else {
            if isStrict ? e.constant < 0 : e.constant <= 0 { return .constant(true) }
            if firstFalseConstant == nil { firstFalseConstant = offset }
            return .constant(false)
        }
        if tensors != nil {
            let outputs = e.terms.filter(\.variable.isOutput).count
            if outputs > 0 && outputs < e.terms.count {
                throw error(
                    .unsupportedInputConstraint,
                    "unsupported constraint: it mixes network inputs and outputs; each comparison may involve "
                        + "inputs only or outputs only", node)
            }
            if outputs == 0 && (isStrict || e.terms.count > 1) {
                atoms.append(.inputLinear(e, isStrict: isStrict, offset: offset))
                return .atom(atoms.count - 1)
            }
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
            atoms.append(.output(e, isStrict: isStrict, offset: offset))
        }
        return .atom(atoms.count - 1)
    }

    // MARK: - Terms

    private func readTerm(_ node: Int) throws(VNNLibError) -> LinearExpression {
        let n = tree.nodes[node]
        guard n.isList else {
            let bytes = source.bytes[n.start..<n.end]
            if let tensors { return try readTensorTerm(node, bytes, tensors) }
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
        case _ where ["+", "-", "*"].contains(op) || (op == "/" && tensors == nil):
            guard !operands.isEmpty, op != "/" || operands.count >= 2 else {
                throw arity(op, expected: op == "/" ? "at least 2 arguments" : "at least 1 argument", operands.count, node)
            }
            for operand in operands {
                var v = try readTerm(operand)
                v.normalize()
                values.append(v)
            }
        default:
            throw error(.unsupportedConstruct,
                        "unsupported operator '\(op)' in a term (expected +, -, *\(tensors == nil ? ", /" : ""))", head)
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
                } else if tensors != nil {
                    throw error(
                        .nonLinearTerm,
                        "non-linear term: a product of variables is polynomial arithmetic (VNN-LIB theory POLY), "
                            + "which nnverify does not support; it supports linear arithmetic (theory LIN)", node)
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

    /// A VNN-LIB 2.0 constant (`-`? digits `.` digits; the standard's grammar has no exponents, and
    /// an integer literal where a real is expected is a type error) or tensor element.
    private func readTensorTerm(_ node: Int, _ bytes: ArraySlice<UInt8>, _ tensors: TensorTable) throws(VNNLibError) -> LinearExpression {
        let digit: (UInt8) -> Bool = { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
        let first = bytes.first ?? 0
        if digit(first) || first == UInt8(ascii: "-") || first == UInt8(ascii: "+") || first == UInt8(ascii: ".") {
            let body = first == UInt8(ascii: "-") ? bytes.dropFirst() : bytes
            let parts = body.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, parts.allSatisfy({ $0.allSatisfy(digit) }) else {
                let hint = parts.count == 1 && !body.isEmpty && body.allSatisfy(digit)
                    ? " (an integer literal where a real is expected; write \(text(node)).0)"
                    : " (VNN-LIB 2.0 constants are written -?DIGITS.DIGITS, without exponent or leading '+' or '.')"
                throw error(.badNumber, "bad number '\(text(node))'" + hint, node)
            }
            guard case .value(let v) = NumberLiteral.read(bytes) else {
                throw error(.badNumber, "bad number '\(text(node))' (out of range)", node)
            }
            return LinearExpression(constant: v)
        }
        switch tensors.resolve(text(node)) {
        case .variable(let v): return LinearExpression(variable: v)
        case .failure(let kind, let message): throw error(kind, message, node)
        }
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
