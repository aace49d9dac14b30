import Foundation
import LinearAlgebra

/// The first candidate found per problem, shared between workers so that each stops working on a
/// problem another worker has already solved.
final class FoundCandidates: @unchecked Sendable {
    private var found: [[Double]?]
    private let lock = NSLock()
    init(count: Int) { found = Array(repeating: nil, count: count) }
    /// Records `x` for `problem` unless a candidate is already known.
    func record(_ problem: Int, _ x: [Double]) {
        lock.lock(); if found[problem] == nil { found[problem] = x }; lock.unlock()
    }
    func has(_ problem: Int) -> Bool { lock.lock(); defer { lock.unlock() }; return found[problem] != nil }
    var all: [[Double]?] { lock.lock(); defer { lock.unlock() }; return found }
}
