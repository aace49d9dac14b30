/// The s-expressions of a VNN-LIB file, read from its UTF-8 bytes in one linear pass.
///
/// Tokens are `(`, `)` and symbols (maximal runs of bytes other than whitespace, parentheses and
/// `;`); `;` starts a comment that runs to the end of the line. Nodes live in one flat array
/// (children of a list are contiguous in `childIndices`), so building and freeing the tree never
/// recurses, and nesting deeper than `maximumDepth` is rejected before anything recurses over it.
struct SyntaxTree {
    /// One symbol or one parenthesised list.
    struct Node {
        /// True for a list `( ... )`, false for a symbol.
        var isList: Bool
        /// Byte offset of the symbol's first byte or of the list's `(`.
        var start: Int
        /// Byte offset just past the symbol, or just past the list's `)`.
        var end: Int
        /// Range of this list's children in `SyntaxTree.childIndices` (empty for symbols).
        var children: Range<Int>
    }

    /// Lists may nest at most this deep (real files nest 4 deep).
    static let maximumDepth = 100

    private(set) var nodes: [Node] = []
    private(set) var childIndices: [Int] = []
    /// The top-level nodes, in file order.
    private(set) var topLevel: [Int] = []

    /// Node indices of the children of list `node`.
    func children(of node: Int) -> ArraySlice<Int> {
        childIndices[nodes[node].children]
    }

    /// Reads all s-expressions of `source`; throws on unbalanced parentheses or too deep nesting.
    init(source: SourceText) throws(VNNLibError) {
        let bytes = source.bytes
        let count = bytes.count
        // Children collected so far for each open list (and for the top level, at the bottom).
        var pending: [Int] = []
        // For each open list: its node index and where its children start in `pending`.
        var open: [(node: Int, firstPending: Int)] = []
        var i = 0
        if count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { i = 3 }  // BOM
        while i < count {
            let b = bytes[i]
            switch b {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"), 0x0B, 0x0C:
                i += 1
            case UInt8(ascii: ";"):
                while i < count && bytes[i] != UInt8(ascii: "\n") { i += 1 }
            case UInt8(ascii: "("):
                if open.count >= Self.maximumDepth {
                    throw source.error(
                        .unsupportedConstruct,
                        "unsupported construct: parentheses nested deeper than \(Self.maximumDepth) levels", at: i)
                }
                open.append((nodes.count, pending.count))
                nodes.append(Node(isList: true, start: i, end: i, children: 0..<0))
                i += 1
            case UInt8(ascii: ")"):
                guard let (node, firstPending) = open.popLast() else {
                    throw source.error(.unbalancedParenthesis, "unexpected ')' without a matching '('", at: i)
                }
                let firstChild = childIndices.count
                childIndices.append(contentsOf: pending[firstPending...])
                pending.removeSubrange(firstPending...)
                nodes[node].children = firstChild..<childIndices.count
                nodes[node].end = i + 1
                pending.append(node)
                i += 1
            default:
                let start = i
                while i < count {
                    let c = bytes[i]
                    if c == UInt8(ascii: "(") || c == UInt8(ascii: ")") || c == UInt8(ascii: ";")
                        || c == UInt8(ascii: " ") || (c >= 0x09 && c <= 0x0D)
                    {
                        break
                    }
                    i += 1
                }
                pending.append(nodes.count)
                nodes.append(Node(isList: false, start: start, end: i, children: 0..<0))
            }
        }
        if let innermost = open.last {
            // Point just past the last visible character rather than at trailing blank lines.
            var end = count
            while end > 0, [0x20, 0x09, 0x0A, 0x0B, 0x0C, 0x0D].contains(bytes[end - 1]) { end -= 1 }
            let opener = source.position(of: nodes[innermost.node].start)
            throw source.error(
                .unexpectedEndOfFile, "unexpected end of file: expected ')' to close the '(' at \(opener)",
                at: end)
        }
        topLevel = pending
    }
}
