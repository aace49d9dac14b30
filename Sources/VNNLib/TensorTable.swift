/// The tensor names of a VNN-LIB 2.0 query, resolving a term `NAME` (a scalar tensor) or
/// `NAME[i,j,…]` (an element, written without spaces) to a joint input or output variable. Hidden
/// tensors are output variables after all network outputs (see ``Query``).
struct TensorTable {
    /// A declared tensor and the byte offset of its name.
    struct Entry {
        var declaration: TensorDeclaration
        var declaredAt: Int
    }

    /// What a term names.
    enum Resolution {
        case variable(Variable)
        /// The message of the error (kind in `kind`).
        case failure(VNNLibError.Kind, String)
    }

    private(set) var entries: [String: Entry] = [:]
    /// The joint output index of the first hidden element: hidden values follow the outputs of all
    /// networks (set once every network is declared).
    var hiddenBase = 0

    /// Adds a declaration; returns the earlier entry of the same name instead when there is one.
    mutating func add(_ declaration: TensorDeclaration, at offset: Int) -> Entry? {
        if let earlier = entries[declaration.name] { return earlier }
        entries[declaration.name] = Entry(declaration: declaration, declaredAt: offset)
        return nil
    }

    /// Resolves the text of a term that is not a number.
    func resolve(_ text: String) -> Resolution {
        var name = Substring(text)
        var indices: [Int]? = nil
        if let open = text.firstIndex(of: "[") {
            name = text[..<open]
            guard text.hasSuffix("]") else {
                return .failure(.unsupportedConstruct,
                                "malformed tensor element '\(text)' (expected NAME[i,j,...] written without spaces)")
            }
            let inner = text[text.index(after: open)..<text.index(before: text.endIndex)]
            var values: [Int] = []
            for part in inner.split(separator: ",", omittingEmptySubsequences: false) {
                guard !part.isEmpty, part.count <= 9, part.allSatisfy({ $0.isASCII && $0.isNumber }), let v = Int(part) else {
                    return .failure(.indexOutOfRange, "bad index '\(part)' in '\(text)' (indices are non-negative integers)")
                }
                values.append(v)
            }
            indices = values
        }
        guard let entry = entries[String(name)] else {
            return .failure(.unknownVariable, "unknown variable '\(name)'")
        }
        let d = entry.declaration
        guard let flat = d.flatIndex(indices ?? []) else {
            let written = indices.map { "\($0.count) ind\($0.count == 1 ? "ex" : "ices") \($0)" } ?? "no index"
            return .failure(.indexOutOfRange,
                            "index out of range: '\(text)' has \(written) but \(d.name) has shape \(d.shapeText)")
        }
        switch d.role {
        case .input: return .variable(Variable(isOutput: false, index: d.offset + flat))
        case .output: return .variable(Variable(isOutput: true, index: d.offset + flat))
        case .hidden: return .variable(Variable(isOutput: true, index: hiddenBase + d.offset + flat))
        }
    }
}
