import BranchAndBound
import Foundation

extension VerifierOptions {
    /// The memory cap applied when none is given: a quarter of physical memory, and never more than
    /// the searches' own default (2 GB), so that two runs side by side and the process's other
    /// memory still fit.
    public static var defaultQueueMemoryBytes: Int {
        let quarter = Int(clamping: ProcessInfo.processInfo.physicalMemory / 4)
        return min(InputSplitOptions().queueMemoryBytes, max(1, quarter))
    }

    /// The resident-memory limit applied when none is given (``SearchProgress/memoryLimit``): half of
    /// physical memory, so that the search stops with `unknown` well before the operating system
    /// would kill the process, whatever allocated the memory.
    public static var defaultResidentMemoryBytes: Int {
        max(1, Int(clamping: ProcessInfo.processInfo.physicalMemory / 2))
    }

    /// The memory every branch-and-bound queue of open domains may hold (input split, its fallback
    /// attempt, activation split). A search that would exceed it stops and the run answers
    /// `unknown` naming the limit, instead of being killed by the operating system.
    public var queueMemoryBytes: Int {
        get { inputSplit.queueMemoryBytes }
        set {
            inputSplit.queueMemoryBytes = newValue
            inputSplitFallback?.queueMemoryBytes = newValue
            activationSplit.queueMemoryBytes = newValue
        }
    }
}

/// `--max-memory` text: a byte count with an optional suffix K, M, G or T (powers of 1024), e.g.
/// `512M`, `2G`, `1.5G`.
public enum MemorySize {
    /// The number of bytes, or `nil` when `text` is not a positive size.
    public static func parse(_ text: String) -> Int? {
        var body = text.trimmingCharacters(in: .whitespaces).uppercased()
        if body.hasSuffix("B") { body.removeLast() }
        var factor = 1.0
        if let last = body.last, let power = ["K": 1, "M": 2, "G": 3, "T": 4][String(last)] {
            factor = pow(1024, Double(power))
            body.removeLast()
        }
        guard let value = Double(body), value.isFinite, value > 0, value * factor < 9e18 else { return nil }
        return max(1, Int(value * factor))
    }
}
