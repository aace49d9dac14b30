import Foundation

/// Elementwise math evaluated at load time on constants (numpy broadcasting for several operands):
/// `Floor`, `Ceil`, `Round` (half to even), `Sqrt`, `Exp`, `Log`, `Neg`, `Abs`, `Sign`, `Reciprocal`,
/// `Pow`, `Mod` (`fmod` = 0: the sign of the divisor, integers only, as in Python; 1: C's `fmod`),
/// `Min`, `Max` (one or more operands) and `Clip` (bounds as attributes before opset 11, inputs after;
/// see ``OpsetForms/clipBounds(_:)``). Results keep the integer type where ONNX does; non-finite results
/// (e.g. `Reciprocal(0)`) are refused. Computed operands are refused with a message naming them (the
/// place where IR activations such as Exp or Abs on computed tensors would plug in).
struct ConstantMathConverter: OperatorConverter {
    enum Function: String, Sendable {
        case floor = "Floor", ceil = "Ceil", round = "Round", sqrt = "Sqrt", exp = "Exp", log = "Log", neg = "Neg"
        case abs = "Abs", sign = "Sign", reciprocal = "Reciprocal", pow = "Pow", mod = "Mod", min = "Min", max = "Max"
        case clip = "Clip"
    }
    let function: Function

    func convert(_ node: NodeContext, _ graph: inout GraphBuilder) throws -> [Operand] {
        let reason = "\(function.rawValue) is only evaluated at load time, on constants (not supported on computed tensors)"
        switch function {
        case .pow, .mod:
            let operands = try node.foldableInputs(2, 2, reason: reason).compactMap { $0 }
            return [.constant(try binary(operands[0], operands[1], node: node))]
        case .min, .max:
            guard !node.inputs.isEmpty else { throw NodeIssue.invalid("has no inputs") }
            let operands = try node.foldableInputs(1, Int.max, reason: reason).compactMap { $0 }
            let isMin = function == .min
            return [.constant(try ConstantFolding.elementwise(operands, isInteger: operands.allSatisfy(\.isInteger)) { v in
                isMin ? v.min()! : v.max()!
            })]
        case .clip:
            let x = try node.foldableInputs(1, 3, reason: reason)[0]
            guard let x else { throw NodeIssue.invalid("input #1 is missing") }
            let (low, high) = try OpsetForms.clipBounds(node)
            return [.constant(try ConstantFolding.map(x, isInteger: x.isInteger) { v in
                Swift.min(Swift.max(v, low ?? -.infinity), high ?? .infinity)
            })]
        default:
            _ = try node.foldableInputs(1, 1, reason: reason)
            let x = try node.folded(0)
            return [.constant(try unary(x))]
        }
    }

    /// A unary function of `x` (Floor ... Reciprocal), for reuse by converters of computed tensors.
    func unary(_ x: ConstantTensor) throws(NodeIssue) -> ConstantTensor {
        let integer = x.isInteger
        switch function {
        case .floor: return try ConstantFolding.map(x, isInteger: integer) { $0.rounded(.down) }
        case .ceil: return try ConstantFolding.map(x, isInteger: integer) { $0.rounded(.up) }
        case .round: return try ConstantFolding.map(x, isInteger: integer) { $0.rounded(.toNearestOrEven) }
        case .neg: return try ConstantFolding.map(x, isInteger: integer) { -$0 }
        case .abs: return try ConstantFolding.map(x, isInteger: integer) { Swift.abs($0) }
        case .sign: return try ConstantFolding.map(x, isInteger: integer) { $0 > 0 ? 1 : ($0 < 0 ? -1 : 0) }
        case .sqrt: return try ConstantFolding.map(x, isInteger: false) { $0.squareRoot() }
        case .exp: return try ConstantFolding.map(x, isInteger: false) { Foundation.exp($0) }
        case .log: return try ConstantFolding.map(x, isInteger: false) { Foundation.log($0) }
        case .reciprocal: return try ConstantFolding.map(x, isInteger: false) { 1 / $0 }
        default: preconditionFailure("not a unary function: \(function)")
        }
    }

    private func binary(_ a: ConstantTensor, _ b: ConstantTensor, node: NodeContext) throws(NodeIssue) -> ConstantTensor {
        if function == .pow {
            let integer = a.isInteger
            return try ConstantFolding.elementwise([a, b], isInteger: integer) { v in
                let p = Foundation.pow(v[0], v[1])
                return integer ? p.rounded(.towardZero) : p
            }
        }
        let fmod = try node.int("fmod", default: 0) != 0
        guard fmod || (a.isInteger && b.isInteger) else {
            throw NodeIssue.invalid("Mod of floating-point tensors needs attribute 'fmod' = 1")
        }
        guard !b.values.contains(0) else { throw NodeIssue.invalid("Mod by zero (the divisor '\(node.proto.input[1])' holds 0)") }
        return try ConstantFolding.elementwise([a, b], isInteger: a.isInteger && b.isInteger) { v in
            let r = v[0].truncatingRemainder(dividingBy: v[1])
            return !fmod && r != 0 && (r < 0) != (v[1] < 0) ? r + v[1] : r
        }
    }
}
