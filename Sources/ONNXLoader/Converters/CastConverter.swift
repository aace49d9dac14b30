import Foundation

/// ONNX `Cast(to)`.
///
/// - Constant input: converted at load time as ONNX does: to FLOAT (rounded to float32), DOUBLE,
///   FLOAT16 and BFLOAT16 (rounded to their precision); to integer types by truncation toward zero,
///   wrapped into the type's range (INT8 ... UINT64); to BOOL as `x != 0`.
/// - Computed input: a cast to a floating-point type keeps the values (the IR computes in `Double`), so
///   no node is added; a cast to an integer or boolean type is refused (not continuous).
/// STRING and 8-bit float types are refused.
struct CastConverter: OperatorConverter {
    func convert(_ node: NodeContext, _ graph: inout GraphBuilder) throws -> [Operand] {
        try node.expectInputs(1, 1)
        guard node.attribute("to") != nil else { throw NodeIssue.invalid("attribute 'to' is required") }
        let to = try node.int("to", default: 1)
        let x = try node.input(0)
        switch x {
        case .constant(let t):
            return [.constant(try Self.cast(t, to: to))]
        case .computed(_, let shape):
            guard Self.floatingPoint.contains(to) else {
                throw NodeIssue.unsupported("Cast of a computed tensor (shape \(ShapeMath.format(shape))) to "
                    + "\(TensorDecoding.typeName(Int32(clamping: to))): only casts to floating-point types keep computed values")
            }
            return [graph.alias(x, shape: shape)]
        }
    }

    /// FLOAT, FLOAT16, DOUBLE, BFLOAT16.
    static let floatingPoint: Set<Int> = [1, 10, 11, 16]

    /// `t` converted to the ONNX element type `to` (a `TensorProto.DataType` code).
    static func cast(_ t: ConstantTensor, to: Int) throws(NodeIssue) -> ConstantTensor {
        // Integer types: code -> (bits, signed).
        let integers: [Int: (Int, Bool)] = [2: (8, false), 3: (8, true), 4: (16, false), 5: (16, true),
                                            6: (32, true), 7: (64, true), 12: (32, false), 13: (64, false)]
        switch to {
        case 1: return try ConstantFolding.map(t, isInteger: false) { Double(Float($0)) }
        case 11: return ConstantTensor(shape: t.shape, values: t.values, isInteger: false)
        case 10: return try ConstantFolding.map(t, isInteger: false) { rounded($0, significandBits: 11, minExponent: -14) }
        case 16: return try ConstantFolding.map(t, isInteger: false) { rounded(Double(Float($0)), significandBits: 8, minExponent: -126) }
        case 9: return ConstantTensor(shape: t.shape, values: t.values.map { $0 != 0 ? 1 : 0 }, isInteger: true)
        default:
            guard let (bits, signed) = integers[to] else {
                throw NodeIssue.unsupported("Cast to \(TensorDecoding.typeName(Int32(clamping: to)))")
            }
            return ConstantTensor(shape: t.shape, values: t.values.map { wrapped($0.rounded(.towardZero), bits: bits, signed: signed) },
                                  isInteger: true)
        }
    }

    /// An integer-valued `v` wrapped into the range of a `bits`-bit integer type (64-bit types: as is).
    private static func wrapped(_ v: Double, bits: Int, signed: Bool) -> Double {
        guard bits < 64 else { return signed || v >= 0 ? v : v + 18_446_744_073_709_551_616 }
        let modulus = Double(1 << bits)
        var r = v.truncatingRemainder(dividingBy: modulus)
        if r < 0 { r += modulus }
        if signed && r >= modulus / 2 { r -= modulus }
        return r
    }

    /// `v` rounded to nearest-even with `significandBits` bits (hidden bit included) and the smallest
    /// normal exponent `minExponent` (subnormals below it); overflow gives infinity (then refused).
    private static func rounded(_ v: Double, significandBits: Int, minExponent: Int) -> Double {
        guard v != 0, v.isFinite else { return v }
        let exponent = max(Int(v.exponent), minExponent)
        let quantum = Double(sign: .plus, exponent: exponent - (significandBits - 1), significand: 1)
        let r = (v / quantum).rounded(.toNearestOrEven) * quantum
        let largest = Double(sign: .plus, exponent: significandBits == 11 ? 15 : 127, significand: 2 - 1 / Double(1 << (significandBits - 1)))
        return abs(r) > largest ? (r < 0 ? -.infinity : .infinity) : r
    }
}
