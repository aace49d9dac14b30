/// A declared VNN-LIB variable: input `X_index` or output `Y_index`.
struct Variable: Hashable, Comparable, CustomStringConvertible {
    var isOutput: Bool
    var index: Int

    var description: String { (isOutput ? "Y_" : "X_") + String(index) }

    static func < (a: Variable, b: Variable) -> Bool {
        a.isOutput != b.isOutput ? !a.isOutput : a.index < b.index
    }

    /// Parses `X_<n>` or `Y_<n>` (decimal `n` without leading zeros, at most 9 digits).
    init?(name bytes: ArraySlice<UInt8>) {
        guard bytes.count >= 3, bytes[bytes.startIndex + 1] == UInt8(ascii: "_") else { return nil }
        switch bytes.first {
        case UInt8(ascii: "X"): isOutput = false
        case UInt8(ascii: "Y"): isOutput = true
        default: return nil
        }
        let digits = bytes.dropFirst(2)
        guard digits.count <= 9, digits.first != UInt8(ascii: "0") || digits.count == 1 else { return nil }
        var value = 0
        for d in digits {
            guard d >= UInt8(ascii: "0") && d <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(d - UInt8(ascii: "0"))
        }
        index = value
    }

    init(isOutput: Bool, index: Int) {
        self.isOutput = isOutput
        self.index = index
    }
}

/// `Σ coefficient · variable + constant`, the value of a VNN-LIB term.
struct LinearExpression {
    struct Term {
        var variable: Variable
        var coefficient: Double
    }

    /// The variable terms; after `normalize()` sorted by variable, merged, without zeros.
    var terms: [Term]
    var constant: Double

    init(constant: Double) {
        terms = []
        self.constant = constant
    }

    init(variable: Variable) {
        terms = [Term(variable: variable, coefficient: 1)]
        constant = 0
    }

    /// True when no variable term is left (meaningful after `normalize()`).
    var isConstant: Bool { terms.isEmpty }

    /// True when the constant and every coefficient are finite.
    var isFinite: Bool { constant.isFinite && terms.allSatisfy { $0.coefficient.isFinite } }

    /// `self += scale · other` (terms are merged later by `normalize()`).
    mutating func add(_ other: LinearExpression, scale: Double) {
        constant += scale * other.constant
        terms.reserveCapacity(terms.count + other.terms.count)
        for t in other.terms { terms.append(Term(variable: t.variable, coefficient: scale * t.coefficient)) }
    }

    /// `self *= factor`.
    mutating func multiply(by factor: Double) {
        constant *= factor
        for i in terms.indices { terms[i].coefficient *= factor }
    }

    /// `self /= divisor` (the caller rules out zero).
    mutating func divide(by divisor: Double) {
        constant /= divisor
        for i in terms.indices { terms[i].coefficient /= divisor }
    }

    /// Sorts terms by variable, adds up repeated variables, drops zero coefficients and turns
    /// negative zeros into positive ones (so equal expressions compare equal).
    mutating func normalize() {
        constant += 0
        guard !terms.isEmpty else { return }
        if terms.count > 1 {
            var sorted = true
            for i in 1..<terms.count where !(terms[i - 1].variable < terms[i].variable) {
                sorted = false
                break
            }
            if !sorted { terms.sort { $0.variable < $1.variable } }
        }
        var merged: [Term] = []
        merged.reserveCapacity(terms.count)
        for t in terms {
            if let last = merged.last, last.variable == t.variable {
                merged[merged.count - 1].coefficient += t.coefficient
            } else {
                merged.append(t)
            }
        }
        terms = merged.compactMap { $0.coefficient == 0 ? nil : Term(variable: $0.variable, coefficient: $0.coefficient + 0) }
    }
}

/// Decimal constants as VNN-LIB writes them: `[+-]digits[.digits][(e|E)[+-]digits]`, where the
/// digits before or after the point may be missing but not both (`5`, `-0.25`, `.5`, `1e-3`).
enum NumberLiteral {
    /// The outcome of reading one symbol as a number.
    enum Reading {
        /// The symbol does not start like a number (it may be a variable name).
        case notANumber
        /// A finite value.
        case value(Double)
        /// The symbol starts like a number but is not one, or is not finite; the message says why.
        case invalid(String)
    }

    static func read(_ bytes: ArraySlice<UInt8>) -> Reading {
        let text = String(decoding: bytes, as: UTF8.self)
        var i = bytes.startIndex
        if i < bytes.endIndex && (bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-")) { i += 1 }
        let unsigned = text.drop { $0 == "+" || $0 == "-" }.lowercased()
        if unsigned == "inf" || unsigned == "infinity" || unsigned == "nan" {
            return .invalid("bad number '\(text)': constants must be finite")
        }
        guard i < bytes.endIndex, isDigit(bytes[i]) || bytes[i] == UInt8(ascii: ".") else { return .notANumber }
        if bytes[i] == UInt8(ascii: "."), !(i + 1 < bytes.endIndex && isDigit(bytes[i + 1])) {
            return i == bytes.startIndex ? .notANumber : .invalid("bad number '\(text)'")
        }
        var mantissaDigits = 0
        while i < bytes.endIndex && isDigit(bytes[i]) { i += 1; mantissaDigits += 1 }
        if i < bytes.endIndex && bytes[i] == UInt8(ascii: ".") {
            i += 1
            while i < bytes.endIndex && isDigit(bytes[i]) { i += 1; mantissaDigits += 1 }
        }
        if mantissaDigits > 0, i < bytes.endIndex, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            i += 1
            if i < bytes.endIndex && (bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-")) { i += 1 }
            var exponentDigits = 0
            while i < bytes.endIndex && isDigit(bytes[i]) { i += 1; exponentDigits += 1 }
            if exponentDigits == 0 { return .invalid("bad number '\(text)': exponent has no digits") }
        }
        guard mantissaDigits > 0, i == bytes.endIndex, let value = Double(text) else {
            return .invalid("bad number '\(text)'")
        }
        guard value.isFinite else { return .invalid("bad number '\(text)': out of the range of Double") }
        return .value(value + 0)
    }

    private static func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
}
