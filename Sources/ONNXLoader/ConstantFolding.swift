/// Helpers for converters of operators that are only evaluated at load time (shape arithmetic,
/// comparisons, elementwise math on constants): they refuse computed inputs with a message naming the
/// input, and evaluate elementwise maps with numpy broadcasting.
enum ConstantFolding {
    /// The default reason given when a load-time-only operator meets a computed tensor.
    static let loadTimeOnly = "it is only evaluated at load time, when all its inputs are constants"

    /// `f` applied elementwise to `operands` broadcast together (numpy rules); the result must be finite.
    static func elementwise(_ operands: [ConstantTensor], isInteger: Bool,
                            _ f: ([Double]) -> Double) throws(NodeIssue) -> ConstantTensor {
        var shape: [Int] = []
        for operand in operands {
            guard let s = ShapeMath.broadcast(shape, operand.shape) else {
                throw NodeIssue.shapeMismatch("cannot broadcast " + operands.map { ShapeMath.format($0.shape) }.joined(separator: ", "))
            }
            shape = s
        }
        let count = try ShapeMath.elementCount(shape, what: "result")
        let sources = operands.map { ShapeMath.broadcastSourceIndices(from: $0.shape, to: shape) }
        var arguments = [Double](repeating: 0, count: operands.count)
        var values = [Double]()
        values.reserveCapacity(count)
        for j in 0..<count {
            for k in operands.indices { arguments[k] = operands[k].values[sources[k][j]] }
            values.append(f(arguments))
        }
        try checkFinite(values)
        return ConstantTensor(shape: shape, values: values, isInteger: isInteger)
    }

    /// `f` applied to every element of `t` (same shape); the result must be finite.
    static func map(_ t: ConstantTensor, isInteger: Bool, _ f: (Double) -> Double) throws(NodeIssue) -> ConstantTensor {
        let values = t.values.map(f)
        try checkFinite(values)
        return ConstantTensor(shape: t.shape, values: values, isInteger: isInteger)
    }

    /// Refuses NaN and infinite results (constants must be finite, like weights).
    static func checkFinite(_ values: [Double]) throws(NodeIssue) {
        if let bad = values.firstIndex(where: { !$0.isFinite }) {
            throw NodeIssue.invalid("folding constants gives the non-finite value \(values[bad]) at element \(bad)")
        }
    }
}

extension NodeContext {
    /// Checks the input count and that every present input is a constant; returns the inputs (nil
    /// for omitted optional ones). A computed input is refused as unsupported, naming it; `reason`
    /// says why the operator cannot take computed tensors.
    func foldableInputs(_ min: Int, _ max: Int,
                        reason: String = ConstantFolding.loadTimeOnly) throws(NodeIssue) -> [ConstantTensor?] {
        try expectInputs(min, max)
        for (i, operand) in inputs.enumerated() {
            if case .computed(_, let shape)? = operand {
                throw NodeIssue.unsupported("\(proto.opType) of a computed tensor (input #\(i + 1), '\(proto.input[i])', "
                    + "shape \(ShapeMath.format(shape))): \(reason)")
            }
        }
        return inputs.map { $0?.constant }
    }

    /// Input `index` of a node whose inputs passed ``foldableInputs(_:_:reason:)``; it must be present.
    func folded(_ index: Int) throws(NodeIssue) -> ConstantTensor {
        guard let t = try input(index).constant else { preconditionFailure("foldableInputs checked the inputs") }
        return t
    }
}

extension ConstantTensor {
    /// An INT64 tensor (1-D of the values' count unless `shape` is given).
    static func int64(_ values: [Int], shape: [Int]? = nil) -> ConstantTensor {
        ConstantTensor(shape: shape ?? [values.count], values: values.map(Double.init), isInteger: true)
    }

    /// The values as integers, with magnitudes over 2^53 clamped to ±2^53 (Slice bounds such as
    /// INT64_MAX, which `Double` does not hold exactly); fails on non-integral values.
    func clampedIntegers() throws(NodeIssue) -> [Int] {
        let limit = 9_007_199_254_740_992.0
        return try values.map { v throws(NodeIssue) in
            guard v.rounded() == v else { throw NodeIssue.invalid("expected integer values, found \(v)") }
            return Int(Swift.min(Swift.max(v, -limit), limit))
        }
    }

    /// The single value of a scalar or one-element tensor; `role` names it in the error.
    func scalar(_ role: String) throws(NodeIssue) -> Double {
        guard values.count == 1 else {
            throw NodeIssue.invalid("\(role) must have one element, but has shape \(ShapeMath.format(shape))")
        }
        return values[0]
    }
}
