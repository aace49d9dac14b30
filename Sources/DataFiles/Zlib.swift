import CZlib

/// The few zlib calls DataFiles needs: CRC-32 (zip entries, PNG chunks), bounded raw inflate
/// (deflated `.npz` entries) and zlib-stream compression (PNG `IDAT`).
enum Zlib {
    /// Why a raw inflate failed.
    enum InflateFailure: Error, Equatable {
        /// The deflate stream is invalid (zlib's message).
        case corrupt(String)
        /// The input ended before the deflate stream did.
        case truncated
        /// The output would exceed the allowed size.
        case tooLarge
        /// zlib could not start (out of memory or a library mismatch).
        case unavailable(String)
    }

    /// zlib takes lengths as 32-bit `uInt`; longer buffers are fed in pieces of this size.
    private static let maxPiece = Int(UInt32.max)

    /// The CRC-32 (ISO-HDLC, as used by zip and PNG) of `bytes`, continuing from `initial`.
    static func crc32(_ bytes: UnsafeRawBufferPointer, initial: UInt32 = 0) -> UInt32 {
        var crc = uLong(initial)
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: Bytef.self) else { return initial }
        var offset = 0
        while offset < bytes.count {
            let length = min(bytes.count - offset, maxPiece)
            crc = CZlib.crc32(crc, base + offset, uInt(length))
            offset += length
        }
        return UInt32(truncatingIfNeeded: crc)
    }

    /// The CRC-32 of a byte array.
    static func crc32(_ bytes: [UInt8], initial: UInt32 = 0) -> UInt32 {
        bytes.withUnsafeBytes { crc32($0, initial: initial) }
    }

    /// Inflates a raw deflate stream (no zlib or gzip wrapper, as in zip entries).
    ///
    /// Memory grows with the output actually produced, never beyond `maxOutput` bytes: a stream
    /// that would produce more fails with `.tooLarge` as soon as it does. Bytes after the end of
    /// the deflate stream are ignored.
    static func inflateRaw(_ input: UnsafeRawBufferPointer, maxOutput: Int) -> Result<[UInt8], InflateFailure> {
        var stream = z_stream()
        let initStatus = inflateInit2_(&stream, -15, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard initStatus == Z_OK else { return .failure(.unavailable("inflateInit2 returned \(initStatus)")) }
        defer { inflateEnd(&stream) }

        let inputBase = input.baseAddress.map { UnsafeMutablePointer(mutating: $0.assumingMemoryBound(to: Bytef.self)) }
        var fed = 0
        let chunkSize = 1 << 18
        var chunk = [UInt8](repeating: 0, count: chunkSize)
        var output: [UInt8] = []
        while true {
            if stream.avail_in == 0, fed < input.count, let inputBase {
                let length = min(input.count - fed, maxPiece)
                stream.next_in = inputBase + fed
                stream.avail_in = uInt(length)
                fed += length
            }
            let status = chunk.withUnsafeMutableBufferPointer { buffer -> Int32 in
                stream.next_out = buffer.baseAddress
                stream.avail_out = uInt(chunkSize)
                return inflate(&stream, Z_NO_FLUSH)
            }
            let produced = chunkSize - Int(stream.avail_out)
            stream.next_out = nil
            if produced > maxOutput - output.count { return .failure(.tooLarge) }
            output.append(contentsOf: chunk[0..<produced])
            switch status {
            case Z_STREAM_END:
                return .success(output)
            case Z_OK:
                continue
            case Z_BUF_ERROR:
                // No progress was possible: with an empty output buffer offered, input is missing.
                if stream.avail_in == 0 && fed >= input.count { return .failure(.truncated) }
                if produced == 0 { return .failure(.corrupt("inflate made no progress")) }
            case Z_NEED_DICT:
                return .failure(.corrupt("the stream needs a preset dictionary"))
            default:
                let message = stream.msg.map { String(cString: $0) } ?? "inflate returned \(status)"
                return .failure(.corrupt(message))
            }
        }
    }

    /// `bytes` as a zlib stream (RFC 1950) compressed at `level` (0-9) with `compress2`. If zlib
    /// cannot allocate its state, falls back to uncompressed (stored) deflate blocks.
    static func compress(_ bytes: [UInt8], level: Int32 = 9) -> [UInt8] {
        var capacity = compressBound(uLong(bytes.count))
        var destination = [UInt8](repeating: 0, count: Int(capacity))
        let status = destination.withUnsafeMutableBufferPointer { out in
            bytes.withUnsafeBufferPointer { source in
                compress2(out.baseAddress, &capacity, source.baseAddress, uLong(source.count), level)
            }
        }
        guard status == Z_OK else { return storedStream(bytes) }
        return Array(destination[0..<Int(capacity)])
    }

    /// A zlib stream of stored (uncompressed) deflate blocks holding `bytes`.
    static func storedStream(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x78, 0x01]
        var offset = 0
        repeat {
            let length = min(bytes.count - offset, 65_535)
            let final: UInt8 = offset + length == bytes.count ? 1 : 0
            let len = UInt16(length)
            out += [final, UInt8(len & 0xFF), UInt8(len >> 8), UInt8(~len & 0xFF), UInt8(~len >> 8)]
            out += bytes[offset..<offset + length]
            offset += length
        } while offset < bytes.count
        var adler = adler32(0, nil, 0)
        bytes.withUnsafeBufferPointer { buffer in
            var position = 0
            while position < buffer.count, let base = buffer.baseAddress {
                let length = min(buffer.count - position, maxPiece)
                adler = adler32(adler, base + position, uInt(length))
                position += length
            }
        }
        let value = UInt32(truncatingIfNeeded: adler)
        out += [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
        return out
    }
}
