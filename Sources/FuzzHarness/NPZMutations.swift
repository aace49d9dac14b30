/// Structure-aware mutations of `.npz` archives: members rebuilt from mutated NPY files with valid
/// CRCs (so the NPY reader is reached), renamed, dropped or duplicated members, and damaged zip
/// fields (declared sizes, offsets, method, flags, entry counts, name lengths).
enum NPZMutations {
    /// The members of each corpus archive (name and uncompressed bytes), read once at start-up.
    typealias Members = [(name: String, bytes: [UInt8])]

    static let names = ["x.npy", "y.npy", "X.npy", "labels.npy", "inputs.npy", "data", "a/x.npy", "", "x.npy\u{0}"]

    static func mutate(
        _ input: [UInt8], members: Members, other: [UInt8], _ rng: inout SeededRandom
    ) -> ([UInt8], [String]) {
        guard !members.isEmpty, !rng.oneIn(5) else { return ByteMutations.mutate(input, other: other, &rng) }
        var entries = members
        var log: [String] = []
        switch rng.below(4) {
        case 0, 1:
            let k = rng.below(entries.count)
            let (bytes, more) = NPYMutations.mutate(entries[k].bytes, other: other, &rng)
            entries[k].bytes = bytes
            log.append("member \(entries[k].name): " + more.joined(separator: "; "))
        case 2:
            let k = rng.below(entries.count)
            if rng.oneIn(2) {
                log.append("drop member \(entries[k].name)")
                entries.remove(at: k)
            } else {
                let name = rng.pick(names)
                log.append("rename member \(entries[k].name) -> \(name.debugDescription)")
                entries[k].name = name
            }
        default:
            let k = rng.below(entries.count)
            let copies = min(rng.pick([1, 2, 300]), 4_000_000 / max(1, entries[k].bytes.count))
            entries += [(name: String, bytes: [UInt8])](repeating: entries[k], count: copies)
            log.append("duplicate member \(entries[k].name) x\(copies)")
        }
        var (bytes, layouts) = ZipWriter.archive(entries)
        if let layout = layouts.isEmpty ? nil : rng.pick(layouts), rng.oneIn(2) {
            let d = layout.directoryEntry, l = layout.localHeader
            switch rng.below(8) {
            case 0:
                let v: UInt32 = rng.pick([0xFFFF_FFFF, 0x7FFF_FFFF, 0, 1 << 31])
                ZipWriter.set32(&bytes, at: d + 24, v); log.append("uncompressed size = \(v)")
            case 1:
                let v: UInt32 = rng.pick([0xFFFF_FFFF, 0x7FFF_FFFF, 0, 1])
                ZipWriter.set32(&bytes, at: d + 20, v); log.append("compressed size = \(v)")
            case 2:
                let v: UInt16 = rng.pick([8, 9, 12, 99, 0xFFFF])
                ZipWriter.set16(&bytes, at: d + 10, v); log.append("method = \(v)")
            case 3:
                ZipWriter.set16(&bytes, at: d + 8, 1); log.append("encrypted flag")
            case 4:
                let v: UInt32 = rng.pick([0xFFFF_FFFF, UInt32(bytes.count), UInt32(bytes.count - 10), 1])
                ZipWriter.set32(&bytes, at: d + 42, v); log.append("local header offset = \(v)")
            case 5:
                let v: UInt16 = rng.pick([0, 0xFFFF, 60_000, UInt16(entries.count + 1)])
                ZipWriter.set16(&bytes, at: bytes.count - 12, v)
                ZipWriter.set16(&bytes, at: bytes.count - 14, v); log.append("entry count = \(v)")
            case 6:
                let v: UInt16 = rng.pick([0xFFFF, 1_000])
                ZipWriter.set16(&bytes, at: rng.oneIn(2) ? d + 28 : l + 26, v); log.append("name length = \(v)")
            default:
                let v: UInt32 = rng.pick([0xFFFF_FFFF, 0, UInt32(bytes.count)])
                ZipWriter.set32(&bytes, at: bytes.count - 6, v); log.append("directory offset = \(v)")
            }
        }
        if rng.oneIn(5) {
            let (mutated, more) = ByteMutations.mutate(bytes, other: other, &rng)
            bytes = mutated
            log += more
        }
        return (bytes, log)
    }
}
