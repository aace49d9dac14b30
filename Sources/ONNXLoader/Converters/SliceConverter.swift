/// ONNX `Slice` in both forms (attributes `starts`/`ends`/`axes` before opset 10; inputs `starts`,
/// `ends`, `axes`, `steps` from 10, all constant; see ``OpsetForms/slice(_:)``). Negative starts and ends
/// count from the end of the axis, out-of-range ones (such as INT64_MAX) are clamped, steps may be
/// negative (never 0), negative axes count from the end. Constant data is evaluated at load time;
/// computed data becomes an exact ``Selection`` (no node when the slice keeps everything).
struct SliceConverter: OperatorConverter {
    func convert(_ node: NodeContext, _ graph: inout GraphBuilder) throws -> [Operand] {
        try node.expectInputs(1, 5)
        let data = try node.input(0)
        let p = try OpsetForms.slice(node)
        let shape = data.shape
        let axes = p.axes ?? Array(0..<p.starts.count)
        let steps = p.steps ?? [Int](repeating: 1, count: p.starts.count)
        guard p.ends.count == p.starts.count, axes.count == p.starts.count, steps.count == p.starts.count else {
            throw NodeIssue.invalid("starts \(p.starts), ends \(p.ends), axes \(axes) and steps \(steps) differ in length")
        }
        var maps = shape.map { Array(0..<$0) }
        var seen = Set<Int>()
        for k in axes.indices {
            let axis = try node.normalisedAxis(axes[k], rank: shape.count, inclusiveUpper: false)
            guard seen.insert(axis).inserted else { throw NodeIssue.invalid("axis \(axis) is sliced twice (axes \(axes))") }
            guard steps[k] != 0 else { throw NodeIssue.invalid("step 0 for axis \(axis)") }
            maps[axis] = Self.coordinates(start: p.starts[k], end: p.ends[k], step: steps[k], length: shape[axis])
        }
        let sources = try Rearrangement.axisMappedIndices(inputShape: shape, maps: maps)
        return [Rearrangement.gather(data, indices: sources, shape: maps.map(\.count), name: node.name, graph: &graph)]
    }

    /// The coordinates `start, start + step, ...` before `end` along an axis of `length`, with ONNX's
    /// rules for negative and out-of-range bounds.
    static func coordinates(start: Int, end: Int, step: Int, length: Int) -> [Int] {
        var s = start < 0 ? start + length : start
        var e = end < 0 ? end + length : end
        if step > 0 {
            s = min(max(s, 0), length)
            e = min(max(e, 0), length)
            return s < e ? Array(stride(from: s, to: e, by: step)) : []
        }
        s = min(max(s, 0), length - 1)
        e = min(max(e, -1), length - 1)
        return s > e ? Array(stride(from: s, to: e, by: step)) : []
    }
}
