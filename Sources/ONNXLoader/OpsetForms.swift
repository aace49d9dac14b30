/// Parameters that ONNX moved from attributes to inputs between opsets 7 and 21, read in either form:
/// an input, when the node has it, wins; otherwise the attribute of the older opsets is read. Inputs
/// read here must be constants (a computed one is refused, naming it).
///
/// | operator | attribute form | input form |
/// | --- | --- | --- |
/// | Squeeze, Unsqueeze | `axes` before 13 | input 1 from 13 |
/// | ReduceSum / other Reduce* | `axes` before 13 / before 18 | input 1 from 13 / from 18 |
/// | Slice | `starts`, `ends`, `axes` before 10 | inputs 1–4 (`steps` too) from 10 |
/// | Split | `split` before 13 | input 1 from 13; `num_outputs` from 18 |
/// | Pad | `pads`, `value` before 11 | inputs 1–3 (`axes` from 18) from 11 |
/// | Clip | `min`, `max` before 11 | inputs 1–2 from 11 |
/// | Upsample / Resize | `scales` before 9 | input 1 (Upsample 9, Resize 10); `scales` 2, `sizes` 3 from 11 |
enum OpsetForms {
    /// The `axes` of Squeeze, Unsqueeze or Reduce*: the constant input `index`, else the attribute,
    /// else nil (not given; an empty list is returned as given).
    static func axes(_ node: NodeContext, inputIndex index: Int = 1) throws(NodeIssue) -> [Int]? {
        if node.optionalInput(index) != nil {
            return try node.constantInput(index, role: "the axes").integers()
        }
        return try node.ints("axes")
    }

    /// Slice's `starts`, `ends` and optional `axes` and `steps` (integers clamped to ±2^53).
    struct SliceParameters {
        var starts: [Int]
        var ends: [Int]
        var axes: [Int]?
        var steps: [Int]?
    }

    static func slice(_ node: NodeContext) throws(NodeIssue) -> SliceParameters {
        if node.inputs.count > 1 {
            func optional(_ i: Int, _ role: String) throws(NodeIssue) -> [Int]? {
                node.optionalInput(i) == nil ? nil : try node.constantInput(i, role: role).clampedIntegers()
            }
            return SliceParameters(starts: try node.constantInput(1, role: "the starts").clampedIntegers(),
                                   ends: try node.constantInput(2, role: "the ends").clampedIntegers(),
                                   axes: try optional(3, "the axes"), steps: try optional(4, "the steps"))
        }
        guard let starts = try node.ints("starts"), let ends = try node.ints("ends") else {
            throw NodeIssue.invalid("has neither 'starts'/'ends' inputs (opset 10+) nor attributes (opset < 10)")
        }
        return SliceParameters(starts: starts, ends: ends, axes: try node.ints("axes"), steps: nil)
    }

    /// Split's part sizes along an axis of length `length`, one per node output: the `split` input or
    /// attribute; else `num_outputs` (opset 18: parts of `ceil(length / n)`, the last one smaller);
    /// else equal parts.
    static func splitSizes(_ node: NodeContext, length: Int) throws(NodeIssue) -> [Int] {
        let outputs = node.proto.output.count
        var sizes: [Int]?
        if node.optionalInput(1) != nil {
            sizes = try node.constantInput(1, role: "the split sizes").integers()
        } else if let attribute = try node.ints("split") {
            sizes = attribute
        }
        if let sizes {
            guard sizes.count == outputs, sizes.allSatisfy({ $0 >= 0 }), sizes.reduce(0, +) == length else {
                throw NodeIssue.invalid("split sizes \(sizes) do not divide an axis of length \(length) into \(outputs) outputs")
            }
            return sizes
        }
        guard outputs >= 1 else { throw NodeIssue.invalid("has no outputs") }
        if node.attribute("num_outputs") != nil {
            let n = try node.int("num_outputs", default: outputs)
            guard n == outputs else { throw NodeIssue.invalid("'num_outputs' is \(n) but the node has \(outputs) outputs") }
            let chunk = (length + n - 1) / n
            let sizes = (0..<n).map { Swift.max(0, Swift.min(chunk, length - $0 * chunk)) }
            return sizes
        }
        guard length % outputs == 0 else {
            throw NodeIssue.invalid("cannot split an axis of length \(length) into \(outputs) equal parts")
        }
        return [Int](repeating: length / outputs, count: outputs)
    }

    /// Pad's parameters: `pads` (begins for every padded axis, then ends), the constant `value`, the
    /// `axes` (opset 18; nil means all) and `mode`.
    struct PadParameters {
        var pads: [Int]
        var value: Double
        var axes: [Int]?
        var mode: String
    }

    static func pad(_ node: NodeContext) throws(NodeIssue) -> PadParameters {
        let mode = try node.string("mode", default: "constant")
        var result: PadParameters
        if node.optionalInput(1) != nil {
            let value = node.optionalInput(2) == nil ? 0
                : try node.constantInput(2, role: "the constant value").scalar("the constant value")
            let axes = node.optionalInput(3) == nil ? nil : try node.constantInput(3, role: "the axes").integers()
            result = PadParameters(pads: try node.constantInput(1, role: "the pads").integers(), value: value, axes: axes, mode: mode)
        } else {
            var attribute = try node.ints("pads")
            if attribute == nil { attribute = try node.ints("paddings") }
            guard let pads = attribute else {
                throw NodeIssue.invalid("has neither a 'pads' input (opset 11+) nor attribute (opset < 11)")
            }
            result = PadParameters(pads: pads, value: try node.float("value", default: 0), axes: nil, mode: mode)
        }
        guard result.pads.count % 2 == 0 else { throw NodeIssue.invalid("pads \(result.pads) has an odd number of entries") }
        return result
    }

    /// Clip's bounds (nil: unbounded on that side): constant inputs 1 and 2 (opset 11+), else the
    /// `min` and `max` attributes (infinite attribute values mean no bound).
    static func clipBounds(_ node: NodeContext) throws(NodeIssue) -> (min: Double?, max: Double?) {
        if node.inputs.count > 1 {
            func bound(_ i: Int, _ role: String) throws(NodeIssue) -> Double? {
                node.optionalInput(i) == nil ? nil : try node.constantInput(i, role: role).scalar(role)
            }
            return (try bound(1, "the minimum"), try bound(2, "the maximum"))
        }
        func attribute(_ name: String) -> Double? {
            guard let a = node.attribute(name), a.f.isFinite else { return nil }
            return Double(a.f)
        }
        return (attribute("min"), attribute("max"))
    }

    /// Upsample's or Resize's target: `scales` per axis or output `sizes` (one of them; empty tensors
    /// count as absent).
    static func resizeTarget(_ node: NodeContext) throws(NodeIssue) -> (scales: [Double]?, sizes: [Int]?) {
        func input(_ i: Int, _ role: String) throws(NodeIssue) -> ConstantTensor? {
            guard node.optionalInput(i) != nil else { return nil }
            let t = try node.constantInput(i, role: role)
            return t.values.isEmpty ? nil : t
        }
        let scalesIndex = node.proto.opType == "Upsample" || node.opset < 11 ? 1 : 2
        if let scales = try input(scalesIndex, "the scales") { return (scales.values, nil) }
        if scalesIndex == 2, let sizes = try input(3, "the sizes") { return (nil, try sizes.integers()) }
        if let a = node.attribute("scales") { return (a.floats.map { Double($0) }, nil) }
        throw NodeIssue.invalid("has neither scales nor sizes")
    }
}
