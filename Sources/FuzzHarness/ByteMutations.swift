/// Format-blind mutations of a file's bytes: truncation, bit flips, interesting byte values,
/// insertion, deletion and duplication of chunks, and splicing with another corpus file.
enum ByteMutations {
    /// Byte values that often sit on a boundary (lengths, signs, tags).
    static let interestingBytes: [UInt8] = [0, 1, 0x7F, 0x80, 0xFF, 0xFE, 0x10, 0x20, 0x40, 0x3F, 0x0A]

    /// Applies one to four random byte-level mutations; `other` is another corpus file for splicing.
    /// Returns the mutated bytes and a short description of what was done.
    static func mutate(_ input: [UInt8], other: [UInt8], _ rng: inout SeededRandom) -> ([UInt8], [String]) {
        var bytes = input
        var log: [String] = []
        for _ in 0..<(1 + rng.below(4)) {
            log.append(mutateOnce(&bytes, other: other, &rng))
        }
        return (bytes, log)
    }

    /// One mutation in place; returns its description.
    static func mutateOnce(_ bytes: inout [UInt8], other: [UInt8], _ rng: inout SeededRandom) -> String {
        guard !bytes.isEmpty else {
            bytes = Array(other.prefix(rng.below(other.count + 1)))
            return "empty -> prefix of other"
        }
        let at = rng.below(bytes.count)
        switch rng.below(10) {
        case 0:
            let keep = rng.oneIn(2) ? rng.below(bytes.count) : max(0, bytes.count - 1 - rng.below(16))
            bytes.removeSubrange(keep...)
            return "truncate to \(keep)"
        case 1:
            let bit = rng.below(8)
            bytes[at] ^= UInt8(1 << bit)
            return "flip bit \(bit) at \(at)"
        case 2:
            let value = rng.pick(interestingBytes)
            bytes[at] = value
            return "set byte \(at) = \(value)"
        case 3:
            let value = UInt8.random(in: 0...255, using: &rng)
            bytes[at] = value
            return "set byte \(at) = \(value) (random)"
        case 4:
            let count = 1 + rng.below(8)
            bytes.insert(contentsOf: (0..<count).map { _ in UInt8.random(in: 0...255, using: &rng) }, at: at)
            return "insert \(count) random bytes at \(at)"
        case 5:
            let end = min(bytes.count, at + 1 + rng.below(rng.oneIn(4) ? 256 : 16))
            bytes.removeSubrange(at..<end)
            return "delete \(at)..<\(end)"
        case 6:
            let end = min(bytes.count, at + 1 + rng.below(64))
            let chunk = Array(bytes[at..<end])
            let target = rng.below(bytes.count + 1)
            bytes.insert(contentsOf: chunk, at: target)
            return "duplicate \(at)..<\(end) at \(target)"
        case 7:
            // Overwrite a little-endian 32-bit field with a boundary value.
            let value: UInt32 = rng.pick([0, 1, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF, 0xFFFF, 0x1_0000])
            for k in 0..<4 where at + k < bytes.count { bytes[at + k] = UInt8(truncatingIfNeeded: value >> (8 * k)) }
            return "set u32 at \(at) = \(value)"
        case 8:
            guard !other.isEmpty else { return "splice skipped" }
            let cut = rng.below(other.count)
            bytes = Array(bytes[..<at]) + Array(other[cut...])
            return "splice: first \(at) bytes + other from \(cut)"
        default:
            // Swap two chunks of equal length.
            let length = 1 + rng.below(min(32, bytes.count))
            let a = rng.below(bytes.count - length + 1), b = rng.below(bytes.count - length + 1)
            for k in 0..<length { bytes.swapAt(a + k, b + k) }
            return "swap \(length) bytes at \(a) and \(b)"
        }
    }
}
