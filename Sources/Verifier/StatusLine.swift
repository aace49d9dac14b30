import BranchAndBound
import Dispatch
import Foundation

/// A live status line for a terminal: every `interval` seconds it redraws one line in place —
/// carriage return, the text, erase to the end of the line — from a ``SearchProgress``; ``stop()``
/// erases it again, so the output that follows starts on a clean line and nothing of the status
/// remains. The caller decides whether to show one at all (only when standard error is a terminal
/// and `--quiet` is not given): this type only draws.
public final class StatusLine: @unchecked Sendable {
    private let progress: SearchProgress
    private let write: @Sendable (String) -> Void
    private let width: Int
    private let started = Date()
    private let lock = NSLock()
    private var timer: DispatchSourceTimer?
    private var drawn = false
    private var stopped = false

    /// Draws nothing during the first `delay` seconds (a short run shows no status), then every
    /// `interval` seconds; `write` receives the escape sequences and text, `width` is the terminal's.
    public init(progress: SearchProgress, width: Int = 80, delay: Double = 1, interval: Double = 0.5,
                write: @escaping @Sendable (String) -> Void) {
        self.progress = progress
        self.write = write
        self.width = width
        let timer = DispatchSource.makeTimerSource(queue: .global(qos: .utility))
        timer.schedule(deadline: .now() + delay, repeating: interval)
        timer.setEventHandler { [weak self] in self?.draw() }
        self.timer = timer
        timer.resume()
    }

    /// Stops the timer and erases the line if one was drawn; after it returns nothing more is
    /// written. Safe to call twice and from any thread.
    public func stop() {
        lock.withLock {
            guard !stopped else { return }
            stopped = true
            timer?.cancel()
            timer = nil
            if drawn { write("\r\u{1B}[K") }
        }
    }

    deinit { timer?.cancel() }

    private func draw() {
        let text = Self.text(progress.snapshot, elapsed: Date().timeIntervalSince(started), width: width)
        lock.withLock {
            guard !stopped else { return }
            write("\r" + text + "\u{1B}[K")
            drawn = true
        }
    }

    /// The line's text: stage, elapsed time, and during a search the domains bounded so far, the
    /// open domains and the lowest bound among them, cut to `width - 1` characters (a line as wide
    /// as the terminal would wrap on some terminals before the carriage return).
    public static func text(_ s: SearchProgress.Snapshot, elapsed: Double, width: Int = 80) -> String {
        var parts = [s.stage, String(format: "%.1f s", elapsed)]
        if s.domainsBounded > 0 {
            parts.append("\(grouped(s.domainsBounded)) domains bounded")
            parts.append("\(grouped(s.openDomains)) open")
            if let b = s.lowestBound { parts.append(String(format: "lowest bound %.4g", b)) }
        }
        let line = parts.joined(separator: " | ")
        let limit = max(1, width - 1)
        return line.count <= limit ? line : String(line.prefix(limit))
    }

    /// `n` with thin groups of three digits (`1,234,567`).
    static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + out
    }
}
