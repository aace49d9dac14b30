import DataFiles
import Foundation
import Testing

/// Offsets in a small zip file, found independently of the reader, for patching bytes in tests.
struct ZipLayout {
    struct Member {
        let name: String
        /// Offset of the central directory record.
        let directory: Int
        /// Offset of the local header.
        let local: Int
        /// Offset of the first data byte.
        let data: Int
    }
    let endOfDirectory: Int
    let members: [Member]

    init(_ bytes: [UInt8]) throws {
        func u16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
        func u32(_ at: Int) -> Int { u16(at) | u16(at + 2) << 16 }
        endOfDirectory = try #require((0...(bytes.count - 22)).reversed().first { u32($0) == 0x0605_4B50 })
        var position = u32(endOfDirectory + 16)
        var members: [Member] = []
        for _ in 0..<u16(endOfDirectory + 10) {
            let nameLength = u16(position + 28)
            let name = String(decoding: bytes[position + 46..<position + 46 + nameLength], as: UTF8.self)
            let local = u32(position + 42)
            members.append(Member(name: name, directory: position, local: local,
                                  data: local + 30 + u16(local + 26) + u16(local + 28)))
            position += 46 + nameLength + u16(position + 30) + u16(position + 32)
        }
        self.members = members
    }

    func member(_ name: String) throws -> Member { try #require(members.first { $0.name == name }) }
}

@Suite("NPZ archives")
struct NPZArchiveTests {
    private func decode(_ bytes: [UInt8], name: String = "t.npz", labels: (data: Data, name: String)? = nil,
                        limits: DataLimits = .default) throws -> LabelledData {
        try LabelledDataReader.decode(inputs: Data(bytes), named: name, labels: labels, limits: limits)
    }

    private func fixtureBytes(_ name: String) throws -> [UInt8] { try Array(DataFixtures.data(name)) }

    @Test("stored and compressed archives read exactly", arguments: DataFixtures.manifest.npz.filter { $0.xEntry != nil })
    func fixtureValues(_ fixture: Manifest.NPZ) throws {
        let data = try LabelledDataReader.read(inputs: DataFixtures.path(fixture.file))
        let shape = try #require(fixture.xShape)
        #expect(data.count == shape[0])
        #expect(data.sampleShape == Array(shape.dropFirst()))
        #expect(data.labels == fixture.labels)
        #expect(data.source == "\(DataFixtures.path(fixture.file))[\(fixture.xEntry ?? "")]")
        let flat = data.inputs.flatMap { $0 }
        if let values = fixture.xValues {
            #expect(flat == values)
        } else {
            let expected: [Double] = (0..<flat.count).map { (k: Int) -> Double in Double((k * 7919) % 256) / 256 }
            #expect(flat == expected)
        }
        #expect(flat.reduce(0, +) == fixture.xSum)
        let archive = try NPZArchive.read(contentsOf: DataFixtures.path(fixture.file))
        #expect(archive.entryNames == fixture.entries)
        #expect(archive.entries.allSatisfy { $0.method == (fixture.compressed ? 8 : 0) })
    }

    @Test("entry lookup errors list the entries found")
    func entryLookup() throws {
        let ambiguous = expectDataError(.missingEntry) { try LabelledDataReader.read(inputs: DataFixtures.path("ambiguous_inputs.npz")) }
        #expect(ambiguous?.message.contains("x.npy, X.npy") == true)
        let unnamed = expectDataError(.missingEntry) { try LabelledDataReader.read(inputs: DataFixtures.path("unnamed.npz")) }
        #expect(unnamed?.message.contains("found entries 'arr_0.npy', 'arr_1.npy'") == true)
        let noLabels = expectDataError(.labelsArgument) { try LabelledDataReader.read(inputs: DataFixtures.path("no_labels.npz")) }
        #expect(noLabels?.message.contains("found entries 'x.npy'") == true)
        let twice = expectDataError(.labelsArgument) {
            try LabelledDataReader.read(inputs: DataFixtures.path("xy_stored.npz"), labels: DataFixtures.path("y_i64.npy"))
        }
        #expect(twice?.message.contains("labels given twice") == true)
    }

    @Test("labels may come from a separate .npy, or from an .npz labels entry")
    func separateLabels() throws {
        let withNPY = try LabelledDataReader.read(inputs: DataFixtures.path("no_labels.npz"), labels: DataFixtures.path("y_u8.npy"))
        #expect(withNPY.labels == [0, 9, 4])
        let fromNPZ = try LabelledDataReader.read(inputs: DataFixtures.path("x_f32_le.npy"), labels: DataFixtures.path("xy_compressed.npz"))
        #expect(fromNPZ.labels == [2, 0, 1])
        expectDataError(.missingEntry) {
            try LabelledDataReader.read(inputs: DataFixtures.path("x_f32_le.npy"), labels: DataFixtures.path("no_labels.npz"))
        }
    }

    @Test("a corrupted entry fails its CRC-32 or inflate check", arguments: ["xy_stored.npz", "xy_compressed.npz"])
    func corruptData(_ file: String) throws {
        let original = try fixtureBytes(file)
        let member = try ZipLayout(original).member("x.npy")
        var bytes = original
        bytes[member.data + 100] ^= 0x01
        let error = expectDataError(.corruptData) { try decode(bytes) }
        #expect(error?.file == "t.npz[x.npy]")
        if file == "xy_stored.npz" { #expect(error?.message.contains("CRC-32 mismatch") == true) }
    }

    @Test("unsupported methods, encryption, Zip64 directories and split archives")
    func unsupported() throws {
        let original = try fixtureBytes("xy_stored.npz")
        let layout = try ZipLayout(original)
        let x = try layout.member("x.npy")
        var method = original
        method[x.directory + 10] = 12
        let bzip = expectDataError(.unsupportedFeature) { try decode(method) }
        #expect(bzip?.message.contains("compression method 12 (bzip2)") == true)
        var encrypted = original
        encrypted[x.directory + 8] |= 1
        expectDataError(.unsupportedFeature) { try decode(encrypted) }
        var zip64 = original
        zip64.replaceSubrange(layout.endOfDirectory + 8..<layout.endOfDirectory + 12, with: [0xFF, 0xFF, 0xFF, 0xFF])
        let zip64Error = expectDataError(.unsupportedFeature) { try decode(zip64) }
        #expect(zip64Error?.message.contains("Zip64") == true)
        var split = original
        split[layout.endOfDirectory + 4] = 1
        expectDataError(.unsupportedFeature) { try decode(split) }
    }

    @Test("size limits and size lies are caught before or during inflation")
    func sizes() throws {
        let original = try fixtureBytes("xy_compressed.npz")
        var limits = DataLimits.default
        limits.maxDecompressedEntryBytes = 100
        let limited = expectDataError(.limitExceeded) { try decode(original, limits: limits) }
        #expect(limited?.message.contains("DataLimits.maxDecompressedEntryBytes") == true)
        limits = .default
        limits.maxArchiveEntries = 1
        expectDataError(.limitExceeded) { try decode(original, limits: limits) }

        // Declare a smaller uncompressed size than the deflate stream produces (a "zip bomb").
        let x = try ZipLayout(original).member("x.npy")
        var smaller = original
        smaller.replaceSubrange(x.directory + 24..<x.directory + 28, with: [16, 0, 0, 0])
        let bomb = expectDataError(.corruptData) { try decode(smaller) }
        #expect(bomb?.message.contains("more than the 16 bytes") == true)
        var larger = original
        larger[x.directory + 25] &+= 1
        expectDataError(.corruptData) { try decode(larger) }
        var offset = original
        offset.replaceSubrange(x.directory + 42..<x.directory + 46, with: [0xFF, 0xFF, 0xFF, 0x7F])
        expectDataError(.malformed) { try decode(offset) }
        var compressedSize = original
        compressedSize.replaceSubrange(x.directory + 20..<x.directory + 24, with: [0x90, 0x01, 0, 0])  // 400 bytes
        expectDataError(.truncated) { try decode(compressedSize) }
    }

    @Test("not an archive, truncated archives and an empty archive")
    func structure() throws {
        let npy = try fixtureBytes("x_f32_le.npy")
        let notZip = expectDataError(.malformed) { try decode(npy) }
        #expect(notZip?.message.contains("not a zip archive") == true)
        expectDataError(.malformed) { try decode([]) }
        let original = try fixtureBytes("xy_stored.npz")
        expectDataError(.truncated) { try decode(Array(original.dropLast())) }
        expectDataError(.truncated) { try decode(Array(original.prefix(original.count / 2))) }
        // An end-of-central-directory record alone: a valid, empty archive.
        let empty: [UInt8] = [0x50, 0x4B, 0x05, 0x06] + [UInt8](repeating: 0, count: 18)
        #expect(try NPZArchive(data: Data(empty), fileName: "e.npz").entries.isEmpty)
        let none = expectDataError(.missingEntry) { try decode(empty) }
        #expect(none?.message.contains("found no entries") == true)
    }
}
