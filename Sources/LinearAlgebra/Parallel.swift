import Dispatch
import Foundation

/// Runs `body` on contiguous chunks of `0..<count`, one chunk per thread (up to `threads`), and
/// returns the chunks' results in order. With more than one thread OpenBLAS is limited to one
/// thread while they run, so that the two levels of parallelism do not oversubscribe the cores, and
/// its previous setting is restored afterwards.
public func inParallel<T: Sendable>(count: Int, threads: Int, _ body: @Sendable (Range<Int>) -> T) -> [T] {
    let workers = max(1, min(threads, count))
    if workers == 1 { return [body(0..<count)] }
    let blasThreads = Matrix.blasThreads
    Matrix.setBLASThreads(1)
    defer { Matrix.setBLASThreads(blasThreads) }
    let chunk = (count + workers - 1) / workers
    let slots = Slots<T>(count: workers)
    DispatchQueue.concurrentPerform(iterations: workers) { w in
        let lo = min(count, w * chunk), hi = min(count, lo + chunk)
        slots.set(w, body(lo..<hi))
    }
    return slots.values
}

/// Lock-protected result slots filled by parallel workers.
final class Slots<T: Sendable>: @unchecked Sendable {
    private var slots: [T?]
    private let lock = NSLock()
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ value: T) { lock.lock(); slots[i] = value; lock.unlock() }
    var values: [T] { lock.lock(); defer { lock.unlock() }; return slots.compactMap { $0 } }
}
