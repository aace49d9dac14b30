/// The per-axis sampling of ONNX `Resize` and `Upsample`: for each output coordinate, the input
/// coordinates it reads and their weights. Coordinates are computed in `Float`, as onnxruntime does,
/// so that ties in nearest-neighbour rounding fall the same way.
///
/// Output coordinate `x` maps to the input coordinate `x_orig` given by `coordinate_transformation_mode`
/// (`scale` is `scales[axis]`, or `output/input` from `sizes`):
/// - `half_pixel`: `(x + 0.5) / scale − 0.5`; `half_pixel_symmetric`: the same shifted so that the
///   resized extent is centred; `pytorch_half_pixel`: as `half_pixel`, but 0 when the output length is 1;
/// - `align_corners`: `x · (in − 1) / (out − 1)` (0 when out is 1); `asymmetric`: `x / scale`;
///   `tf_half_pixel_for_nn`: `(x + 0.5) / scale`.
///
/// `nearest` reads the input at the rounded coordinate (`round_prefer_floor`, `round_prefer_ceil`, `floor`,
/// `ceil`; before opset 11 onnxruntime's rule: truncate when upsampling, ceil when downsampling), clamped to
/// the input. `linear` reads the two neighbours of the coordinate clamped to `[0, in − 1]`, weighted by
/// distance (non-negative weights summing to 1). In every mode an axis whose scale is 1 is copied
/// unchanged, as onnxruntime does (this differs from the formulas only for `tf_half_pixel_for_nn`).
/// `cubic` reads four neighbours with the Keys kernel of coefficient `a` (`cubic_coeff_a`), indices clamped
/// to the input, or with the outside taps dropped and the weights renormalised (`exclude_outside`).
struct Resampling {
    enum Mode: String { case nearest, linear, cubic }
    enum Coordinates: String, CaseIterable {
        case halfPixel = "half_pixel", halfPixelSymmetric = "half_pixel_symmetric", pytorchHalfPixel = "pytorch_half_pixel"
        case alignCorners = "align_corners", asymmetric, tfHalfPixelForNN = "tf_half_pixel_for_nn"
    }
    enum Rounding: String, CaseIterable {
        case roundPreferFloor = "round_prefer_floor", roundPreferCeil = "round_prefer_ceil", floor, ceil
        /// onnxruntime before opset 11 (no `nearest_mode`): truncate when upsampling, ceil when downsampling.
        case simple
    }

    let mode: Mode
    let coordinates: Coordinates
    let rounding: Rounding
    let cubicA: Float
    let excludeOutside: Bool

    /// The input coordinate of output coordinate `x` along an axis of `inLength` → `outLength` at `scale`.
    func original(_ x: Int, scale: Float, inLength: Int, outLength: Int) -> Float {
        let x = Float(x), lengthIn = Float(inLength), lengthOut = Float(outLength)
        switch coordinates {
        case .halfPixel:
            return (x + 0.5) / scale - 0.5
        case .halfPixelSymmetric:
            let adjustment = lengthOut / (scale * lengthIn)
            let centre = lengthIn / 2
            return centre * (1 - adjustment) + (x + 0.5) / scale - 0.5
        case .pytorchHalfPixel:
            return outLength > 1 ? (x + 0.5) / scale - 0.5 : 0
        case .alignCorners:
            return outLength == 1 ? 0 : x * (lengthIn - 1) / (lengthOut - 1)
        case .asymmetric:
            return x / scale
        case .tfHalfPixelForNN:
            return (x + 0.5) / scale
        }
    }

    /// The taps of every output coordinate along one axis.
    func taps(inLength: Int, outLength: Int, scale: Float) -> [SparseMaps.Taps] {
        (0..<outLength).map { x in
            if scale == 1 && inLength == outLength { return [(x, 1)] }
            let c = original(x, scale: scale, inLength: inLength, outLength: outLength)
            switch mode {
            case .nearest: return [(min(max(nearest(c, downsampling: scale < 1), 0), inLength - 1), 1)]
            case .linear: return linear(c, inLength: inLength)
            case .cubic: return cubic(c, inLength: inLength)
            }
        }
    }

    private func nearest(_ c: Float, downsampling: Bool) -> Int {
        guard c.isFinite else { return 0 }
        let c = min(max(c, -1e9), 1e9)
        switch rounding {
        case .roundPreferFloor: return c == Float(Int(c)) + 0.5 ? Int(c.rounded(.down)) : Int(c.rounded())
        case .roundPreferCeil: return c == Float(Int(c)) + 0.5 ? Int(c.rounded(.up)) : Int(c.rounded())
        case .floor: return Int(c.rounded(.down))
        case .ceil: return Int(c.rounded(.up))
        case .simple: return downsampling ? Int(c.rounded(.up)) : Int(c)
        }
    }

    private func linear(_ c: Float, inLength: Int) -> SparseMaps.Taps {
        let x = min(max(c, 0), Float(inLength - 1))
        let i1 = min(Int(x), inLength - 1), i2 = min(i1 + 1, inLength - 1)
        if i1 == i2 { return [(i1, 1)] }
        let d1 = abs(x - Float(i1)), d2 = abs(x - Float(i2))
        return [(i1, Double(d2)), (i2, Double(d1))]
    }

    private func cubic(_ c: Float, inLength: Int) -> SparseMaps.Taps {
        let base = c.rounded(.down), s = c - base, a = cubicA
        let k0 = ((a * (s + 1) - 5 * a) * (s + 1) + 8 * a) * (s + 1) - 4 * a
        let k1 = ((a + 2) * s - (a + 3)) * s * s + 1
        let k2 = ((a + 2) * (1 - s) - (a + 3)) * (1 - s) * (1 - s) + 1
        let k3 = ((a * (2 - s) - 5 * a) * (2 - s) + 8 * a) * (2 - s) - 4 * a
        var taps = SparseMaps.Taps()
        var total: Float = 0
        for (k, w) in [k0, k1, k2, k3].enumerated() {
            let i = Int(base) - 1 + k
            if excludeOutside && (i < 0 || i >= inLength) { continue }
            taps.append((min(max(i, 0), inLength - 1), Double(w)))
            total += w
        }
        if excludeOutside && total != 0 { taps = taps.map { ($0.0, $0.1 / Double(total)) } }
        return taps
    }
}
