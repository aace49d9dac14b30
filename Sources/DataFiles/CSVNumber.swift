/// A CSV field parsed as a number with a strict decimal syntax:
/// `[+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?` (no hexadecimal, no blanks).
///
/// Conversion is correctly rounded: short values (at most 19 significant digits forming an
/// integer below 2^53, decimal exponent within ±22) take the exact fast path of Clinger (1990), one
/// correctly rounded multiplication or division of two exactly representable numbers; all others
/// go through the standard library's `Double(String)`.
enum CSVNumber: Equatable {
    case number(Double)
    case empty
    case notANumber
    /// `nan`, `inf`, `infinity` (any case, optional sign).
    case nonFinite
    /// Syntactically a number, but too large for `Double`.
    case outOfRange

    /// Exact powers of ten 10^0 ... 10^22 (all representable in `Double`).
    private static let powersOfTen: [Double] = (0...22).reduce(into: []) { powers, k in
        powers.append(k == 0 ? 1 : powers[k - 1] * 10)
    }

    static func parse(_ text: UnsafeRawBufferPointer) -> CSVNumber {
        if text.isEmpty { return .empty }
        var index = 0
        var negative = false
        if text[0] == UInt8(ascii: "+") || text[0] == UInt8(ascii: "-") {
            negative = text[0] == UInt8(ascii: "-")
            index = 1
        }
        if index < text.count, text[index] | 0x20 == UInt8(ascii: "n") || text[index] | 0x20 == UInt8(ascii: "i") {
            let word = String(decoding: UnsafeRawBufferPointer(rebasing: text[index...]), as: UTF8.self).lowercased()
            return ["nan", "inf", "infinity"].contains(word) ? .nonFinite : .notANumber
        }
        // Mantissa digits, leading zeros skipped, at most 19 kept; `scale` is the power of ten
        // that the kept digits must be multiplied by.
        var mantissa: UInt64 = 0
        var kept = 0, scale = 0, digitCount = 0
        var exact = true
        func mantissaDigits(fraction: Bool) {
            while index < text.count, text[index] >= 0x30, text[index] <= 0x39 {
                let digit = UInt64(text[index] - 0x30)
                digitCount += 1
                if mantissa == 0 && digit == 0 {
                    if fraction { scale -= 1 }
                } else if kept < 19 {
                    mantissa = mantissa * 10 + digit
                    kept += 1
                    if fraction { scale -= 1 }
                } else {
                    exact = false
                    if !fraction { scale += 1 }
                }
                index += 1
            }
        }
        mantissaDigits(fraction: false)
        if index < text.count, text[index] == UInt8(ascii: ".") {
            index += 1
            mantissaDigits(fraction: true)
        }
        guard digitCount > 0 else { return .notANumber }
        if index < text.count, text[index] == UInt8(ascii: "e") || text[index] == UInt8(ascii: "E") {
            index += 1
            var exponentNegative = false
            if index < text.count, text[index] == UInt8(ascii: "+") || text[index] == UInt8(ascii: "-") {
                exponentNegative = text[index] == UInt8(ascii: "-")
                index += 1
            }
            let start = index
            var exponent = 0
            while index < text.count, text[index] >= 0x30, text[index] <= 0x39 {
                exponent = min(exponent * 10 + Int(text[index] - 0x30), 1_000_000)
                index += 1
            }
            guard index > start else { return .notANumber }
            scale += exponentNegative ? -exponent : exponent
        }
        guard index == text.count else { return .notANumber }
        if exact, mantissa < 1 << 53, abs(scale) <= 22 {
            let m = Double(mantissa)
            let value = scale >= 0 ? m * powersOfTen[scale] : m / powersOfTen[-scale]
            if value.isFinite { return .number(negative ? -value : value) }
        }
        guard let value = Double(String(decoding: text, as: UTF8.self)) else { return .notANumber }
        return value.isFinite ? .number(value) : .outOfRange
    }
}
