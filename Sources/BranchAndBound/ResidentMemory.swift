import Foundation

/// The resident memory of this process (pages in RAM), as the operating system counts it for its
/// memory limits: everything the run holds — queues, relaxation caches, LP problems inside GLPK,
/// the model — whoever allocated it.
public enum ResidentMemory {
    /// Bytes resident now, or nil where the system does not say (only Linux's `/proc/self/statm` is read).
    public static func bytes() -> Int? {
        #if os(Linux)
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .ascii) else { return nil }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return nil }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
        #else
        return nil
        #endif
    }
}

extension ResidentMemory {
    /// Why a process holding more than `limit` resident bytes must stop, or nil while it holds less (or
    /// the system does not say).
    public static func exceeded(_ limit: Int) -> String? {
        guard let resident = bytes(), resident > limit else { return nil }
        return "resident memory \(resident >> 20) MB exceeded the limit of \(limit >> 20) MB (memory limit)"
    }
}

/// The resident-memory limit for work that has no batches to report to ``SearchProgress``: GLPK's
/// branch-and-cut (checked from its callback, many times a second) and α-CROWN's iterations. Reads of
/// `/proc` are spaced at least ``interval`` apart, and once the limit was exceeded every later check says
/// so, with the ``reason`` recorded, so the caller can name it in its `unknown`.
public final class ResidentMemoryStop: @unchecked Sendable {
    public let limit: Int
    /// Seconds between two reads of the resident size.
    public static let interval = 0.05
    private let lock = NSLock()
    private var lastRead = Date.distantPast
    private var stopped: String?

    public init(limit: Int) { self.limit = limit }

    /// Why to stop now (the limit was exceeded, now or at an earlier check), or nil to go on.
    public func check() -> String? {
        lock.withLock {
            if stopped == nil, Date().timeIntervalSince(lastRead) >= Self.interval {
                lastRead = Date()
                stopped = ResidentMemory.exceeded(limit)
            }
            return stopped
        }
    }

    /// The reason recorded by a check that stopped, or nil.
    public var reason: String? { lock.withLock { stopped } }
}
