import NNGraph

/// The sliding-window attributes shared by Conv, MaxPool and AveragePool — `kernel_shape`, `strides`,
/// `pads`, `dilations`, `auto_pad` and (pools) `ceil_mode` — resolved for a 1-D or 2-D spatial input.
/// A 1-D input of length L is treated as height 1 and width L. Sizes are kept as `[height, width]`.
struct SpatialWindow {
    /// The ONNX spatial rank (1 or 2).
    let rank: Int
    let input: [Int]
    let kernel: [Int]
    let strides: [Int]
    let dilations: [Int]
    /// Padding before (top, left) and after (bottom, right).
    let padBegin: [Int]
    let padEnd: [Int]
    let output: [Int]
    /// The part of `padEnd` added by `ceil_mode` = 1 (pools): positions there are left out of the windows
    /// and, unlike the declared padding, not counted by AveragePool's `count_include_pad` = 1.
    var ceilPadding: [Int] = [0, 0]

    /// The output's spatial dimensions as in the ONNX tensor (`[width]` for a 1-D input).
    var outputShape: [Int] { rank == 1 ? [output[1]] : output }
    /// Positions per channel in the input and in the output.
    var inputPlane: Int { input[0] * input[1] }
    var outputPlane: Int { output[0] * output[1] }

    /// Attribute values above this are refused (they would only overflow or exhaust memory).
    static let largestAttribute = 1 << 24

    /// Reads and checks the attributes of `node` for the spatial dimensions `spatial` of its input and
    /// the kernel size `kernel` (from the weight tensor or `kernel_shape`). With `ceilMode`, the pooling
    /// attribute `ceil_mode` is read: 1 is accepted only when it gives the same output size as 0.
    static func resolve(_ node: NodeContext, spatial: [Int], kernel: [Int], ceilMode: Bool) throws(NodeIssue) -> SpatialWindow {
        let d = spatial.count
        guard d == 1 || d == 2 else {
            throw NodeIssue.unsupported("a \(d)-D window (input spatial shape \(ShapeMath.format(spatial))); "
                + "only 1-D and 2-D inputs are supported")
        }
        guard kernel.count == d, kernel.allSatisfy({ $0 >= 1 && $0 <= largestAttribute }) else {
            throw NodeIssue.invalid("kernel shape \(ShapeMath.format(kernel)) does not fit a \(d)-D input")
        }
        func list(_ name: String, count: Int, defaultValue: Int, minimum: Int) throws(NodeIssue) -> [Int] {
            guard let values = try node.ints(name) else { return [Int](repeating: defaultValue, count: count) }
            guard values.count == count else {
                throw NodeIssue.invalid("attribute '\(name)' has \(values.count) values, expected \(count) for a \(d)-D input")
            }
            guard values.allSatisfy({ $0 >= minimum && $0 <= largestAttribute }) else {
                throw NodeIssue.invalid("attribute '\(name)' is \(values); each value must be between \(minimum) and \(largestAttribute)")
            }
            return values
        }
        let strides = try list("strides", count: d, defaultValue: 1, minimum: 1)
        let dilations = try list("dilations", count: d, defaultValue: 1, minimum: 1)
        let extent = (0..<d).map { (kernel[$0] - 1) * dilations[$0] + 1 }
        let autoPad = try node.string("auto_pad", default: "NOTSET")
        var begin = [Int](repeating: 0, count: d), end = begin
        switch autoPad {
        case "NOTSET", "":
            let pads = try list("pads", count: 2 * d, defaultValue: 0, minimum: 0)
            begin = Array(pads[..<d])
            end = Array(pads[d...])
        case "VALID", "SAME_UPPER", "SAME_LOWER":
            if let pads = try node.ints("pads"), pads.contains(where: { $0 != 0 }) {
                throw NodeIssue.invalid("attribute 'pads' (\(pads)) cannot be combined with auto_pad = '\(autoPad)'")
            }
            if autoPad != "VALID" {
                for i in 0..<d {
                    let out = (spatial[i] + strides[i] - 1) / strides[i]
                    let total = max(0, (out - 1) * strides[i] + extent[i] - spatial[i])
                    begin[i] = autoPad == "SAME_UPPER" ? total / 2 : total - total / 2
                    end[i] = total - begin[i]
                }
            }
        default:
            throw NodeIssue.unsupported("attribute 'auto_pad' = '\(autoPad)'; supported: NOTSET, VALID, SAME_UPPER, SAME_LOWER")
        }
        var output = [Int]()
        for i in 0..<d {
            let padded = spatial[i] + begin[i] + end[i]
            guard extent[i] <= padded else {
                throw NodeIssue.shapeMismatch("the window spans \(extent[i]) along spatial axis \(i) (kernel \(kernel[i]), "
                    + "dilation \(dilations[i])), more than the padded input size \(padded)")
            }
            output.append((padded - extent[i]) / strides[i] + 1)
        }
        var ceilPadding = [Int](repeating: 0, count: d)
        if ceilMode {
            let mode = try node.int("ceil_mode", default: 0)
            guard mode == 0 || mode == 1 else { throw NodeIssue.invalid("attribute 'ceil_mode' is \(mode); it must be 0 or 1") }
            if mode == 1 {
                // As PyTorch and onnxruntime: the output size rounds up, except that the last window must
                // start inside the input or the leading padding; the windows reaching past the end are
                // cut where the input (plus the trailing padding) ends, like padding with −∞.
                for i in 0..<d {
                    let padded = spatial[i] + begin[i] + end[i]
                    var ceiled = (padded - extent[i] + strides[i] - 1) / strides[i] + 1
                    if ceiled > output[i] && (ceiled - 1) * strides[i] >= spatial[i] + begin[i] { ceiled -= 1 }
                    ceilPadding[i] = max(0, (ceiled - 1) * strides[i] + extent[i] - padded)
                    output[i] = ceiled
                }
            }
        }
        func twoD(_ v: [Int], _ fill: Int) -> [Int] { d == 1 ? [fill, v[0]] : v }
        let ceiledEnd = (0..<d).map { end[$0] + ceilPadding[$0] }
        return SpatialWindow(rank: d, input: twoD(spatial, 1), kernel: twoD(kernel, 1), strides: twoD(strides, 1),
                             dilations: twoD(dilations, 1), padBegin: twoD(begin, 0), padEnd: twoD(ceiledEnd, 0),
                             output: twoD(output, 1), ceilPadding: twoD(ceilPadding, 0))
    }

    /// The convolution geometry of this window.
    func geometry(inputChannels: Int, outputChannels: Int, groups: Int) throws(NodeIssue) -> ConvolutionGeometry {
        do {
            return try ConvolutionGeometry(
                inputChannels: inputChannels, inputHeight: input[0], inputWidth: input[1], outputChannels: outputChannels,
                kernelHeight: kernel[0], kernelWidth: kernel[1], strideHeight: strides[0], strideWidth: strides[1],
                padTop: padBegin[0], padLeft: padBegin[1], padBottom: padEnd[0], padRight: padEnd[1],
                dilationHeight: dilations[0], dilationWidth: dilations[1], groups: groups)
        } catch {
            throw NodeIssue.invalid("\(error)")
        }
    }

    /// For every output position `(oh, ow)` (row-major), the number of window positions inside the input
    /// and the declared padding (AveragePool's divisor with `count_include_pad` = 1): the whole kernel
    /// except where `ceil_mode` extends a window past the end.
    func paddedWindowCounts() -> [Int] {
        func count(_ axis: Int, _ o: Int) -> Int {
            let start = o * strides[axis] - padBegin[axis], limit = input[axis] + padEnd[axis] - ceilPadding[axis]
            return (0..<kernel[axis]).filter { start + $0 * dilations[axis] < limit }.count
        }
        var result = [Int]()
        for oh in 0..<output[0] {
            for ow in 0..<output[1] { result.append(count(0, oh) * count(1, ow)) }
        }
        return result
    }

    /// For every output position `(oh, ow)` (row-major), the input positions `ih · width + iw` of one
    /// channel that its window covers, padding left out.
    func windows() -> [[Int]] {
        var result = [[Int]]()
        result.reserveCapacity(outputPlane)
        for oh in 0..<output[0] {
            for ow in 0..<output[1] {
                var window = [Int]()
                for ki in 0..<kernel[0] {
                    let ih = oh * strides[0] - padBegin[0] + ki * dilations[0]
                    guard ih >= 0 && ih < input[0] else { continue }
                    for kj in 0..<kernel[1] {
                        let iw = ow * strides[1] - padBegin[1] + kj * dilations[1]
                        if iw >= 0 && iw < input[1] { window.append(ih * input[1] + iw) }
                    }
                }
                result.append(window)
            }
        }
        return result
    }
}
