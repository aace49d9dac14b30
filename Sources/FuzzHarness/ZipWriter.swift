/// Writes minimal zip archives of stored (uncompressed) entries, as `np.savez` does, so NPZ inputs
/// can be rebuilt around mutated NPY members with correct CRCs (and then damaged on purpose).
enum ZipWriter {
    /// The CRC-32 (ISO-HDLC) table.
    private static let table: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    /// CRC-32 of `bytes`, as zip stores it.
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for b in bytes { crc = table[Int((crc ^ UInt32(b)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }

    /// Offsets of the fields of one entry inside an archive written by `archive`, for targeted damage.
    struct EntryLayout {
        var localHeader: Int
        var directoryEntry: Int
    }

    /// A zip archive holding `entries` (name, contents) stored without compression, and the layout of
    /// each entry. The end-of-central-directory record is the last 22 bytes.
    static func archive(_ entries: [(name: String, bytes: [UInt8])]) -> ([UInt8], [EntryLayout]) {
        var out: [UInt8] = []
        var directory: [UInt8] = []
        var layouts: [EntryLayout] = []
        for entry in entries {
            let name = Array(entry.name.utf8)
            let crc = crc32(entry.bytes)
            let size = UInt32(truncatingIfNeeded: entry.bytes.count)
            let localOffset = out.count
            // Local file header.
            append32(&out, 0x0403_4B50)
            append16(&out, 20); append16(&out, 0); append16(&out, 0)  // version, flags, method
            append16(&out, 0); append16(&out, 0x21)  // time, date
            append32(&out, crc); append32(&out, size); append32(&out, size)
            append16(&out, UInt16(name.count)); append16(&out, 0)
            out += name
            out += entry.bytes
            // Central directory entry.
            layouts.append(EntryLayout(localHeader: localOffset, directoryEntry: directory.count))
            append32(&directory, 0x0201_4B50)
            append16(&directory, 20); append16(&directory, 20); append16(&directory, 0); append16(&directory, 0)
            append16(&directory, 0); append16(&directory, 0x21)
            append32(&directory, crc); append32(&directory, size); append32(&directory, size)
            append16(&directory, UInt16(name.count)); append16(&directory, 0); append16(&directory, 0)
            append16(&directory, 0); append16(&directory, 0); append32(&directory, 0)
            append32(&directory, UInt32(localOffset))
            directory += name
        }
        let directoryOffset = out.count
        for k in layouts.indices { layouts[k].directoryEntry += directoryOffset }
        out += directory
        append32(&out, 0x0605_4B50)
        append16(&out, 0); append16(&out, 0)
        append16(&out, UInt16(entries.count)); append16(&out, UInt16(entries.count))
        append32(&out, UInt32(directory.count)); append32(&out, UInt32(directoryOffset))
        append16(&out, 0)
        return (out, layouts)
    }

    static func append16(_ bytes: inout [UInt8], _ value: UInt16) {
        bytes.append(UInt8(value & 0xFF)); bytes.append(UInt8(value >> 8))
    }

    static func append32(_ bytes: inout [UInt8], _ value: UInt32) {
        for k in 0..<4 { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * UInt32(k)))) }
    }

    /// Overwrites a little-endian 32-bit field.
    static func set32(_ bytes: inout [UInt8], at offset: Int, _ value: UInt32) {
        for k in 0..<4 where offset + k < bytes.count { bytes[offset + k] = UInt8(truncatingIfNeeded: value >> (8 * UInt32(k))) }
    }

    /// Overwrites a little-endian 16-bit field.
    static func set16(_ bytes: inout [UInt8], at offset: Int, _ value: UInt16) {
        for k in 0..<2 where offset + k < bytes.count { bytes[offset + k] = UInt8(truncatingIfNeeded: value >> (8 * UInt16(k))) }
    }
}
