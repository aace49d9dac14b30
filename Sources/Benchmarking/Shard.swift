/// One share of a suite for a job array: `--shard I/N` runs the instances that ``assign(_:)`` gives
/// to shard `I` (1-based) of `N`.
///
/// The assignment is greedy longest-processing-time (LPT) on the instances' timeouts, taken in a
/// stable order (timeout descending, then csv position), each instance going to the shard with the
/// least total timeout so far (ties: the lowest shard number). It depends only on the csv, so every
/// array task computes the same partition without talking to the others; every instance lands in
/// exactly one shard, and the largest shard's total timeout is within one instance's timeout of the
/// average (LPT's bound), so a job array finishes close to the best makespan a timeout budget allows.
public struct Shard: Sendable, Equatable, CustomStringConvertible {
    /// 1-based number of this shard.
    public let index: Int
    /// Number of shards (>= 1).
    public let count: Int

    /// Creates shard `index` of `count`.
    /// - Throws: `.invalidOption` unless `1 <= index <= count`.
    public init(index: Int, count: Int) throws(BenchmarkingError) {
        guard count >= 1, (1...count).contains(index) else {
            throw .invalidOption(name: "shard", value: "\(index)/\(count)",
                                 requirement: "must be I/N with N >= 1 and 1 <= I <= N (I is 1-based)")
        }
        self.index = index
        self.count = count
    }

    /// Parses `I/N`, e.g. `2/7`.
    /// - Throws: `.invalidOption` naming the text when it is not two integers with `1 <= I <= N`.
    public init(parsing text: String) throws(BenchmarkingError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let i = Int(parts[0].trimmingSpaces), let n = Int(parts[1].trimmingSpaces) else {
            throw .invalidOption(name: "shard", value: text, requirement: "must be I/N with N >= 1 and 1 <= I <= N (I is 1-based)")
        }
        try self.init(index: i, count: n)
    }

    /// `I/N`.
    public var description: String { "\(index)/\(count)" }

    /// The shard number (1-based) of every instance, in csv order.
    public static func assignment(timeouts: [Double], count: Int) -> [Int] {
        precondition(count >= 1, "shard count must be positive")
        let order = timeouts.indices.sorted { timeouts[$0] != timeouts[$1] ? timeouts[$0] > timeouts[$1] : $0 < $1 }
        var load = [Double](repeating: 0, count: count)
        var shardOf = [Int](repeating: 0, count: timeouts.count)
        for position in order {
            var best = 0
            for shard in 1..<count where load[shard] < load[best] { best = shard }
            load[best] += timeouts[position]
            shardOf[position] = best + 1
        }
        return shardOf
    }

    /// The instances of this shard, in csv order.
    public func select(_ instances: [Instance]) -> [Instance] {
        select(instances, timeout: \.timeoutSeconds)
    }

    /// The elements of this shard from any list, given each element's timeout.
    public func select<T>(_ items: [T], timeout: (T) -> Double) -> [T] {
        let shardOf = Self.assignment(timeouts: items.map(timeout), count: count)
        return zip(items, shardOf).filter { $0.1 == index }.map(\.0)
    }
}

extension Substring {
    var trimmingSpaces: Substring {
        var value = self
        while value.first == " " { value = value.dropFirst() }
        while value.last == " " { value = value.dropLast() }
        return value
    }
}
