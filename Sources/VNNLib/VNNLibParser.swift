import Foundation

/// Reads VNN-LIB property files into a normalised `Specification`.
///
/// Supported (the subset used by VNN-COMP benchmarks, plus linear arithmetic):
/// - `; comments` to the end of the line; `(declare-const X_i Real)` for inputs and
///   `(declare-const Y_j Real)` for outputs, declared before use, indices contiguous from 0;
///   `(check-sat)` and `(get-model)` are accepted and ignored.
/// - `(assert F)`, where `F` is built from `and`, `or`, `true`, `false` and comparisons
///   `(<= a b)`, `(>= a b)`, `(< a b)`, `(> a b)`, `(= a b)` (chains such as `(<= a b c)` mean
///   `a <= b` and `b <= c`; `=` means both `<=` and `>=`).
/// - Terms: variables, decimal constants (`5`, `-0.25`, `.5`, `1.5e-3`), `(+ t ...)`, `(- t)`,
///   `(- t u ...)`, `(* c ... t)` with at most one non-constant factor, `(/ t c ...)` with
///   constant non-zero divisors.
///
/// Semantics: the conjunction of all asserts describes the UNSAFE set. It is converted to
/// disjunctive normal form (at most `maximumDNFTerms` terms); each term is split into input
/// atoms, which must bound a single `X_i` by a constant and together form a box, and output
/// atoms `c·y + d <= 0`. Terms with equal boxes form one `SpecCase`, in order of first
/// appearance; within a case, repeated constraints and disjuncts are dropped, and a disjunct
/// without constraints (every output is unsafe) replaces all others. Atoms without variables
/// are evaluated: a true one is dropped, a false one drops its conjunction. Cases with an empty
/// box are dropped, but every case must bound every input.
///
/// Strict comparisons `<` and `>` are read as `<=` and `>=`: the unsafe set is replaced by its
/// closure. An `unsat` answer for the closure holds for the original property; a counterexample
/// lying exactly on the boundary of a strict constraint may not violate the original one.
///
/// Errors are `VNNLibError`s with file, line, column and the offending source line.
///
/// A file whose first command is `(vnnlib-version <2.x>)` is a VNN-LIB 2.0 query (see
/// ``QueryReader`` and ``parseQuery(contentsOf:)``); its specification is over the joint inputs and
/// outputs of its networks. Files without that header are VNN-LIB 1.0.
public enum VNNLibParser {
    /// The largest number of DNF terms (conjunctions) a specification may expand to.
    public static let maximumDNFTerms = 100_000

    /// The largest total number of atom occurrences over all DNF terms.
    public static let maximumAtomOccurrences = 20_000_000

    /// The largest number of bounds over all distinct input regions (regions × inputs): 20 million.
    /// Each region stores a dense box, so a short file with many inputs and a large disjunction
    /// would otherwise need memory far beyond its size.
    public static let maximumBoxValues = 20_000_000

    /// The largest number of coefficients over all distinct output constraints (constraints ×
    /// outputs): 20 million. Each constraint is stored densely over all outputs.
    public static let maximumConstraintCoefficients = 20_000_000

    /// The largest file read, in bytes: 1 GiB. Parsing needs memory linear in the file size (tens
    /// of bytes per token).
    public static let maximumFileBytes = 1 << 30

    /// Reads and parses the file at `path`; errors name the file by `path` as given.
    ///
    /// - Throws: `VNNLibError` (`fileNotFound`, `unreadableFile`, `invalidUTF8`, or any error of
    ///   `parse(_:fileName:)`).
    public static func parse(contentsOf path: String) throws -> Specification {
        try parse(bytes: try readFile(path), fileName: path)
    }

    /// Parses raw file contents, rejecting invalid UTF-8 at its first bad byte.
    static func parse(bytes: [UInt8], fileName: String) throws(VNNLibError) -> Specification {
        try parseQuery(bytes: bytes, fileName: fileName).specification
    }

    /// Parses raw file contents as a 1.0 or 2.0 query, rejecting invalid UTF-8 at its first bad byte.
    static func parseQuery(bytes: [UInt8], fileName: String) throws(VNNLibError) -> Query {
        let source = SourceText(bytes: bytes, fileName: fileName)
        if let bad = UTF8Validation.firstInvalidByte(in: bytes) {
            throw source.error(.invalidUTF8, "the file is not valid UTF-8 (invalid byte 0x\(hex(bytes[bad])))", at: bad)
        }
        return try parseQuery(source)
    }

    /// Parses VNN-LIB `text`; `fileName` is only used in error messages.
    ///
    /// - Throws: `VNNLibError` describing the first problem found, with its location.
    public static func parse(_ text: String, fileName: String) throws -> Specification {
        try parse(SourceText(bytes: Array(text.utf8), fileName: fileName))
    }

    static func parse(_ source: SourceText) throws(VNNLibError) -> Specification {
        try parseQuery(source).specification
    }

    /// Reads and parses a VNN-LIB 1.0 or 2.0 file. For 1.0 the query has version `1.0` and no
    /// networks (the specification is over the one model's `X_i` and `Y_j`).
    ///
    /// - Throws: `VNNLibError`, as ``parse(contentsOf:)``.
    public static func parseQuery(contentsOf path: String) throws -> Query {
        try parseQuery(bytes: try readFile(path), fileName: path)
    }

    /// Parses VNN-LIB 1.0 or 2.0 `text`; `fileName` is only used in error messages.
    public static func parseQuery(_ text: String, fileName: String) throws -> Query {
        try parseQuery(SourceText(bytes: Array(text.utf8), fileName: fileName))
    }

    static func parseQuery(_ source: SourceText) throws(VNNLibError) -> Query {
        let tree = try SyntaxTree(source: source)
        guard QueryReader.hasVersionHeader(tree, source) else {
            return Query(version: "1.0", networks: [], specification: try parseVersion1(source, tree))
        }
        var declarations = QueryReader(source: source, tree: tree)
        try declarations.read()
        var reader = CommandReader(source: source, tree: tree, tensors: declarations.tensors)
        for node in declarations.assertionNodes { try reader.readAssertion(node) }
        var assembler = CaseAssembler(
            source: source, atoms: reader.atoms, inputCount: declarations.inputCount,
            outputCount: declarations.outputCount + declarations.hiddenCount, inputDeclarations: [])
        let names = declarations
        assembler.describeInput = { names.describeInput($0) }
        let specification = try assemble(reader, assembler, tree, source)
        return Query(version: declarations.version, networks: declarations.networks, specification: specification)
    }

    static func parseVersion1(_ source: SourceText, _ tree: SyntaxTree) throws(VNNLibError) -> Specification {
        var reader = CommandReader(source: source, tree: tree)
        try reader.readCommands()
        let inputDeclarations = try contiguousDeclarations(reader.declarations, outputs: false, source)
        let outputDeclarations = try contiguousDeclarations(reader.declarations, outputs: true, source)
        let assembler = CaseAssembler(
            source: source, atoms: reader.atoms, inputCount: inputDeclarations.count,
            outputCount: outputDeclarations.count, inputDeclarations: inputDeclarations)
        return try assemble(reader, assembler, tree, source)
    }

    /// The DNF of all assertions, grouped into cases.
    private static func assemble(
        _ reader: CommandReader, _ assembler: CaseAssembler, _ tree: SyntaxTree, _ source: SourceText
    ) throws(VNNLibError) -> Specification {

        let converter = DisjunctiveNormalForm.Converter(
            maximumTerms: maximumDNFTerms, maximumAtomOccurrences: maximumAtomOccurrences,
            tooLarge: { node in
                source.error(
                    .tooLarge,
                    "specification too large: its disjunctive normal form exceeds \(maximumDNFTerms) terms "
                        + "(or \(maximumAtomOccurrences) atom occurrences)", at: tree.nodes[node].start)
            })
        var dnf = DisjunctiveNormalForm.alwaysTrue
        for (formula, node) in reader.assertions {
            try converter.conjoin(&dnf, try converter.convert(formula), node: node)
            if dnf.isFalse { break }
        }
        if dnf.isFalse {
            throw source.error(
                .alwaysFalse,
                "the assertions can never hold (a comparison without variables is false), so nothing is unsafe",
                at: reader.firstFalseConstant ?? 0)
        }
        let cases = try assembler.assemble(dnf)
        return Specification(inputCount: assembler.inputCount, outputCount: assembler.outputCount, cases: cases)
    }

    /// Declaration offsets of `X_0...X_{n-1}` (or `Y_...`), checking that there are some and
    /// that their indices have no gaps.
    private static func contiguousDeclarations(
        _ declarations: [Variable: Int], outputs: Bool, _ source: SourceText
    ) throws(VNNLibError) -> [Int] {
        let declared = declarations.filter { $0.key.isOutput == outputs }.sorted { $0.key.index < $1.key.index }
        let (letter, what) = outputs ? ("Y", "output") : ("X", "input")
        guard !declared.isEmpty else {
            throw source.error(
                .badDeclarations,
                "no \(what) variables declared (expected (declare-const \(letter)_0 Real) ...)", at: 0)
        }
        for (expected, entry) in declared.enumerated() where entry.key.index != expected {
            throw source.error(
                .badDeclarations,
                "\(what) indices have a gap: \(entry.key) is declared but \(letter)_\(expected) is not", at: entry.value)
        }
        return declared.map(\.value)
    }

    private static func readFile(_ path: String) throws(VNNLibError) -> [UInt8] {
        let source = SourceText(bytes: [], fileName: path)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw source.fileError(.fileNotFound, "file not found")
        }
        guard !isDirectory.boolValue else { throw source.fileError(.unreadableFile, "cannot read the file: it is a directory") }
        if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber,
           size.int64Value > Int64(maximumFileBytes) {
            throw source.fileError(
                .tooLarge, "file has \(size.int64Value) bytes, more than the limit of \(maximumFileBytes) bytes for a VNN-LIB file")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw source.fileError(.unreadableFile, "cannot read the file")
        }
        return [UInt8](data)
    }

    private static func hex(_ b: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(b >> 4)], digits[Int(b & 15)]])
    }
}

/// UTF-8 validation that reports where the first invalid byte is.
enum UTF8Validation {
    /// Offset of the first byte that does not belong to a well-formed UTF-8 sequence, or nil.
    static func firstInvalidByte(in bytes: [UInt8]) -> Int? {
        var i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            if b < 0x80 {
                i += 1
                continue
            }
            let length: Int
            var low: UInt8 = 0x80
            var high: UInt8 = 0xBF
            switch b {
            case 0xC2...0xDF: length = 2
            case 0xE0: (length, low) = (3, 0xA0)
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: (length, high) = (3, 0x9F)
            case 0xF0: (length, low) = (4, 0x90)
            case 0xF1...0xF3: length = 4
            case 0xF4: (length, high) = (4, 0x8F)
            default: return i
            }
            for k in 1..<length {
                guard i + k < n else { return i }
                let c = bytes[i + k]
                let (lo, hi) = k == 1 ? (low, high) : (UInt8(0x80), UInt8(0xBF))
                guard c >= lo && c <= hi else { return i }
            }
            i += length
        }
        return nil
    }
}
