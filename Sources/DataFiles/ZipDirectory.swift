/// Reading a zip archive's structure (PKWARE APPNOTE 6.3): the end-of-central-directory record,
/// the central directory entries (with Zip64 extra fields) and the local headers. Every offset and
/// length read from the file is bounds-checked before use.
enum ZipDirectory {
    static let endOfDirectorySignature: UInt32 = 0x0605_4B50
    static let zip64LocatorSignature: UInt32 = 0x0706_4B50
    static let directorySignature: UInt32 = 0x0201_4B50
    static let localHeaderSignature: UInt32 = 0x0403_4B50

    /// The central directory of `bytes`.
    static func read(_ bytes: UnsafeRawBufferPointer, file: String, limits: DataLimits) throws -> [NPZArchive.Entry] {
        let end = try findEndOfDirectory(bytes, file: file)
        if end >= 20, u32(bytes, end - 20) == zip64LocatorSignature {
            throw DataFileError(.unsupportedFeature, file: file, at: .byte(end - 20),
                                "Zip64 archives (over 4 GiB or 65 535 entries) are not supported")
        }
        let disk = u16(bytes, end + 4), directoryDisk = u16(bytes, end + 6)
        let diskEntries = Int(u16(bytes, end + 8)), totalEntries = Int(u16(bytes, end + 10))
        let directorySize = Int(u32(bytes, end + 12)), directoryOffset = Int(u32(bytes, end + 16))
        if totalEntries == 0xFFFF || directorySize == 0xFFFF_FFFF || directoryOffset == 0xFFFF_FFFF {
            throw DataFileError(.unsupportedFeature, file: file, at: .byte(end),
                                "Zip64 archives (over 4 GiB or 65 535 entries) are not supported")
        }
        guard disk == 0, directoryDisk == 0, diskEntries == totalEntries else {
            throw DataFileError(.unsupportedFeature, file: file, at: .byte(end),
                                "multi-disk (split) zip archives are not supported")
        }
        guard totalEntries <= limits.maxArchiveEntries else {
            throw DataFileError(.limitExceeded, file: file, at: .byte(end + 10),
                                "archive lists \(totalEntries) entries, more than the limit of \(limits.maxArchiveEntries) (DataLimits.maxArchiveEntries)")
        }
        guard directoryOffset <= end, directorySize <= end - directoryOffset else {
            throw DataFileError(.malformed, file: file, at: .byte(end + 12),
                                "central directory (offset \(directoryOffset), \(directorySize) bytes) lies outside the archive")
        }
        var entries: [NPZArchive.Entry] = []
        var position = directoryOffset
        let directoryEnd = directoryOffset + directorySize
        for index in 0..<totalEntries {
            guard directoryEnd - position >= 46, u32(bytes, position) == directorySignature else {
                throw DataFileError(.malformed, file: file, at: .byte(position),
                                    "expected central directory entry \(index + 1) of \(totalEntries) here")
            }
            let nameLength = Int(u16(bytes, position + 28)), extraLength = Int(u16(bytes, position + 30))
            let commentLength = Int(u16(bytes, position + 32))
            let recordLength = 46 + nameLength + extraLength + commentLength
            guard recordLength <= directoryEnd - position else {
                throw DataFileError(.malformed, file: file, at: .byte(position),
                                    "central directory entry \(index + 1) runs past the end of the directory")
            }
            let name = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[position + 46..<position + 46 + nameLength]),
                              as: UTF8.self)
            var uncompressed = UInt64(u32(bytes, position + 24)), compressed = UInt64(u32(bytes, position + 20))
            var offset = UInt64(u32(bytes, position + 42))
            let extra = UnsafeRawBufferPointer(rebasing: bytes[position + 46 + nameLength..<position + 46 + nameLength + extraLength])
            if let zip64 = zip64Field(extra) {
                // Only the fields saturated in the fixed record are present, in this order.
                var fields = [uncompressed, compressed, offset]
                var cursor = 0
                for field in 0..<3 where fields[field] == 0xFFFF_FFFF {
                    guard cursor + 8 <= zip64.count else {
                        throw DataFileError(.malformed, file: file, at: .byte(position),
                                            "Zip64 extra field of entry '\(name)' is too short")
                    }
                    fields[field] = UInt64(littleEndian: zip64.loadUnaligned(fromByteOffset: cursor, as: UInt64.self))
                    cursor += 8
                }
                (uncompressed, compressed, offset) = (fields[0], fields[1], fields[2])
            }
            guard uncompressed <= UInt64(Int.max), compressed <= UInt64(bytes.count), offset < UInt64(bytes.count) else {
                throw DataFileError(.malformed, file: file, at: .byte(position),
                                    "entry '\(name)' declares sizes or an offset beyond the archive")
            }
            entries.append(NPZArchive.Entry(
                name: name, method: Int(u16(bytes, position + 10)), compressedSize: Int(compressed),
                uncompressedSize: Int(uncompressed), crc32: u32(bytes, position + 16),
                flags: u16(bytes, position + 8), localHeaderOffset: Int(offset)))
            position += recordLength
        }
        return entries
    }

    /// Offset of the end-of-central-directory record: its signature, with a comment length that
    /// reaches exactly to the end of the file, searched backwards over the last 64 KiB + 22 bytes.
    private static func findEndOfDirectory(_ bytes: UnsafeRawBufferPointer, file: String) throws -> Int {
        guard bytes.count >= 22 else {
            throw DataFileError(.malformed, file: file, at: .byte(0),
                                "not a zip archive: \(bytes.count) bytes, too short for an end-of-central-directory record")
        }
        let lowest = max(0, bytes.count - 22 - 0xFFFF)
        var candidate = bytes.count - 22
        while candidate >= lowest {
            if u32(bytes, candidate) == endOfDirectorySignature,
               candidate + 22 + Int(u16(bytes, candidate + 20)) == bytes.count {
                return candidate
            }
            candidate -= 1
        }
        let isZipStart = bytes.count >= 4 && u32(bytes, 0) == localHeaderSignature
        throw DataFileError(isZipStart ? .truncated : .malformed, file: file, at: .byte(bytes.count),
                            isZipStart ? "zip archive has no end-of-central-directory record (truncated?)"
                                : "not a zip archive (.npz): no end-of-central-directory record")
    }

    /// The payload of the Zip64 extended-information extra field (id 0x0001), if present.
    private static func zip64Field(_ extra: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer? {
        var position = 0
        while extra.count - position >= 4 {
            let id = u16(extra, position), size = Int(u16(extra, position + 2))
            guard size <= extra.count - position - 4 else { return nil }
            if id == 0x0001 { return UnsafeRawBufferPointer(rebasing: extra[position + 4..<position + 4 + size]) }
            position += 4 + size
        }
        return nil
    }

    /// Offset of the first data byte of `entry`, after its local header.
    static func dataStart(of entry: NPZArchive.Entry, in bytes: UnsafeRawBufferPointer, file: String,
                          entryName: String) throws -> Int {
        let offset = entry.localHeaderOffset
        guard offset <= bytes.count - 30 else {
            throw DataFileError(.truncated, file: file, at: .byte(offset),
                                "local header of entry '\(entry.name)' lies past the end of the archive")
        }
        guard u32(bytes, offset) == localHeaderSignature else {
            throw DataFileError(.malformed, file: file, at: .byte(offset),
                                "expected the local header of entry '\(entry.name)' here")
        }
        let start = offset + 30 + Int(u16(bytes, offset + 26)) + Int(u16(bytes, offset + 28))
        guard start <= bytes.count else {
            throw DataFileError(.truncated, file: file, at: .byte(offset),
                                "local header of entry '\(entry.name)' runs past the end of the archive")
        }
        return start
    }

    private static func u16(_ bytes: UnsafeRawBufferPointer, _ offset: Int) -> UInt16 {
        UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
    }

    private static func u32(_ bytes: UnsafeRawBufferPointer, _ offset: Int) -> UInt32 {
        UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }
}
