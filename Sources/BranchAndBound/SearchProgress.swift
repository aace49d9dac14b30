import Foundation

/// What a running verification is doing, for a live status line, and the memory limit of the
/// process: the verifier names the stage, the searches report every batch, and another thread (a
/// timer) reads a ``Snapshot`` at any time. Both sides hold the lock only for a few stores or loads,
/// once per batch, so a search pays nothing measurable for it; a search with no progress object set
/// pays nothing at all.
///
/// With a ``memoryLimit`` every report also reads the process's resident memory: the searches
/// stop (`unknown`, with the reason) when it exceeds the limit. That covers what the queue limit
/// alone does not — relaxation caches, LP problems, everything a batch allocates — at the
/// granularity of one batch (a single batch larger than the limit is noticed once it ends).
public final class SearchProgress: @unchecked Sendable {
    /// The state at one moment.
    public struct Snapshot: Sendable, Equatable {
        /// What runs now, e.g. `attack (PGD)` or `input split, case 2/5`.
        public var stage = "loading"
        /// Domains bounded so far by every search of the run.
        public var domainsBounded = 0
        /// Open domains in the queue of the current search (0 outside a search).
        public var openDomains = 0
        /// The lowest lower bound of the spec margin over the current search's open domains: the
        /// search proves the case once every open domain's bound is positive. Nil outside a search, or
        /// when the queue is empty.
        public var lowestBound: Double?

        public init(stage: String = "loading", domainsBounded: Int = 0, openDomains: Int = 0, lowestBound: Double? = nil) {
            self.stage = stage
            self.domainsBounded = domainsBounded
            self.openDomains = openDomains
            self.lowestBound = lowestBound
        }
    }

    private let lock = NSLock()
    private var state = Snapshot()
    /// Resident bytes beyond which ``record(bounded:open:lowestBound:)`` tells the search to stop.
    public let memoryLimit: Int?
    /// Whether reports compute ``Snapshot/lowestBound`` (an O(queue) minimum: only when it is shown).
    public let tracksBound: Bool

    public init(memoryLimit: Int? = nil, tracksBound: Bool = true) {
        self.memoryLimit = memoryLimit
        self.tracksBound = tracksBound
    }

    /// A consistent copy of the current state.
    public var snapshot: Snapshot { lock.withLock { state } }

    /// A new stage begins; the previous search's queue and bound no longer apply.
    public func stage(_ name: String) {
        lock.withLock {
            state.stage = name
            state.openDomains = 0
            state.lowestBound = nil
        }
    }

    /// A search finished a batch: `bounded` more domains, `open` left in its queue, the lowest bound
    /// among them (evaluated only when ``tracksBound``). Returns why the search must stop — the
    /// resident memory exceeds ``memoryLimit`` — or nil to go on.
    public func record(bounded: Int, open: Int, lowestBound: @autoclosure () -> Double?) -> String? {
        let bound = tracksBound ? lowestBound() : nil
        lock.withLock {
            state.domainsBounded += bounded
            state.openDomains = open
            state.lowestBound = bound
        }
        return memoryLimit.flatMap(ResidentMemory.exceeded)
    }
}
