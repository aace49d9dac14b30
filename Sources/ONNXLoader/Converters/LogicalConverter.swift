/// ONNX comparisons `Equal`, `Less`, `Greater`, `LessOrEqual`, `GreaterOrEqual` and logical operators
/// `And`, `Or`, `Xor`, `Not` on constants (numpy broadcasting): BOOL results (0 and 1, integer).
/// Computed operands are refused: the result is not a continuous function of them.
struct LogicalConverter: OperatorConverter {
    enum Operation: String, Sendable {
        case equal = "Equal", less = "Less", greater = "Greater", lessOrEqual = "LessOrEqual"
        case greaterOrEqual = "GreaterOrEqual", and = "And", or = "Or", xor = "Xor", not = "Not"
    }
    let operation: Operation

    func convert(_ node: NodeContext, _ graph: inout GraphBuilder) throws -> [Operand] {
        let arity = operation == .not ? 1 : 2
        let operands = try node.foldableInputs(arity, arity,
                                               reason: "a comparison or logical operator is only evaluated at load time, on constants")
            .compactMap { $0 }
        let op = operation
        let result = try ConstantFolding.elementwise(operands, isInteger: true) { v in
            let a = v[0], b = v.count > 1 ? v[1] : 0
            let truth: Bool
            switch op {
            case .equal: truth = a == b
            case .less: truth = a < b
            case .greater: truth = a > b
            case .lessOrEqual: truth = a <= b
            case .greaterOrEqual: truth = a >= b
            case .and: truth = a != 0 && b != 0
            case .or: truth = a != 0 || b != 0
            case .xor: truth = (a != 0) != (b != 0)
            case .not: truth = a == 0
            }
            return truth ? 1 : 0
        }
        return [.constant(result)]
    }
}
