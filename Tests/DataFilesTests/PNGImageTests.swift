import CZlib
import DataFiles
import Foundation
import Testing

/// A PNG decoded independently of the writer: chunks parsed, CRCs checked with zlib's `crc32`,
/// `IDAT` inflated with zlib's `uncompress`, filter bytes checked to be 0.
struct DecodedPNG {
    var width = 0, height = 0, bitDepth = 0, colourType = 0
    var chunkTypes: [String] = []
    var pixels: [UInt8] = []

    init(_ data: Data) throws {
        let bytes = [UInt8](data)
        try #require(bytes.count >= 8 && bytes[0..<8].elementsEqual([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        func u32(_ at: Int) -> Int { bytes[at..<at + 4].reduce(0) { $0 << 8 | Int($1) } }
        var position = 8
        var idat: [UInt8] = []
        while position < bytes.count {
            try #require(position + 12 <= bytes.count)
            let length = u32(position)
            try #require(position + 12 + length <= bytes.count)
            let typeAndData = Array(bytes[position + 4..<position + 8 + length])
            let crc = typeAndData.withUnsafeBufferPointer { UInt32(crc32(0, $0.baseAddress, uInt($0.count))) }
            #expect(Int(crc) == u32(position + 8 + length), "CRC of chunk at \(position)")
            let type = String(decoding: typeAndData[0..<4], as: UTF8.self)
            chunkTypes.append(type)
            let body = Array(typeAndData[4...])
            if type == "IHDR" {
                try #require(body.count == 13)
                width = body[0..<4].reduce(0) { $0 << 8 | Int($1) }
                height = body[4..<8].reduce(0) { $0 << 8 | Int($1) }
                bitDepth = Int(body[8])
                colourType = Int(body[9])
                #expect(body[10...] == [0, 0, 0])
            } else if type == "IDAT" {
                idat += body
            }
            position += 12 + length
        }
        #expect(chunkTypes.first == "IHDR" && chunkTypes.last == "IEND")
        let channels = colourType == 2 ? 3 : 1
        let rowBytes = width * channels
        var size = uLongf(height * (rowBytes + 1))
        var raw = [UInt8](repeating: 0, count: Int(size))
        let status = raw.withUnsafeMutableBufferPointer { out in
            idat.withUnsafeBufferPointer { uncompress(out.baseAddress, &size, $0.baseAddress, uLong($0.count)) }
        }
        try #require(status == Z_OK && Int(size) == raw.count)
        for row in 0..<height {
            #expect(raw[row * (rowBytes + 1)] == 0, "filter byte of row \(row)")
            pixels += raw[row * (rowBytes + 1) + 1..<(row + 1) * (rowBytes + 1)]
        }
    }
}

@Suite("PNG images")
struct PNGImageTests {
    @Test("greyscale and RGB images decode to the same pixels")
    func roundTrip() throws {
        var generator = MutationGenerator(seed: 42)
        let cases: [(Int, Int, Int)] = [(3, 2, 1), (2, 2, 3), (1, 1, 1), (101, 37, 3), (64, 300, 1)]
        for (width, height, channels) in cases {
            let pixels = (0..<width * height * channels).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let image = try PNGImage(width: width, height: height, channels: channels, pixels: pixels)
            let decoded = try DecodedPNG(image.pngData())
            #expect(decoded.width == width && decoded.height == height && decoded.bitDepth == 8)
            #expect(decoded.colourType == (channels == 3 ? 2 : 0))
            #expect(decoded.chunkTypes == ["IHDR", "IDAT", "IEND"])
            #expect(decoded.pixels == pixels)
        }
    }

    @Test("C×H×W tensors are scaled, clamped and interleaved")
    func fromTensor() throws {
        let grey = try PNGImage(chw: [0, 0.5, 1, -1, 2, .nan], channels: 1, height: 2, width: 3, range: 0...1)
        #expect(grey.pixels == [0, 128, 255, 0, 255, 0])
        let shifted = try PNGImage(chw: [-1, 0, 1, 3], channels: 1, height: 1, width: 4, range: -1...3)
        #expect(shifted.pixels == [0, 64, 128, 255])
        // Channel planes R = [0, 1], G = [1, 0], B = [0.2, 0.6] for a 1x2 image.
        let rgb = try PNGImage(chw: [0, 1, 1, 0, 0.2, 0.6], channels: 3, height: 1, width: 2, range: 0...1)
        #expect(rgb.pixels == [0, 255, 51, 255, 0, 153])
        #expect(try DecodedPNG(rgb.pngData()).pixels == rgb.pixels)
    }

    @Test("the perturbation image maps max |δ| to the ends around mid-grey 128")
    func perturbation() throws {
        let original: [Double] = [0.5, 0.5, 0.5, 0.5, 0.2, 0.9]
        let adversarial: [Double] = [0.5, 0.6, 0.4, 0.55, 0.2, 0.875]
        let image = try PNGImage.perturbation(original: original, adversarial: adversarial, channels: 1, height: 2, width: 3)
        // δ = [0, 0.1, -0.1, 0.05, 0, -0.025]; 128 + round(127 δ / 0.1).
        #expect(image.pixels[0] == 128 && image.pixels[1] == 255 && image.pixels[2] == 1)
        #expect(image.pixels[3] == 192 && image.pixels[4] == 128 && image.pixels[5] == 96)
        let extreme = try PNGImage.perturbation(original: [-1e308, 0, 0], adversarial: [1e308, 1e308, -5e307], channels: 1, height: 1, width: 3)
        #expect(extreme.pixels == [128, 255, 65])  // infinite δ shows as 128; max |δ| = 1e308; 128 - 63.5 rounds to 65
        let huge = try PNGImage(chw: [1e308, -1e308, .infinity, -.infinity], channels: 1, height: 2, width: 2, range: -1...1)
        #expect(huge.pixels == [255, 0, 255, 0])
        let zero = try PNGImage.perturbation(original: original, adversarial: original, channels: 1, height: 2, width: 3)
        #expect(zero.pixels == [UInt8](repeating: 128, count: 6))
        expectDataError(.invalidImage) {
            try PNGImage.perturbation(original: original, adversarial: [0], channels: 1, height: 2, width: 3)
        }
    }

    @Test("nearest-neighbour upscaling repeats pixels")
    func upscaling() throws {
        let image = try PNGImage(width: 2, height: 1, channels: 3, pixels: [1, 2, 3, 4, 5, 6])
        let big = try PNGImage.upscaled(image, factor: 2)
        #expect(big.width == 4 && big.height == 2)
        #expect(big.pixels == [1, 2, 3, 1, 2, 3, 4, 5, 6, 4, 5, 6, 1, 2, 3, 1, 2, 3, 4, 5, 6, 4, 5, 6])
        #expect(try PNGImage.upscaled(image, factor: 1) == image)
        expectDataError(.invalidImage) { try PNGImage.upscaled(image, factor: 0) }
        expectDataError(.invalidImage) { try PNGImage.upscaled(image, factor: Int.max) }
    }

    @Test("bad shapes and ranges are errors")
    func shapeErrors() throws {
        for channels in [0, 2, 4] {
            let error = expectDataError(.invalidImage) { try PNGImage(width: 1, height: 1, channels: channels, pixels: [0]) }
            #expect(error?.message == "\(channels) channels; expected 1 (greyscale) or 3 (RGB)")
        }
        expectDataError(.invalidImage) { try PNGImage(width: 2, height: 2, channels: 1, pixels: [0, 0, 0]) }
        expectDataError(.invalidImage) { try PNGImage(width: 0, height: 2, channels: 1, pixels: []) }
        expectDataError(.invalidImage) { try PNGImage(width: -1, height: -1, channels: 1, pixels: [0]) }
        expectDataError(.invalidImage) { try PNGImage(chw: [0, 0], channels: 1, height: 1, width: 3, range: 0...1) }
        expectDataError(.invalidImage) { try PNGImage(chw: [0], channels: 1, height: 1, width: 1, range: 1...1) }
        expectDataError(.invalidImage) { try PNGImage(chw: [0], channels: 1, height: 1, width: 1, range: 0...Double.infinity) }
        expectDataError(.invalidImage) { try PNGImage(chw: [0], channels: 1, height: 1, width: 1, range: -1e308...1e308) }
        expectDataError(.invalidImage) { try PNGImage.checkShape(channels: 3, height: 1 << 31, width: 1) }
    }

    @Test("images side by side, greyscale widened to RGB")
    func rowOfImages() throws {
        let grey = try PNGImage(width: 1, height: 2, channels: 1, pixels: [10, 20])
        let rgb = try PNGImage(width: 1, height: 1, channels: 3, pixels: [1, 2, 3])
        let row = try PNGImage.row([grey, rgb], spacing: 1, background: 0)
        #expect(row.width == 3 && row.height == 2 && row.channels == 3)
        #expect(row.pixels == [10, 10, 10, 0, 0, 0, 1, 2, 3, 20, 20, 20, 0, 0, 0, 0, 0, 0])
        expectDataError(.invalidImage) { try PNGImage.row([]) }
    }

    @Test("image layouts inferred from sample shapes")
    func imageShapes() {
        #expect(ImageShape(sampleShape: [64]) == ImageShape(channels: 1, height: 8, width: 8))
        #expect(ImageShape(sampleShape: [1, 28, 28]) == ImageShape(channels: 1, height: 28, width: 28))
        #expect(ImageShape(sampleShape: [3, 32, 16]) == ImageShape(channels: 3, height: 32, width: 16))
        #expect(ImageShape(sampleShape: [5, 7]) == ImageShape(channels: 1, height: 5, width: 7))
        #expect(ImageShape(sampleShape: [63]) == nil)
        #expect(ImageShape(sampleShape: [2, 4, 4]) == nil)
        #expect(ImageShape(sampleShape: [0, 4]) == nil)
        #expect(ImageShape(sampleShape: [1, 2, 3, 4]) == nil)
    }

    @Test("write(to:) writes the PNG bytes; an impossible path is a clear error")
    func writing() throws {
        let directory = try DataFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let data = try LabelledDataReader.read(inputs: DataFixtures.modelsPath("digits/data/digits_test.npz"))
        let image = try PNGImage.upscaled(PNGImage(chw: data.inputs[0], channels: 1, height: 8, width: 8, range: 0...1), factor: 4)
        let path = directory.appendingPathComponent("digit.png").path
        try image.write(to: path)
        let written = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(written == image.pngData())
        #expect(try DecodedPNG(written).pixels == image.pixels)
        let bad = expectDataError(.writeFailed) { try image.write(to: directory.appendingPathComponent("no/such/dir/x.png").path) }
        #expect(bad?.file.hasSuffix("no/such/dir/x.png") == true)
    }
}
