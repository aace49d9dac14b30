/// The shape of a 2-D convolution on one image in CHW layout (channels, height, width; row-major):
/// kernel size, strides, zero padding on each side, dilations and channel groups, as in ONNX `Conv`.
///
/// Output position `(oh, ow)` reads, for kernel tap `(ki, kj)`, the input row
/// `oh·strideHeight − padTop + ki·dilationHeight` and column `ow·strideWidth − padLeft + kj·dilationWidth`;
/// taps outside the image read 0. Output channel `o` belongs to group `o / (outputChannels / groups)` and
/// reads only that group's `inputChannels / groups` input channels. A 1-D convolution is the case
/// `inputHeight = kernelHeight = 1`.
public struct ConvolutionGeometry: Sendable, Equatable {
    public let inputChannels: Int
    public let inputHeight: Int
    public let inputWidth: Int
    public let outputChannels: Int
    public let kernelHeight: Int
    public let kernelWidth: Int
    public let strideHeight: Int
    public let strideWidth: Int
    public let padTop: Int
    public let padLeft: Int
    public let padBottom: Int
    public let padRight: Int
    public let dilationHeight: Int
    public let dilationWidth: Int
    public let groups: Int
    /// `(inputHeight + padTop + padBottom − ((kernelHeight − 1)·dilationHeight + 1)) / strideHeight + 1`.
    public let outputHeight: Int
    /// As ``outputHeight``, along the width.
    public let outputWidth: Int

    /// Checks the sizes and computes the output size.
    /// - Throws: ``NetworkError/invalid(_:)`` naming the problem when a size is not positive, a padding is
    ///   negative, the groups do not divide both channel counts, or the (dilated) kernel is larger than the
    ///   padded input.
    public init(inputChannels: Int, inputHeight: Int, inputWidth: Int, outputChannels: Int,
                kernelHeight: Int, kernelWidth: Int, strideHeight: Int = 1, strideWidth: Int = 1,
                padTop: Int = 0, padLeft: Int = 0, padBottom: Int = 0, padRight: Int = 0,
                dilationHeight: Int = 1, dilationWidth: Int = 1, groups: Int = 1) throws(NetworkError) {
        let positive = [("input channels", inputChannels), ("input height", inputHeight), ("input width", inputWidth),
                        ("output channels", outputChannels), ("kernel height", kernelHeight),
                        ("kernel width", kernelWidth), ("stride height", strideHeight), ("stride width", strideWidth),
                        ("dilation height", dilationHeight), ("dilation width", dilationWidth), ("groups", groups)]
        for (what, value) in positive where value < 1 {
            throw NetworkError.invalid("convolution \(what) is \(value); it must be positive")
        }
        for (what, value) in [("top", padTop), ("left", padLeft), ("bottom", padBottom), ("right", padRight)] where value < 0 {
            throw NetworkError.invalid("convolution \(what) padding is \(value); it must not be negative")
        }
        guard inputChannels % groups == 0 && outputChannels % groups == 0 else {
            throw NetworkError.invalid("convolution groups (\(groups)) must divide the input channels (\(inputChannels)) "
                + "and the output channels (\(outputChannels))")
        }
        let extentHeight = (kernelHeight - 1) * dilationHeight + 1
        let extentWidth = (kernelWidth - 1) * dilationWidth + 1
        let paddedHeight = inputHeight + padTop + padBottom, paddedWidth = inputWidth + padLeft + padRight
        guard extentHeight <= paddedHeight && extentWidth <= paddedWidth else {
            throw NetworkError.invalid("convolution kernel spans \(extentHeight)x\(extentWidth) (dilations included), "
                + "more than the padded input \(paddedHeight)x\(paddedWidth)")
        }
        self.inputChannels = inputChannels
        self.inputHeight = inputHeight
        self.inputWidth = inputWidth
        self.outputChannels = outputChannels
        self.kernelHeight = kernelHeight
        self.kernelWidth = kernelWidth
        self.strideHeight = strideHeight
        self.strideWidth = strideWidth
        self.padTop = padTop
        self.padLeft = padLeft
        self.padBottom = padBottom
        self.padRight = padRight
        self.dilationHeight = dilationHeight
        self.dilationWidth = dilationWidth
        self.groups = groups
        self.outputHeight = (paddedHeight - extentHeight) / strideHeight + 1
        self.outputWidth = (paddedWidth - extentWidth) / strideWidth + 1
    }

    /// `inputChannels · inputHeight · inputWidth`.
    public var inputSize: Int { inputChannels * inputHeight * inputWidth }
    /// `outputChannels · outputHeight · outputWidth`.
    public var outputSize: Int { outputChannels * outputPlane }
    /// Positions per output channel, `outputHeight · outputWidth`.
    public var outputPlane: Int { outputHeight * outputWidth }
    /// Input channels read by one output channel.
    public var inputChannelsPerGroup: Int { inputChannels / groups }
    /// Output channels of one group.
    public var outputChannelsPerGroup: Int { outputChannels / groups }
    /// Weights of one output channel: `inputChannelsPerGroup · kernelHeight · kernelWidth` (the ONNX weight
    /// tensor `[outputChannels, inputChannelsPerGroup, kernelHeight, kernelWidth]` flattened per row).
    public var kernelLength: Int { inputChannelsPerGroup * kernelHeight * kernelWidth }

    /// The input element read by kernel tap `(c, ki, kj)` (channel `c` within the group) at output position
    /// `(oh, ow)`, as a flat index relative to the group's first input channel, or nil in the padding.
    public func inputIndex(channel c: Int, kernelRow ki: Int, kernelColumn kj: Int, outputRow oh: Int, outputColumn ow: Int) -> Int? {
        let ih = oh * strideHeight - padTop + ki * dilationHeight
        let iw = ow * strideWidth - padLeft + kj * dilationWidth
        guard ih >= 0 && ih < inputHeight && iw >= 0 && iw < inputWidth else { return nil }
        return (c * inputHeight + ih) * inputWidth + iw
    }

    /// The patch table of im2col: entry `k · outputPlane + p` is ``inputIndex(channel:kernelRow:kernelColumn:outputRow:outputColumn:)``
    /// for kernel tap `k = (c · kernelHeight + ki) · kernelWidth + kj` and output position `p = oh · outputWidth + ow`,
    /// or −1 in the padding (`kernelLength · outputPlane` entries).
    func patchTable() -> [Int32] {
        var table = [Int32](repeating: -1, count: kernelLength * outputPlane)
        var k = 0
        for c in 0..<inputChannelsPerGroup {
            for ki in 0..<kernelHeight {
                for kj in 0..<kernelWidth {
                    for oh in 0..<outputHeight {
                        for ow in 0..<outputWidth {
                            if let i = inputIndex(channel: c, kernelRow: ki, kernelColumn: kj, outputRow: oh, outputColumn: ow) {
                                table[k * outputPlane + oh * outputWidth + ow] = Int32(i)
                            }
                        }
                    }
                    k += 1
                }
            }
        }
        return table
    }
}
