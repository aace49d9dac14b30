import NNGraph

/// ONNX `Resize` (opset 10, 11, 13, 18, 19) and `Upsample` (opset 7 `scales` attribute, opset 9 input):
/// an exact linear map of the input, built per axis by ``Resampling`` — a ``Selection`` for `nearest`, a
/// ``SparseLinear`` for `linear` (non-negative weights) and `cubic`; evaluated at load time on a constant.
///
/// Inputs: `X`; Resize-10 and Upsample-9 `scales`; Resize-11+ `roi` (ignored: it only matters for
/// `tf_crop_and_resize`, which is refused), `scales` or `sizes` (empty or omitted when unused), all
/// constants. Attributes: `mode`, `coordinate_transformation_mode`, `nearest_mode`, `cubic_coeff_a`,
/// `exclude_outside`, and from opset 18 `axes`, `keep_aspect_ratio_policy` (`stretch`, `not_larger`,
/// `not_smaller`) and `antialias` (refused when it would change a downsampling linear or cubic resize).
/// Before opset 11 (and for Upsample) coordinates are `asymmetric` and nearest rounding is onnxruntime's.
/// Output lengths follow onnxruntime: `floor(scale · length)` in float for `scales`, `sizes` as given.
struct ResizeConverter: OperatorConverter {
    /// True for `Upsample`.
    let upsample: Bool

    func convert(_ node: NodeContext, _ graph: inout GraphBuilder) throws -> [Operand] {
        let legacy = upsample || node.opset < 11
        try node.expectInputs(1, upsample || node.opset < 11 ? 2 : 4)
        let x = try node.input(0)
        let rank = x.shape.count
        guard rank >= 1 else { throw NodeIssue.shapeMismatch("cannot resize a scalar") }

        let modeName = try node.string("mode", default: "nearest")
        guard let mode = Resampling.Mode(rawValue: modeName == "bilinear" ? "linear" : modeName),
              !(legacy && mode == .cubic) else {
            throw NodeIssue.unsupported("attribute 'mode' = '\(modeName)'; supported: nearest, linear" + (legacy ? "" : ", cubic"))
        }
        var coordinates = Resampling.Coordinates.asymmetric, rounding = Resampling.Rounding.simple
        if !legacy {
            let name = try node.string("coordinate_transformation_mode", default: "half_pixel")
            guard let c = Resampling.Coordinates(rawValue: name) else {
                throw NodeIssue.unsupported("attribute 'coordinate_transformation_mode' = '\(name)'; supported: "
                    + Resampling.Coordinates.allCases.map(\.rawValue).joined(separator: ", "))
            }
            coordinates = c
            let nearestName = try node.string("nearest_mode", default: "round_prefer_floor")
            guard let r = Resampling.Rounding(rawValue: nearestName), r != .simple else {
                throw NodeIssue.unsupported("attribute 'nearest_mode' = '\(nearestName)'; supported: round_prefer_floor, "
                    + "round_prefer_ceil, floor, ceil")
            }
            rounding = r
        }
        let excludeOutside = try node.int("exclude_outside", default: 0)
        guard excludeOutside == 0 || excludeOutside == 1 else {
            throw NodeIssue.invalid("attribute 'exclude_outside' is \(excludeOutside); it must be 0 or 1")
        }
        let sampling = Resampling(mode: mode, coordinates: coordinates, rounding: rounding,
                                  cubicA: Float(try node.float("cubic_coeff_a", default: -0.75)),
                                  excludeOutside: excludeOutside == 1)

        let axes = try resizedAxes(node, rank: rank)
        let (scales, outShape) = try scalesAndShape(node, input: x.shape, axes: axes)
        let antialias = try node.int("antialias", default: 0)
        if antialias != 0 && mode != .nearest && scales.contains(where: { $0 < 1 }) {
            throw NodeIssue.unsupported("attribute 'antialias' = \(antialias) with a downsampling \(modeName) resize")
        }
        for (axis, length) in outShape.enumerated() where length < 1 {
            throw NodeIssue.shapeMismatch("the output would be empty along axis \(axis) (shape \(ShapeMath.format(outShape)))")
        }
        let count = try ShapeMath.elementCount(outShape, what: "\(upsample ? "Upsample" : "Resize") output")
        _ = try ShapeMath.elementCount([count, mode == .cubic ? 1 << (2 * rank) : 1 << rank], what: "resize weight table")
        let taps = (0..<rank).map { sampling.taps(inLength: x.shape[$0], outLength: outShape[$0], scale: scales[$0]) }
        let map = SparseMaps.separable(inputShape: x.shape, taps: taps, fill: 0)
        return [graph.apply(map, to: x, shape: outShape, name: node.name)]
    }

    /// The axes that `scales`/`sizes` refer to (opset 18 `axes`, else all), normalised.
    private func resizedAxes(_ node: NodeContext, rank: Int) throws(NodeIssue) -> [Int] {
        guard let given = try node.ints("axes") else { return Array(0..<rank) }
        let axes = try given.map { a throws(NodeIssue) in try node.normalisedAxis(a, rank: rank, inclusiveUpper: false) }
        guard Set(axes).count == axes.count else { throw NodeIssue.invalid("attribute 'axes' \(given) repeats an axis") }
        return axes
    }

    /// Per axis the scale (float, as onnxruntime uses it) and the output length.
    private func scalesAndShape(_ node: NodeContext, input: [Int], axes: [Int]) throws(NodeIssue) -> ([Float], [Int]) {
        var scaleValues: [Double]? = nil, sizeValues: [Int]? = nil
        if upsample && node.opset < 9 {
            guard let s = try SparseMaps.floats(node, "scales") else { throw NodeIssue.invalid("attribute 'scales' is required") }
            scaleValues = s
        } else if upsample || node.opset < 11 {
            scaleValues = try node.constantInput(1, role: "the scales").values
        } else {
            if node.optionalInput(2) != nil {
                let s = try node.constantInput(2, role: "the scales")
                if !s.values.isEmpty { scaleValues = s.values }
            }
            if node.optionalInput(3) != nil {
                let s = try node.constantInput(3, role: "the sizes")
                if !s.values.isEmpty { sizeValues = try s.integers() }
            }
        }
        var scales = [Float](repeating: 1, count: input.count), shape = input
        switch (scaleValues, sizeValues) {
        case (nil, nil):
            throw NodeIssue.invalid("has neither scales nor sizes")
        case (_?, _?):
            throw NodeIssue.invalid("has both scales and sizes; exactly one may be given")
        case (let s?, nil):
            guard s.count == axes.count else {
                throw NodeIssue.invalid("has \(s.count) scales for \(axes.count) axes of the input \(ShapeMath.format(input))")
            }
            for (k, axis) in axes.enumerated() {
                let scale = Float(s[k])
                guard scale > 0 && scale.isFinite else { throw NodeIssue.invalid("scale \(s[k]) for axis \(axis) must be positive") }
                let length = scale * Float(input[axis])
                guard length < Float(1 << 40) else { throw NodeIssue.tooLarge(what: "resized axis \(axis)", elements: "\(length)") }
                scales[axis] = scale
                shape[axis] = Int(length)
            }
        case (nil, let sizes?):
            guard sizes.count == axes.count else {
                throw NodeIssue.invalid("has \(sizes.count) sizes for \(axes.count) axes of the input \(ShapeMath.format(input))")
            }
            for (k, axis) in axes.enumerated() {
                guard sizes[k] >= 1 else { throw NodeIssue.invalid("size \(sizes[k]) for axis \(axis) must be positive") }
                scales[axis] = Float(sizes[k]) / Float(input[axis])
                shape[axis] = sizes[k]
            }
            let policy = try node.string("keep_aspect_ratio_policy", default: "stretch")
            switch policy {
            case "stretch": break
            case "not_larger", "not_smaller":
                let chosen = axes.map { scales[$0] }
                let scale = policy == "not_larger" ? chosen.min()! : chosen.max()!
                for axis in axes {
                    scales[axis] = scale
                    shape[axis] = Int((scale * Float(input[axis])).rounded())
                }
            default:
                throw NodeIssue.unsupported("attribute 'keep_aspect_ratio_policy' = '\(policy)'; supported: stretch, not_larger, not_smaller")
            }
        }
        return (scales, shape)
    }
}
