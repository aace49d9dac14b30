import Verifier

/// The contents of a VNN-COMP result file or of a suite's `witnesses/*.counterexample` file.
///
/// Accepted text: `;` comments anywhere (to end of line); an optional verdict word first
/// (`sat`, `unsat`, `unknown`, `timeout`, `error`, and the 2021 spellings `violated` = sat and
/// `holds` = unsat; any letter case); then, only after `sat` or with no verdict word, the
/// counterexample: `(X_i v)` and `(Y_j v)` pairs, normally wrapped in one outer pair of parentheses
/// (`((X_0 v) ... (Y_0 v))`), spread over any number of lines and in any order. Values are decimal
/// numbers (plain or exponent notation). X indices must be exactly 0..<n, Y indices 0..<m (m may be 0).
public struct ResultFile: Sendable, Equatable {
    /// The verdict: the first word, or `.sat` for a bare counterexample file.
    public var verdict: Verdict
    /// The counterexample (inputs by X index, outputs by Y index), if the file holds one.
    public var witness: Witness?

    /// Creates a value.
    public init(verdict: Verdict, witness: Witness?) {
        self.verdict = verdict
        self.witness = witness
    }

    /// Reads and parses the file at `path`.
    /// - Throws: `BenchmarkingError` with `path:line:column` and what was expected.
    public static func read(path: String) throws(BenchmarkingError) -> ResultFile {
        try parse(text: CSVText.readFile(path), file: path)
    }

    /// Reads a file that must hold a counterexample and returns it.
    /// - Throws: as `read(path:)`, and when the file has no counterexample.
    public static func readWitness(path: String) throws(BenchmarkingError) -> Witness {
        let contents = try read(path: path)
        guard let witness = contents.witness else {
            throw .malformedCounterexample(SourceLocation(file: path, line: 1),
                                           problem: "no counterexample in file (verdict '\(contents.verdict.rawValue)')")
        }
        return witness
    }

    /// Parses result-file text; `file` labels errors.
    public static func parse(text: String, file: String) throws(BenchmarkingError) -> ResultFile {
        var parser = CounterexampleParser(tokens: CounterexampleToken.tokenize(text), file: file)
        return try parser.parseFile()
    }

    /// Verdict words accepted on the first line, lower-cased.
    static let verdictWords: [String: Verdict] = [
        "sat": .sat, "violated": .sat, "unsat": .unsat, "holds": .unsat,
        "unknown": .unknown, "timeout": .timeout, "error": .error,
    ]
}

/// A token of a result file with its 1-based position.
struct CounterexampleToken {
    enum Kind: Equatable { case open, close, atom(String) }
    var kind: Kind
    var line: Int
    var column: Int

    /// Splits text into parentheses and atoms; `;` starts a comment to end of line.
    static func tokenize(_ text: String) -> [CounterexampleToken] {
        var tokens = [CounterexampleToken]()
        for (lineNumber, line) in CSVText.numberedLines(text) {
            var column = 0
            var atom = ""
            var atomColumn = 0
            func flush() {
                if !atom.isEmpty { tokens.append(CounterexampleToken(kind: .atom(atom), line: lineNumber, column: atomColumn)) }
                atom = ""
            }
            for character in line {
                column += 1
                if character == ";" { break }
                switch character {
                case "(":
                    flush()
                    tokens.append(CounterexampleToken(kind: .open, line: lineNumber, column: column))
                case ")":
                    flush()
                    tokens.append(CounterexampleToken(kind: .close, line: lineNumber, column: column))
                case _ where character.isWhitespace:
                    flush()
                default:
                    if atom.isEmpty { atomColumn = column }
                    atom.append(character)
                }
            }
            flush()
        }
        return tokens
    }
}

/// Recursive-descent parser over `CounterexampleToken`s.
struct CounterexampleParser {
    let tokens: [CounterexampleToken]
    let file: String
    var position = 0
    var inputs = [Int: Double]()
    var outputs = [Int: Double]()

    init(tokens: [CounterexampleToken], file: String) {
        self.tokens = tokens
        self.file = file
    }

    mutating func parseFile() throws(BenchmarkingError) -> ResultFile {
        guard let first = tokens.first else {
            throw failure(at: SourceLocation(file: file, line: 1, column: 1), "empty file: expected a verdict word or a counterexample")
        }
        var verdict = Verdict.sat
        if case let .atom(word) = first.kind {
            guard let known = ResultFile.verdictWords[word.lowercased()] else {
                throw failure(at: location(first), "expected a verdict (sat, unsat, unknown, timeout, error) or '(', found '\(word)'")
            }
            verdict = known
            position = 1
        }
        guard position < tokens.count else { return ResultFile(verdict: verdict, witness: nil) }
        let start = tokens[position]
        guard verdict == .sat else {
            throw failure(at: location(start), "unexpected text after verdict '\(verdict.rawValue)' (a counterexample may only follow 'sat')")
        }
        guard start.kind == .open else {
            throw failure(at: location(start), "expected '(' to start the counterexample, found \(describe(start))")
        }
        let wrapped = position + 1 < tokens.count && tokens[position + 1].kind == .open
        if wrapped {
            position += 1
            while position < tokens.count, tokens[position].kind == .open { try parsePair() }
            guard position < tokens.count else {
                throw failure(at: endLocation, "unexpected end of file: expected ')' to close the counterexample opened at \(start.line):\(start.column)")
            }
            guard tokens[position].kind == .close else {
                throw failure(at: location(tokens[position]), "expected '(' or ')', found \(describe(tokens[position]))")
            }
            position += 1
        } else {
            while position < tokens.count, tokens[position].kind == .open { try parsePair() }
        }
        if position < tokens.count {
            throw failure(at: location(tokens[position]), "unexpected \(describe(tokens[position])) after the end of the counterexample")
        }
        let witness = Witness(input: try dense(inputs, prefix: "X", required: true),
                              output: try dense(outputs, prefix: "Y", required: false))
        return ResultFile(verdict: verdict, witness: witness)
    }

    /// Parses `( NAME VALUE )` starting at an `open` token.
    private mutating func parsePair() throws(BenchmarkingError) {
        let open = tokens[position]
        position += 1
        guard position < tokens.count, case let .atom(name) = tokens[position].kind else {
            throw failure(at: position < tokens.count ? location(tokens[position]) : endLocation,
                          "expected a variable name X_i or Y_j after '(', found \(describeNext())")
        }
        let nameToken = tokens[position]
        position += 1
        guard position < tokens.count, case let .atom(valueText) = tokens[position].kind else {
            throw failure(at: position < tokens.count ? location(tokens[position]) : endLocation,
                          "expected a number after \(name), found \(describeNext())")
        }
        let valueToken = tokens[position]
        guard let value = CSVText.decimal(valueText) else {
            throw failure(at: location(valueToken), "expected a finite decimal number for \(name), found '\(valueText)'")
        }
        position += 1
        guard position < tokens.count, tokens[position].kind == .close else {
            throw failure(at: position < tokens.count ? location(tokens[position]) : endLocation,
                          "expected ')' to close the pair opened at \(open.line):\(open.column), found \(describeNext())")
        }
        position += 1
        let isInput = name.hasPrefix("X_"), isOutput = name.hasPrefix("Y_")
        let digits = name.dropFirst(2)
        guard isInput || isOutput, !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
              let index = Int(digits)
        else {
            throw failure(at: location(nameToken), "expected a variable name X_i or Y_j, found '\(name)'")
        }
        let previous = isInput ? inputs.updateValue(value, forKey: index) : outputs.updateValue(value, forKey: index)
        if previous != nil { throw failure(at: location(nameToken), "\(name) is given twice") }
    }

    /// Turns index->value pairs into an array, requiring indices exactly 0..<count.
    private func dense(_ values: [Int: Double], prefix: String, required: Bool) throws(BenchmarkingError) -> [Double] {
        if values.isEmpty && required { throw failure(at: endLocation, "counterexample has no \(prefix)_i values") }
        for index in 0..<values.count where values[index] == nil {
            let largest = values.keys.max() ?? 0
            throw failure(at: endLocation, "\(prefix)_\(index) is missing (\(values.count) values given, largest index \(largest))")
        }
        return (0..<values.count).map { values[$0] ?? 0 }
    }

    private var endLocation: SourceLocation {
        guard let last = tokens.last else { return SourceLocation(file: file, line: 1, column: 1) }
        return location(last)
    }

    private func location(_ token: CounterexampleToken) -> SourceLocation {
        SourceLocation(file: file, line: token.line, column: token.column)
    }

    private func describe(_ token: CounterexampleToken) -> String {
        switch token.kind {
        case .open: return "'('"
        case .close: return "')'"
        case let .atom(text): return "'\(text)'"
        }
    }

    private func describeNext() -> String {
        position < tokens.count ? describe(tokens[position]) : "end of file"
    }

    private func failure(at location: SourceLocation, _ problem: String) -> BenchmarkingError {
        .malformedCounterexample(location, problem: problem)
    }
}
