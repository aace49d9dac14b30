import Foundation

/// A `.npz` file: a zip archive of NPY files, as written by `np.savez` (entries stored) and
/// `np.savez_compressed` (entries deflated).
///
/// The central directory is read when the archive is opened; entries are extracted on demand,
/// with their CRC-32 checked. numpy marks every entry's local header with a Zip64 extra field
/// (it passes `force_zip64=True`); those fields are understood. Not supported, each with a clear
/// error: a Zip64 end-of-central-directory record (archives over 4 GiB or 65 535 entries),
/// multi-disk archives, encryption, and compression methods other than stored (0) and deflate (8).
public struct NPZArchive: Sendable {
    /// One member of the archive, as listed in its central directory.
    public struct Entry: Sendable, Equatable {
        /// The member's name, e.g. `x.npy`.
        public let name: String
        /// The compression method: 0 stored, 8 deflate (others are listed but cannot be read).
        public let method: Int
        /// The size of the member's data in the archive.
        public let compressedSize: Int
        /// The size of the member after decompression.
        public let uncompressedSize: Int
        /// The CRC-32 of the uncompressed member, from the central directory.
        public let crc32: UInt32
        /// The general-purpose flags (bit 0: encrypted).
        let flags: UInt16
        /// Offset of the member's local header.
        let localHeaderOffset: Int
    }

    /// The archive's members in directory order.
    public let entries: [Entry]
    /// The archive's name in error messages.
    public let source: String
    private let data: Data
    private let limits: DataLimits

    /// Opens an archive held in memory and reads its central directory.
    ///
    /// - Throws: ``DataFileError`` (`.malformed`, `.truncated`, `.unsupportedFeature`,
    ///   `.limitExceeded`) with the byte offset of the problem.
    public init(data: Data, fileName: String, limits: DataLimits = .default) throws {
        self.data = data
        self.source = fileName
        self.limits = limits
        self.entries = try data.withUnsafeBytes { try ZipDirectory.read($0, file: fileName, limits: limits) }
    }

    /// Reads and opens the archive at `path` (at most `limits.maxFileBytes` bytes).
    public static func read(contentsOf path: String, limits: DataLimits = .default) throws -> NPZArchive {
        try NPZArchive(data: FileInput.read(path, limits: limits), fileName: path, limits: limits)
    }

    /// The names of all members, in directory order.
    public var entryNames: [String] { entries.map(\.name) }

    /// The name under which a member appears in errors: `archive.npz[x.npy]`.
    public func displayName(of entry: Entry) -> String { "\(source)[\(entry.name)]" }

    /// The member's uncompressed bytes, with size and CRC-32 checked.
    ///
    /// - Throws: ``DataFileError`` naming the member: `.unsupportedFeature` (method, encryption),
    ///   `.limitExceeded`, `.truncated`, `.malformed` or `.corruptData` (bad deflate data, size or
    ///   CRC mismatch).
    public func contents(of entry: Entry) throws -> [UInt8] {
        let name = displayName(of: entry)
        guard entry.flags & 1 == 0 else {
            throw DataFileError(.unsupportedFeature, file: name, "the entry is encrypted; encrypted archives are not supported")
        }
        guard entry.method == 0 || entry.method == 8 else {
            throw DataFileError(.unsupportedFeature, file: name,
                                "compression method \(entry.method) (\(Self.methodName(entry.method))) is not supported; expected 0 (stored, np.savez) or 8 (deflate, np.savez_compressed)")
        }
        guard entry.uncompressedSize <= limits.maxDecompressedEntryBytes else {
            throw DataFileError(.limitExceeded, file: name,
                                "entry declares \(entry.uncompressedSize) bytes, more than the limit of \(limits.maxDecompressedEntryBytes) (DataLimits.maxDecompressedEntryBytes)")
        }
        let bytes: [UInt8] = try data.withUnsafeBytes { archive in
            let start = try ZipDirectory.dataStart(of: entry, in: archive, file: source, entryName: name)
            guard entry.compressedSize <= archive.count - start else {
                throw DataFileError(.truncated, file: source, at: .byte(archive.count),
                                    "archive ends inside entry '\(entry.name)' (\(archive.count - start) of \(entry.compressedSize) bytes present)")
            }
            let stored = UnsafeRawBufferPointer(rebasing: archive[start..<start + entry.compressedSize])
            if entry.method == 0 {
                guard entry.compressedSize == entry.uncompressedSize else {
                    throw DataFileError(.malformed, file: name,
                                        "stored entry has compressed size \(entry.compressedSize) but uncompressed size \(entry.uncompressedSize); expected them equal")
                }
                return Array(stored)
            }
            switch Zlib.inflateRaw(stored, maxOutput: entry.uncompressedSize) {
            case .success(let output):
                guard output.count == entry.uncompressedSize else {
                    throw DataFileError(.corruptData, file: name,
                                        "inflates to \(output.count) bytes; the directory declares \(entry.uncompressedSize)")
                }
                return output
            case .failure(.tooLarge):
                throw DataFileError(.corruptData, file: name,
                                    "inflates to more than the \(entry.uncompressedSize) bytes the directory declares")
            case .failure(.truncated):
                throw DataFileError(.truncated, file: name, "deflate data end before the compressed stream does")
            case .failure(.corrupt(let message)):
                throw DataFileError(.corruptData, file: name, "invalid deflate data (\(message))")
            case .failure(.unavailable(let message)):
                throw DataFileError(.unreadableFile, file: name, "zlib could not start inflating: \(message)")
            }
        }
        let crc = Zlib.crc32(bytes)
        guard crc == entry.crc32 else {
            throw DataFileError(.corruptData, file: name,
                                "CRC-32 mismatch: data have \(Self.hex(crc)), the directory says \(Self.hex(entry.crc32))")
        }
        return bytes
    }

    /// The entry called `name` (exact match), or nil.
    public func entry(named name: String) -> Entry? { entries.first { $0.name == name } }

    /// The NPY array stored in `entry`, decoded with this archive's limits.
    public func array(_ entry: Entry) throws -> NPYArray {
        let bytes = try contents(of: entry)
        return try bytes.withUnsafeBytes { try NPYArray.decode(bytes: $0, fileName: displayName(of: entry), limits: limits) }
    }

    /// The single entry whose name (without `.npy`) is one of `names`, or nil when there is none.
    ///
    /// - Throws: ``DataFileError`` `.missingEntry` when more than one entry matches, listing them.
    public func uniqueEntry(amongNames names: [String], role: String) throws -> Entry? {
        let matches = entries.filter { entry in
            let stem = entry.name.hasSuffix(".npy") ? String(entry.name.dropLast(4)) : entry.name
            return names.contains(stem)
        }
        guard matches.count <= 1 else {
            throw DataFileError(.missingEntry, file: source,
                                "more than one entry could hold the \(role): \(matches.map(\.name).joined(separator: ", ")); keep exactly one of \(names.map { $0 + ".npy" }.joined(separator: ", "))")
        }
        return matches.first
    }

    static func methodName(_ method: Int) -> String {
        switch method {
        case 1...6: return "legacy shrink/reduce/implode"
        case 9: return "deflate64"
        case 12: return "bzip2"
        case 14: return "LZMA"
        case 93: return "Zstandard"
        case 95: return "xz"
        case 99: return "AES encryption"
        default: return "unknown"
        }
    }

    static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return "0x" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
    }
}
