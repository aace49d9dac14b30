import Foundation

extension PNGImage {
    /// The image as a PNG file: signature, `IHDR` (8-bit greyscale or RGB, no interlace), one
    /// `IDAT` holding the zlib-compressed scanlines (each preceded by filter type 0, none), and
    /// `IEND`; every chunk with its CRC-32.
    public func pngData() -> Data {
        var file: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        var header = Self.bigEndian(UInt32(width)) + Self.bigEndian(UInt32(height))
        header += [8, channels == 3 ? 2 : 0, 0, 0, 0]  // bit depth, colour type, compression, filter, interlace
        Self.appendChunk("IHDR", header, to: &file)
        let rowBytes = width * channels
        var scanlines = [UInt8]()
        scanlines.reserveCapacity(height * (rowBytes + 1))
        for row in 0..<height {
            scanlines.append(0)
            scanlines.append(contentsOf: pixels[row * rowBytes..<(row + 1) * rowBytes])
        }
        Self.appendChunk("IDAT", Zlib.compress(scanlines), to: &file)
        Self.appendChunk("IEND", [], to: &file)
        return Data(file)
    }

    /// Writes ``pngData()`` to `path` (atomically, replacing any file there).
    ///
    /// - Throws: ``DataFileError`` `.writeFailed` naming the path.
    public func write(to path: String) throws {
        try FileInput.write(pngData(), to: path)
    }

    /// Images placed left to right on a background of `background`, separated by `spacing`
    /// pixels, top-aligned; greyscale images are widened to RGB when any image is RGB.
    ///
    /// - Throws: ``DataFileError`` `.invalidImage` when `images` is empty, `spacing < 0` or the
    ///   result is too large.
    public static func row(_ images: [PNGImage], spacing: Int = 4, background: UInt8 = 255) throws -> PNGImage {
        guard !images.isEmpty, spacing >= 0 else {
            throw DataFileError(.invalidImage, file: "image", "expected at least one image and a spacing >= 0")
        }
        let channels = images.contains { $0.channels == 3 } ? 3 : 1
        let height = images.map(\.height).max() ?? 1
        let width = images.reduce(spacing * (images.count - 1)) { $0 + $1.width }
        let count = try checkShape(channels: channels, height: height, width: width)
        var pixels = [UInt8](repeating: background, count: count)
        var left = 0
        for image in images {
            for row in 0..<image.height {
                for column in 0..<image.width {
                    for channel in 0..<channels {
                        let source = (row * image.width + column) * image.channels + min(channel, image.channels - 1)
                        pixels[(row * width + left + column) * channels + channel] = image.pixels[source]
                    }
                }
            }
            left += image.width + spacing
        }
        return try PNGImage(width: width, height: height, channels: channels, pixels: pixels)
    }

    private static func appendChunk(_ type: String, _ data: [UInt8], to file: inout [UInt8]) {
        let typeBytes = Array(type.utf8)
        file += bigEndian(UInt32(data.count))
        file += typeBytes
        file += data
        file += bigEndian(Zlib.crc32(data, initial: Zlib.crc32(typeBytes)))
    }

    private static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }
}

/// How a sample's shape maps to an image: channels, height and width.
public struct ImageShape: Sendable, Equatable {
    /// 1 (greyscale) or 3 (RGB).
    public let channels: Int
    /// Rows.
    public let height: Int
    /// Columns.
    public let width: Int

    /// A shape with the given sides (not checked; ``PNGImage`` checks on use).
    public init(channels: Int, height: Int, width: Int) {
        self.channels = channels
        self.height = height
        self.width = width
    }

    /// The image layout of a sample of shape `sampleShape`, or nil when it is not an image:
    /// `[C, H, W]` with C 1 or 3; `[H, W]` (greyscale); `[n]` with n a perfect square
    /// (a flattened square greyscale image such as the 64 pixels of an 8x8 digit).
    public init?(sampleShape: [Int]) {
        switch sampleShape.count {
        case 3 where sampleShape[0] == 1 || sampleShape[0] == 3:
            self.init(channels: sampleShape[0], height: sampleShape[1], width: sampleShape[2])
        case 2:
            self.init(channels: 1, height: sampleShape[0], width: sampleShape[1])
        case 1:
            let side = Int(Double(sampleShape[0]).squareRoot().rounded())
            guard side * side == sampleShape[0] else { return nil }
            self.init(channels: 1, height: side, width: side)
        default:
            return nil
        }
        guard height > 0, width > 0 else { return nil }
    }
}
