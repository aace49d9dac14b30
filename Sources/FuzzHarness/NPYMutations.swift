import Foundation

/// Header-aware mutations of NPY files: huge, negative, empty or many-dimensional shapes, other
/// dtypes, Fortran order, wrong header lengths and versions, and NaN/Inf written into float data.
enum NPYMutations {
    static let hostileShapes = [
        "()", "(0,)", "(1,)", "(-1,)", "(4294967296, 4294967296)", "(100000000000,)", "(9223372036854775807,)",
        "(9223372036854775808,)", "(500000001,)", "(3037000500, 3037000500)", "(2, 3, 4, 5, 6, 7, 8, 9)",
        "(" + String(repeating: "1, ", count: 70) + ")", "(3)", "(1, 0, 5)", "(1e3,)", "(0x10,)", "(1,,2)",
    ]
    static let hostileDescrs = ["<f4", "<f8", ">f4", "<f2", "|O", "<c16", "<U10", "|b1", "<i8", "|u1", "<V8", "", "<f16", "f4"]

    /// The header dict text and the data of an NPY file, or nil when the preamble is unreadable.
    static func split(_ bytes: [UInt8]) -> (version: UInt8, header: String, data: [UInt8])? {
        guard bytes.count >= 10, bytes[0] == 0x93, bytes[6] == 1 || bytes[6] == 2 || bytes[6] == 3 else { return nil }
        let version = bytes[6]
        let start = version == 1 ? 10 : 12
        guard bytes.count >= start else { return nil }
        var length = Int(bytes[8]) | Int(bytes[9]) << 8
        if version > 1 { length |= Int(bytes[10]) << 16 | Int(bytes[11]) << 24 }
        guard start + length <= bytes.count else { return nil }
        return (version, String(decoding: bytes[start..<start + length], as: UTF8.self), Array(bytes[(start + length)...]))
    }

    /// An NPY file with the given header dict (padded to a multiple of 64 bytes, as numpy does).
    static func assemble(version: UInt8, header: String, data: [UInt8]) -> [UInt8] {
        var text = Array(header.trimmingCharacters(in: [" ", "\n"]).utf8)
        let start = version == 1 ? 10 : 12
        let padding = (64 - (start + text.count + 1) % 64) % 64
        text += [UInt8](repeating: 0x20, count: padding) + [0x0A]
        var out: [UInt8] = [0x93] + Array("NUMPY".utf8) + [version, 0]
        if version == 1 {
            ZipWriter.append16(&out, UInt16(truncatingIfNeeded: text.count))
        } else {
            ZipWriter.append32(&out, UInt32(truncatingIfNeeded: text.count))
        }
        return out + text + data
    }

    /// The dict with the value of `key` replaced by `value` (the text after `'key':` up to the next
    /// top-level `,` or `}`).
    static func replacing(_ key: String, with value: String, in header: String) -> String {
        guard let keyRange = header.range(of: "'\(key)':") else { return header }
        var depth = 0
        var end = keyRange.upperBound
        while end < header.endIndex {
            let c = header[end]
            if c == "(" { depth += 1 } else if c == ")" { depth -= 1 } else if (c == "," || c == "}") && depth == 0 { break }
            end = header.index(after: end)
        }
        return header.replacingCharacters(in: keyRange.upperBound..<end, with: " " + value)
    }

    static func mutate(_ input: [UInt8], other: [UInt8], _ rng: inout SeededRandom) -> ([UInt8], [String]) {
        guard var (version, header, data) = split(input), !rng.oneIn(6) else {
            return ByteMutations.mutate(input, other: other, &rng)
        }
        var log: [String] = []
        var raw: [UInt8]?
        for _ in 0..<(1 + rng.below(2)) {
            switch rng.below(8) {
            case 0, 1:
                let shape = rng.pick(hostileShapes)
                header = replacing("shape", with: shape, in: header)
                log.append("shape = \(shape.prefix(40))")
            case 2:
                let descr = rng.pick(hostileDescrs)
                header = replacing("descr", with: "'\(descr)'", in: header)
                log.append("descr = '\(descr)'")
            case 3:
                let order = rng.pick(["True", "False", "1", "None"])
                header = replacing("fortran_order", with: order, in: header)
                log.append("fortran_order = \(order)")
            case 4:
                // NaN or an infinity in the data (as float32 or float64, whichever the dtype is).
                let value = rng.pick([Double.nan, .infinity, -.infinity, .greatestFiniteMagnitude])
                let wide = header.contains("f8")
                let width = wide ? 8 : 4
                guard data.count >= width else { log.append("no data"); break }
                let element = rng.below(data.count / width)
                let bits: UInt64 = wide ? value.bitPattern : UInt64(Float(value).bitPattern)
                for k in 0..<width { data[element * width + k] = UInt8(truncatingIfNeeded: bits >> (8 * UInt64(k))) }
                log.append("data element \(element) = \(value)")
            case 5:
                version = rng.pick([1, 2, 3])
                log.append("version \(version)")
            case 6:
                let n = rng.pick([1, 7, 100, 1_000])
                data += [UInt8](repeating: 0x7F, count: n)
                log.append("append \(n) data bytes")
            default:
                // A header length field that lies about the header.
                var bytes = assemble(version: version, header: header, data: data)
                let value: UInt32 = rng.pick([0, 1, 0xFFFF, 0x1_0000, 0x7FFF_FFFF, 0xFFFF_FFFF, UInt32(bytes.count)])
                if version == 1 { ZipWriter.set16(&bytes, at: 8, UInt16(truncatingIfNeeded: value)) } else { ZipWriter.set32(&bytes, at: 8, value) }
                raw = bytes
                log.append("header length field = \(value)")
            }
        }
        var bytes = raw ?? assemble(version: version, header: header, data: data)
        if rng.oneIn(4) {
            let (mutated, more) = ByteMutations.mutate(bytes, other: other, &rng)
            bytes = mutated
            log += more
        }
        return (bytes, log)
    }
}
