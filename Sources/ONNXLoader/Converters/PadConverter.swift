import NNGraph

/// ONNX `Pad`: output coordinate `o` along an axis with begin padding `b` reads input coordinate
/// `o − b` when it is inside the input; outside, `mode` decides — `constant` gives the pad value,
/// `edge` the nearest border element, `reflect` the mirror image without repeating the border (numpy's
/// `reflect`), `wrap` the periodic continuation. Negative pads remove elements (`reflect` and `wrap`
/// then refused). The map is a ``Selection`` (or no node for pure copies) except in constant mode with
/// padding, where it is a ``SparseLinear`` whose padded rows are empty with the pad value as offset.
///
/// Forms: opset 1 attribute `paddings`; opsets 2–10 attributes `pads` and `value`; from opset 11 the
/// constant inputs `pads` and `constant_value` (scalar, optional); from opset 18 the optional constant
/// input `axes` (the pads then cover those axes only). A constant data input is padded at load time.
struct PadConverter: OperatorConverter {
    func convert(_ node: NodeContext, _ graph: inout GraphBuilder) throws -> [Operand] {
        try node.expectInputs(1, node.opset < 11 ? 1 : 4)
        let x = try node.input(0)
        let rank = x.shape.count
        let pads: [Int], value: Double
        var axes = Array(0..<rank)
        if node.opset < 11 {
            guard let p = try node.ints("pads") ?? node.ints("paddings") else { throw NodeIssue.invalid("attribute 'pads' is required") }
            pads = p
            value = try node.float("value", default: 0)
        } else {
            pads = try node.constantInput(1, role: "the pads").integers()
            if node.optionalInput(2) != nil {
                let v = try node.constantInput(2, role: "the constant value")
                guard v.values.count <= 1 else {
                    throw NodeIssue.invalid("constant_value has \(v.values.count) elements; it must be a scalar")
                }
                value = v.values.first ?? 0
            } else {
                value = 0
            }
            if node.optionalInput(3) != nil {
                let given = try node.constantInput(3, role: "the axes").integers()
                axes = try given.map { a throws(NodeIssue) in try node.normalisedAxis(a, rank: rank, inclusiveUpper: false) }
                guard Set(axes).count == axes.count else { throw NodeIssue.invalid("axes \(given) repeat an axis") }
            }
        }
        guard pads.count == 2 * axes.count else {
            throw NodeIssue.invalid("has \(pads.count) pads for \(axes.count) axes of \(ShapeMath.format(x.shape)); expected \(2 * axes.count)")
        }
        guard pads.allSatisfy({ abs($0) <= SpatialWindow.largestAttribute }) else {
            throw NodeIssue.invalid("pads \(pads) are out of range")
        }
        var begin = [Int](repeating: 0, count: rank), end = begin
        for (k, axis) in axes.enumerated() {
            begin[axis] = pads[k]
            end[axis] = pads[k + axes.count]
        }
        let mode = try node.string("mode", default: "constant")
        guard ["constant", "reflect", "edge", "wrap"].contains(mode) else {
            throw NodeIssue.unsupported("attribute 'mode' = '\(mode)'; supported: constant, reflect, edge, wrap")
        }
        if (mode == "reflect" || mode == "wrap") && pads.contains(where: { $0 < 0 }) {
            throw NodeIssue.unsupported("negative pads (cropping) with mode '\(mode)'")
        }
        let shape = (0..<rank).map { x.shape[$0] + begin[$0] + end[$0] }
        guard shape.allSatisfy({ $0 >= 0 }) else {
            throw NodeIssue.shapeMismatch("pads \(pads) remove more than the input \(ShapeMath.format(x.shape)) holds")
        }
        _ = try ShapeMath.elementCount(shape, what: "Pad output")
        let taps = (0..<rank).map { axis in
            (0..<shape[axis]).map { o -> SparseMaps.Taps in
                guard let i = Self.source(o - begin[axis], length: x.shape[axis], mode: mode) else { return [] }
                return [(i, 1)]
            }
        }
        let map = SparseMaps.separable(inputShape: x.shape, taps: taps, fill: value)
        return [graph.apply(map, to: x, shape: shape, name: node.name)]
    }

    /// The input coordinate read at coordinate `i` of the unpadded frame, or nil in constant padding.
    static func source(_ i: Int, length n: Int, mode: String) -> Int? {
        if i >= 0 && i < n { return i }
        switch mode {
        case "edge": return min(max(i, 0), n - 1)
        case "wrap": return ((i % n) + n) % n
        case "reflect":
            guard n > 1 else { return 0 }
            let period = 2 * (n - 1)
            let r = ((i % period) + period) % period
            return r < n ? r : period - r
        default: return nil
        }
    }
}
