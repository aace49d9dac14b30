import Foundation

/// An 8-bit greyscale or RGB image that encodes itself as PNG, for showing inputs and
/// adversarial examples in reports.
///
/// Pixels are stored row-major with channels interleaved: pixel `(row, column)` channel `c` is
/// `pixels[(row * width + column) * channels + c]`. The initialisers check the shape, so every
/// `PNGImage` value is well formed.
public struct PNGImage: Sendable, Equatable {
    /// Width in pixels (at least 1).
    public let width: Int
    /// Height in pixels (at least 1).
    public let height: Int
    /// 1 (greyscale) or 3 (RGB).
    public let channels: Int
    /// `width * height * channels` samples, row-major, channels interleaved.
    public let pixels: [UInt8]

    /// An image with the given pixels.
    ///
    /// - Throws: ``DataFileError`` `.invalidImage` when `channels` is not 1 or 3, a side is not
    ///   in 1...2^31-1, or `pixels.count != width * height * channels`.
    public init(width: Int, height: Int, channels: Int, pixels: [UInt8]) throws {
        let expected = try Self.checkShape(channels: channels, height: height, width: width)
        guard pixels.count == expected else {
            throw DataFileError(.invalidImage, file: "image",
                                "\(pixels.count) pixel samples for a \(width)x\(height) image with \(channels) channel(s); expected \(expected)")
        }
        self.width = width
        self.height = height
        self.channels = channels
        self.pixels = pixels
    }

    /// Checks an image shape and returns its sample count `channels * height * width`.
    ///
    /// - Throws: ``DataFileError`` `.invalidImage` when `channels` is not 1 or 3 or a side is
    ///   outside 1...2^31-1 (the PNG limit), or the count overflows.
    @discardableResult
    public static func checkShape(channels: Int, height: Int, width: Int) throws -> Int {
        guard channels == 1 || channels == 3 else {
            throw DataFileError(.invalidImage, file: "image", "\(channels) channels; expected 1 (greyscale) or 3 (RGB)")
        }
        let side = 1...Int(Int32.max)
        guard side.contains(width), side.contains(height) else {
            throw DataFileError(.invalidImage, file: "image", "size \(width)x\(height); expected both sides in 1...\(Int32.max)")
        }
        let (area, o1) = width.multipliedReportingOverflow(by: height)
        let (count, o2) = area.multipliedReportingOverflow(by: channels)
        guard !o1, !o2, count <= 1 << 34 else {
            throw DataFileError(.invalidImage, file: "image", "size \(width)x\(height)x\(channels) is too large")
        }
        return count
    }

    /// An image from a flat tensor in C×H×W order (as a network input of shape `[C, H, W]`),
    /// mapping `range.lowerBound` to 0 and `range.upperBound` to 255 (linearly, rounded). Values
    /// outside the range are clamped; NaN becomes 0.
    ///
    /// - Throws: ``DataFileError`` `.invalidImage` for a bad shape, a count that is not
    ///   `channels * height * width`, or a range that is not finite with lower < upper.
    public init(chw values: [Double], channels: Int, height: Int, width: Int, range: ClosedRange<Double>) throws {
        let count = try Self.checkShape(channels: channels, height: height, width: width)
        guard values.count == count else {
            throw DataFileError(.invalidImage, file: "image",
                                "\(values.count) values for a \(channels)x\(height)x\(width) (CxHxW) image; expected \(count)")
        }
        guard (range.upperBound - range.lowerBound).isFinite, range.lowerBound < range.upperBound else {
            throw DataFileError(.invalidImage, file: "image", "value range \(range) must be finite with lower < upper")
        }
        let scale = 255 / (range.upperBound - range.lowerBound)
        let pixels = Self.interleave(values, channels: channels, plane: height * width) { value in
            Self.byte((value - range.lowerBound) * scale)
        }
        try self.init(width: width, height: height, channels: channels, pixels: pixels)
    }

    /// An image of the perturbation `adversarial - original` (both C×H×W), magnified so that the
    /// largest |δ| reaches the ends of the scale around mid-grey: δ = 0 is 128, δ = +max|δ| is 255
    /// and δ = -max|δ| is 1 (that is, `128 + round(127 * δ / max|δ|)`). When every δ is 0 the image
    /// is uniformly 128. Non-finite differences are shown as 128.
    ///
    /// - Throws: ``DataFileError`` `.invalidImage` for a bad shape or when the two tensors do not
    ///   both hold `channels * height * width` values.
    public static func perturbation(
        original: [Double], adversarial: [Double], channels: Int, height: Int, width: Int
    ) throws -> PNGImage {
        let count = try checkShape(channels: channels, height: height, width: width)
        guard original.count == count, adversarial.count == count else {
            throw DataFileError(.invalidImage, file: "image",
                                "original has \(original.count) and adversarial \(adversarial.count) values; expected \(count) each (\(channels)x\(height)x\(width))")
        }
        let delta = zip(adversarial, original).map { $0 - $1 }
        let largest = delta.lazy.filter(\.isFinite).map(abs).max() ?? 0
        let pixels = interleave(delta, channels: channels, plane: height * width) { d in
            guard largest > 0, d.isFinite else { return 128 }
            return byte(128 + 127 * (d / largest))
        }
        return try PNGImage(width: width, height: height, channels: channels, pixels: pixels)
    }

    /// `image` enlarged `factor` times in both directions by repeating pixels (nearest neighbour).
    ///
    /// - Throws: ``DataFileError`` `.invalidImage` when `factor < 1` or the result is too large.
    public static func upscaled(_ image: PNGImage, factor: Int) throws -> PNGImage {
        guard factor >= 1 else {
            throw DataFileError(.invalidImage, file: "image", "upscaling factor \(factor); expected at least 1")
        }
        let (width, o1) = image.width.multipliedReportingOverflow(by: factor)
        let (height, o2) = image.height.multipliedReportingOverflow(by: factor)
        guard !o1, !o2 else { throw DataFileError(.invalidImage, file: "image", "upscaled image is too large") }
        let count = try checkShape(channels: image.channels, height: height, width: width)
        var pixels = [UInt8]()
        pixels.reserveCapacity(count)
        let c = image.channels
        for row in 0..<height {
            let sourceRow = (row / factor) * image.width
            for column in 0..<width {
                let start = (sourceRow + column / factor) * c
                pixels.append(contentsOf: image.pixels[start..<start + c])
            }
        }
        return try PNGImage(width: width, height: height, channels: c, pixels: pixels)
    }

    /// `value` rounded and clamped to 0...255; NaN becomes 0.
    private static func byte(_ value: Double) -> UInt8 {
        guard value > 0 else { return 0 }  // also NaN
        return value >= 255 ? 255 : UInt8(value.rounded())
    }

    /// Reorders planar C×H×W values into interleaved H×W×C samples through `convert`.
    private static func interleave(_ values: [Double], channels: Int, plane: Int, _ convert: (Double) -> UInt8) -> [UInt8] {
        var pixels = [UInt8](repeating: 0, count: values.count)
        for channel in 0..<channels {
            for index in 0..<plane {
                pixels[index * channels + channel] = convert(values[channel * plane + index])
            }
        }
        return pixels
    }
}
