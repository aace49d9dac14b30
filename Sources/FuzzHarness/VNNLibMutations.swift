/// Token-level mutations of VNN-LIB text: hostile numbers (NaN, infinities, 1e308, -0, huge
/// integers), swapped comparisons and bounds (so lower > upper), deep parenthesis nesting, huge
/// `X_`/`Y_` indices, and edits of whole tokens.
enum VNNLibMutations {
    /// Replacements for numeric constants.
    static let hostileNumbers = [
        "NaN", "nan", "-nan", "inf", "-inf", "+Infinity", "Infinity", "1e308", "-1e308", "1e309", "-1e309",
        "1.7976931348623157e308", "4.9e-324", "1e-400", "-0", "-0.0", "+0", "0.0e0",
        "99999999999999999999999999999999", "-123456789012345678901234567890.5", "0x10", "1e", "e5", ".", "-",
        "1.2.3", "--1", "1e+", "5.", ".5e-3", "1" + String(repeating: "0", count: 400),
    ]
    /// Replacements for variable names.
    static let hostileNames = [
        "X_999999999", "X_1000000000", "X_99999999999999999999", "X_-1", "X_01", "X_", "Y_999999999",
        "Y_4294967296", "Y_-3", "X_1e3", "x_0", "X_0_0", "Z_0",
    ]
    /// Tokens inserted or substituted anywhere.
    static let vocabulary = [
        "(", ")", "and", "or", "not", "<=", ">=", "<", ">", "=", "+", "-", "*", "/", "assert", "declare-const",
        "Real", "Int", "true", "false", "check-sat", "X_0", "Y_0", "0", "1", ";", "\n", "\u{FEFF}", "é", "\u{0}",
    ]

    /// Applies one to three token-level mutations (or, sometimes, byte-level ones on top).
    static func mutate(_ input: [UInt8], other: [UInt8], _ rng: inout SeededRandom) -> ([UInt8], [String]) {
        var tokens = tokenize(String(decoding: input, as: UTF8.self))
        var log: [String] = []
        for _ in 0..<(1 + rng.below(3)) { log.append(mutateOnce(&tokens, &rng)) }
        var bytes = Array(tokens.joined().utf8)
        if rng.oneIn(4) {
            let (mutated, more) = ByteMutations.mutate(bytes, other: other, &rng)
            bytes = mutated
            log += more
        }
        return (bytes, log)
    }

    /// Splits text into tokens, keeping whitespace and comments as tokens so joining restores it.
    static func tokenize(_ text: String) -> [String] {
        let bytes = Array(text.utf8)
        var tokens: [String] = []
        tokens.reserveCapacity(bytes.count / 3)
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            var end = i + 1
            switch b {
            case UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                break
            case UInt8(ascii: ";"):
                while end < bytes.count, bytes[end - 1] != UInt8(ascii: "\n") { end += 1 }
            default:
                while end < bytes.count, !"() \t\n\r;".utf8.contains(bytes[end]) { end += 1 }
            }
            tokens.append(String(decoding: bytes[i..<end], as: UTF8.self))
            i = end
        }
        return tokens
    }

    static func isNumber(_ token: String) -> Bool {
        guard let first = token.utf8.first, "0123456789.+-".utf8.contains(first) else { return false }
        return Double(token) != nil
    }

    static func isVariable(_ token: String) -> Bool { token.hasPrefix("X_") || token.hasPrefix("Y_") }

    static func isSymbol(_ token: String) -> Bool {
        !["(", ")", " ", "\t", "\n", "\r"].contains(token) && !token.hasPrefix(";")
    }

    /// Index of the `)` closing the `(` at `open`, or nil.
    static func closing(_ tokens: [String], from open: Int) -> Int? {
        var depth = 0
        for i in open..<tokens.count {
            if tokens[i] == "(" { depth += 1 } else if tokens[i] == ")" { depth -= 1; if depth == 0 { return i } }
        }
        return nil
    }

    static func mutateOnce(_ tokens: inout [String], _ rng: inout SeededRandom) -> String {
        let numbers = tokens.indices.filter { isNumber(tokens[$0]) }
        let variables = tokens.indices.filter { isVariable(tokens[$0]) }
        let opens = tokens.indices.filter { tokens[$0] == "(" }
        switch rng.below(11) {
        case 0, 1:
            guard let i = numbers.isEmpty ? nil : rng.pick(numbers) else { return "no number" }
            let value = rng.pick(hostileNumbers)
            tokens[i] = value
            return "number \(i) -> \(value.prefix(40))"
        case 2:
            // Swap two constants: on the bounds of one input this makes lower > upper.
            guard numbers.count >= 2 else { return "too few numbers" }
            let a = rng.pick(numbers), b = rng.pick(numbers)
            tokens.swapAt(a, b)
            return "swap numbers \(a), \(b)"
        case 3:
            let comparisons = tokens.indices.filter { ["<=", ">=", "<", ">"].contains(tokens[$0]) }
            guard !comparisons.isEmpty else { return "no comparison" }
            let i = rng.pick(comparisons)
            tokens[i] = ["<=": ">=", ">=": "<=", "<": ">", ">": "<"][tokens[i]] ?? tokens[i]
            return "reverse comparison \(i)"
        case 4:
            guard let i = opens.isEmpty ? nil : rng.pick(opens), let j = closing(tokens, from: i) else { return "no list" }
            let depth = rng.pick([99, 100, 101, 1_000, 100_000])
            let op = rng.pick(["and ", "or ", "+ ", ""])
            let prefix = String(repeating: "(" + op, count: depth)
            tokens.replaceSubrange(i...j, with: [prefix] + Array(tokens[i...j]) + [String(repeating: ")", count: depth)])
            return "nest list at \(i) \(depth) deep with '\(op)'"
        case 5:
            guard let i = variables.isEmpty ? nil : rng.pick(variables) else { return "no variable" }
            let name = rng.pick(hostileNames)
            tokens[i] = name
            return "variable \(i) -> \(name)"
        case 6:
            // Declare one more variable with a huge or duplicate index.
            let index = rng.pick(["999999999", "1000000000", "0", "1", "4096", "18446744073709551616"])
            let letter = rng.oneIn(2) ? "X" : "Y"
            tokens.insert("(declare-const \(letter)_\(index) Real)\n", at: rng.below(tokens.count + 1))
            return "declare \(letter)_\(index)"
        case 7:
            // Delete or duplicate a whole list.
            guard let i = opens.isEmpty ? nil : rng.pick(opens), let j = closing(tokens, from: i) else { return "no list" }
            if rng.oneIn(2) {
                tokens.removeSubrange(i...j)
                return "delete list \(i)...\(j)"
            }
            let list = Array(tokens[i...j])
            let size = list.reduce(0) { $0 + $1.utf8.count }
            let copies = rng.oneIn(8) ? min(200, max(1, (16 << 20) / max(1, size))) : 1
            tokens.insert(contentsOf: Array([[String]](repeating: list + [" "], count: copies).joined()), at: j + 1)
            return "duplicate list \(i)...\(j) x\(copies)"
        case 8:
            let symbols = tokens.indices.filter { isSymbol(tokens[$0]) }
            guard let i = symbols.isEmpty ? nil : rng.pick(symbols) else { return "no symbol" }
            let token = rng.pick(vocabulary)
            tokens[i] = token
            return "symbol \(i) -> \(token.debugDescription)"
        case 9:
            let i = rng.below(tokens.count + 1)
            let token = rng.pick(vocabulary)
            tokens.insert(token, at: i)
            return "insert \(token.debugDescription) at \(i)"
        default:
            // An `or` of many copies of an assert's body: a large disjunctive normal form.
            let asserts = opens.filter { $0 + 1 < tokens.count && tokens[$0 + 1] == "assert" }
            guard let i = asserts.isEmpty ? nil : rng.pick(asserts), let j = closing(tokens, from: i), j > i + 3 else {
                return "no assert"
            }
            let body = tokens[(i + 3)..<j].joined()
            // Inputs stay at most about 16 MB (a 100 000-deep body repeated 400 times would be 240 MB).
            let width = min(rng.pick([2, 10, 400]), max(2, (16 << 20) / max(1, body.utf8.count)))
            let or = "(or " + String(repeating: body + " ", count: width) + ")"
            tokens.insert("(assert \(or))\n", at: j + 1)
            return "assert an or of \(width) copies of assert \(i)"
        }
    }
}
