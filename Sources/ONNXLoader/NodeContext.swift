import NNGraph
import ONNXProto

/// A value of the ONNX graph during conversion: either known at load time, or computed by the network.
enum Operand: Sendable {
    /// Known at load time (initializer, `Constant`, or folded).
    case constant(ConstantTensor)
    /// Computed from the network input: the IR value and the ONNX shape of this tensor (leading batch
    /// dimension included, counted as 1). Several ONNX names may share one IR value with different
    /// shapes (Reshape, Flatten and Identity add no IR node).
    case computed(ValueID, shape: [Int])

    var shape: [Int] {
        switch self {
        case .constant(let t): return t.shape
        case .computed(_, let shape): return shape
        }
    }

    var constant: ConstantTensor? {
        if case .constant(let t) = self { return t }
        return nil
    }
}

/// What a converter sees of one ONNX node: its inputs as operands, its attributes, the opset.
struct NodeContext {
    let proto: Onnx_NodeProto
    let reference: NodeReference
    let file: String
    /// Opset version of the default domain.
    let opset: Int
    /// One entry per ONNX input; nil where the input name is empty (an omitted optional input).
    let inputs: [Operand?]

    /// Name for IR nodes made from this ONNX node.
    var name: String { reference.displayName }

    /// Input `index`, which must be present.
    func input(_ index: Int) throws(NodeIssue) -> Operand {
        guard index < inputs.count, let operand = inputs[index] else {
            throw NodeIssue.invalid("input #\(index + 1) is missing (the node has \(inputs.count) input(s))")
        }
        return operand
    }

    /// Input `index` if present.
    func optionalInput(_ index: Int) -> Operand? {
        index < inputs.count ? inputs[index] : nil
    }

    /// Input `index`, which must be known at load time; `role` describes it in the error.
    func constantInput(_ index: Int, role: String) throws(NodeIssue) -> ConstantTensor {
        guard let tensor = try input(index).constant else {
            throw NodeIssue.unsupported("\(role) (input #\(index + 1), '\(proto.input[index])') must be a constant")
        }
        return tensor
    }

    /// Requires between `min` and `max` inputs.
    func expectInputs(_ min: Int, _ max: Int) throws(NodeIssue) {
        guard inputs.count >= min && inputs.count <= max else {
            throw NodeIssue.invalid("has \(inputs.count) inputs, expected " + (min == max ? "\(min)" : "\(min) to \(max)"))
        }
    }

    func attribute(_ name: String) -> Onnx_AttributeProto? {
        proto.attribute.first { $0.name == name }
    }

    /// Integer attribute, or `defaultValue` when absent.
    func int(_ name: String, default defaultValue: Int) throws(NodeIssue) -> Int {
        guard let a = attribute(name) else { return defaultValue }
        guard a.type == .int || (a.type == .undefined && a.hasI) else {
            throw NodeIssue.invalid("attribute '\(name)' must be an integer")
        }
        return Int(clamping: a.i)
    }

    /// Float attribute, or `defaultValue` when absent.
    func float(_ name: String, default defaultValue: Double) throws(NodeIssue) -> Double {
        guard let a = attribute(name) else { return defaultValue }
        guard a.type == .float || (a.type == .undefined && a.hasF) else {
            throw NodeIssue.invalid("attribute '\(name)' must be a float")
        }
        guard a.f.isFinite else { throw NodeIssue.invalid("attribute '\(name)' is \(a.f); it must be finite") }
        return Double(a.f)
    }

    /// String attribute (UTF-8), or `defaultValue` when absent.
    func string(_ name: String, default defaultValue: String) throws(NodeIssue) -> String {
        guard let a = attribute(name) else { return defaultValue }
        guard a.type == .string || (a.type == .undefined && a.hasS) else {
            throw NodeIssue.invalid("attribute '\(name)' must be a string")
        }
        return String(decoding: a.s, as: UTF8.self)
    }

    /// Integer-list attribute, or nil when absent.
    func ints(_ name: String) throws(NodeIssue) -> [Int]? {
        guard let a = attribute(name) else { return nil }
        guard a.type == .ints || a.type == .undefined else {
            throw NodeIssue.invalid("attribute '\(name)' must be a list of integers")
        }
        return a.ints.map { Int(clamping: $0) }
    }

    /// Tensor attribute decoded, or nil when absent.
    func tensor(_ name: String) throws -> ConstantTensor? {
        guard let a = attribute(name) else { return nil }
        guard a.type == .tensor || (a.type == .undefined && a.hasT) else {
            throw NodeIssue.invalid("attribute '\(name)' must be a tensor")
        }
        return try TensorDecoding.decode(a.t, label: "\(reference.displayName).\(name)", file: file)
    }

    /// A tensor-shaped ONNX axis attribute in `[-rank, rank]` (or `[-rank, rank-1]` when
    /// `inclusiveUpper` is false), normalised to be non-negative.
    func normalisedAxis(_ axis: Int, rank: Int, inclusiveUpper: Bool) throws(NodeIssue) -> Int {
        let upper = inclusiveUpper ? rank : rank - 1
        guard axis >= -rank && axis <= upper else {
            throw NodeIssue.invalid("axis \(axis) is out of range for a tensor of rank \(rank)")
        }
        return axis < 0 ? axis + rank : axis
    }
}
