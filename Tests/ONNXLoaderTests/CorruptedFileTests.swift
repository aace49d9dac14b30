import Foundation
import NNGraph
import ONNXLoader
import Testing

/// Randomly corrupted copies of the fixtures either load (and evaluate) or throw an ``ONNXError``:
/// never a crash, never another error type. Deterministic (fixed LCG seed).
@Suite("Corrupted ONNX files never crash the loader")
struct CorruptedFileTests {
    @Test func corruptedFixtures() throws {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 33
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: Fixtures.directory.path)
            .filter { $0.hasSuffix(".onnx") }.sorted()
        var loaded = 0, refused = 0
        for name in files {
            let original = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Fixtures.path(name))))
            for _ in 0..<60 {
                var bytes = original
                for _ in 0..<(Int(next() % 4) + 1) {
                    let position = Int(next() % UInt64(bytes.count))
                    switch next() % 3 {
                    case 0: bytes[position] = UInt8(truncatingIfNeeded: next())
                    case 1: bytes[position] ^= UInt8(1 << (next() % 8))
                    default: bytes[position] = [0, 0xff, 0x7f, 0x80, 1][Int(next() % 5)]
                    }
                }
                if next() % 4 == 0 { bytes.removeLast(Int(next() % UInt64(bytes.count))) }
                do {
                    let network = try ONNXLoader.load(data: Data(bytes), fileName: name)
                    _ = try network.evaluate([Double](repeating: 0.5, count: network.inputSize))
                    loaded += 1
                } catch let error as ONNXError {
                    #expect(error.description.hasPrefix(name + ": "))
                    refused += 1
                }
            }
        }
        #expect(loaded > 0 && refused > 0)
    }
}
