import BranchAndBound
import Foundation
import NNGraph
import VNNLib

/// Cuts a specification into parts for separate machines: each part keeps every case's output
/// constraints over one piece of that case's input box, and the pieces of a box are the leaves of
/// repeated halvings, so their union is exactly the box.
///
/// Why the split is sound: the original is violated iff some case has a violating input in its
/// box; every such input lies in some piece, and the part holding that piece carries the same
/// output constraints. So the original is `unsat` iff every part is, and a counterexample of a part
/// is one of the original (the merge re-validates it against the original anyway).
public enum BoxSplit {
    /// `count` boxes whose union is `box`: breadth-first halvings (the oldest piece is halved next,
    /// so piece sizes differ by at most a factor of two), each along `choose(piece)` or, when that
    /// gives `nil`, the widest dimension.
    /// - Throws: ``SplitError/nothingToSplit`` when a piece has no dimension of positive width.
    public static func pieces(of box: InputBox, count: Int, case caseIndex: Int = 0,
                              choose: (InputBox) -> Int?) throws(SplitError) -> [InputBox] {
        precondition(count >= 1, "part count must be positive")
        var queue = [box]
        var next = 0
        while queue.count - next < count {
            let piece = queue[next]
            next += 1
            let widths = zip(piece.lower, piece.upper).map { $1 - $0 }
            guard let widest = widths.indices.max(by: { widths[$0] < widths[$1] }), widths[widest] > 0 else {
                throw .nothingToSplit(case: caseIndex)
            }
            let chosen = choose(piece).flatMap { widths.indices.contains($0) && widths[$0] > 0 ? $0 : nil } ?? widest
            let middle = 0.5 * (piece.lower[chosen] + piece.upper[chosen])
            var left = piece, right = piece
            left.upper[chosen] = middle
            right.lower[chosen] = middle
            queue.append(left)
            queue.append(right)
        }
        return Array(queue[next...])
    }

    /// `count` specifications: part `k` holds, for every case, that case's `k`-th piece with its
    /// output constraints. Split dimensions come from the input-split search's own choice
    /// (``InputSplitBranchAndBound/preferredSplit(of:for:deadline:)``), given `secondsPerChoice`.
    public static func parts(of specification: Specification, network: Network, count: Int,
                             secondsPerChoice: Double = 2) throws(SplitError) -> [Specification] {
        let search = InputSplitBranchAndBound(network: network)
        var piecesByCase = [[InputBox]]()
        for (index, specCase) in specification.cases.enumerated() {
            piecesByCase.append(try pieces(of: specCase.box, count: count, case: index) { piece in
                search.preferredSplit(of: piece, for: specCase, deadline: Date().addingTimeInterval(secondsPerChoice))
            })
        }
        return (0..<count).map { k in
            Specification(inputCount: specification.inputCount, outputCount: specification.outputCount,
                          cases: specification.cases.indices.map { c in
                              SpecCase(box: piecesByCase[c][k], disjuncts: specification.cases[c].disjuncts)
                          })
        }
    }
}

/// What can go wrong when splitting an instance or merging its parts.
public enum SplitError: Error, Equatable, CustomStringConvertible {
    /// A case's input box is a single point (or its pieces became points): nothing to split.
    case nothingToSplit(case: Int)
    /// A hidden-ReLU split is impossible (no Relu, several input boxes, no unstable neuron left).
    case noHiddenSplit(reason: String)
    /// The output folder already holds a split.
    case folderNotEmpty(path: String)
    /// A file could not be written or copied.
    case unwritable(path: String, reason: String)
    /// The folder is not a split folder, or one of its files is unreadable or malformed.
    case badFolder(path: String, problem: String)

    /// Whether this is ``noHiddenSplit(reason:)`` (a caller may split input boxes instead).
    public var isHiddenSplitImpossible: Bool {
        if case .noHiddenSplit = self { return true }
        return false
    }

    public var description: String {
        switch self {
        case let .nothingToSplit(index):
            return "input box \(index + 1) of the property has no input of positive width left to split"
        case let .folderNotEmpty(path):
            return "\(path): already holds a split (instances.csv exists); choose an empty folder"
        case let .noHiddenSplit(reason):
            return "cannot split on hidden ReLUs: \(reason)"
        case let .unwritable(path, reason):
            return "\(path): cannot write: \(reason)"
        case let .badFolder(path, problem):
            return "\(path): \(problem)"
        }
    }
}
