import Foundation
import NNGraph

/// Limits on the backward passes of one intermediate-bound computation, so that a large network (an
/// image-scale convolutional one, or many domains at once) degrades to interval bounds instead of
/// exhausting memory or running far past its deadline. Skipping a refinement is always sound: the value
/// keeps its interval bounds (intersected with any known ones).
///
/// - Memory: a backward pass from value `v` holds coefficient blocks of `rows x size` for every value it
///   passes; rows are processed in chunks so that no block exceeds ``maxBlockElements``.
/// - Work: `rows · Σ size(values up to v)` estimates the multiply-adds of the pass (an underestimate for
///   convolutions); once the total of a computation would exceed ``maxWork``, later values are not
///   refined, and chunks are small enough (``maxChunkWork``) that the deadline is checked often.
/// - Time: at the deadline the remaining neurons keep their interval bounds.
public struct BackwardBudget {
    /// Elements of the largest coefficient block of one chunk (2²⁵ doubles: 256 MB).
    public static let maxBlockElements = 1 << 25
    /// Estimated multiply-adds of one intermediate-bound computation.
    public static let maxWork = 4e9
    /// Estimated multiply-adds of one chunk of rows (between deadline checks).
    public static let maxChunkWork = 2e8

    /// Per value: the largest size of the values up to it, and the sum of their sizes.
    let largest: [Int]
    let total: [Double]
    let variants: Int
    let deadline: Date?
    private(set) var spent = 0.0

    init(network: Network, variants: Int, deadline: Date? = nil) {
        self.deadline = deadline
        var largest = [network.inputSize], total = [Double(network.inputSize)]
        for node in network.nodes {
            largest.append(max(largest.last!, node.op.outputSize))
            total.append(total.last! + Double(node.op.outputSize))
        }
        self.largest = largest
        self.total = total
        self.variants = max(1, variants)
    }

    /// Whether `rows` rows of backward passes from `v` fit in what is left of the work budget (and
    /// charges them when they do).
    mutating func admits(rows: Int, through v: ValueID) -> Bool {
        if isPastDeadline { return false }
        let work = Double(rows) * total[v] * Double(variants)
        guard spent + work <= Self.maxWork else { return false }
        spent += work
        return true
    }

    /// Whether the deadline has passed.
    var isPastDeadline: Bool { deadline.map { Date() >= $0 } ?? false }

    /// Ranges of `count` neuron picks (two rows each) whose blocks stay under ``maxBlockElements`` and
    /// whose work stays under ``maxChunkWork``.
    func chunks(_ count: Int, through v: ValueID) -> [Range<Int>] {
        let byMemory = Self.maxBlockElements / max(1, 2 * largest[v])
        let byWork = Int(Self.maxChunkWork / max(1, 2 * total[v] * Double(variants)))
        let per = max(1, min(byMemory, byWork))
        return stride(from: 0, to: count, by: per).map { $0..<min($0 + per, count) }
    }
}
