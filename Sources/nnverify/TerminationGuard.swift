import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Makes `verify` answer when a harness or Slurm stops it: on SIGTERM or SIGINT the result file
/// gets `timeout` (the search was cut short) and the process exits at once with status 20.
///
/// Exactly one of the signal handler and the main thread writes the result file: whoever calls
/// ``claim()`` first. The verifier returns a `sat` the moment its counterexample validates, so a
/// validated witness is always the main thread's to write: once it has a result it claims, and a
/// signal arriving later changes nothing. The handler does not unwind the search — threads that
/// are still bounding domains simply end with the process — so the exit takes milliseconds
/// whatever the search is doing.
final class TerminationGuard: @unchecked Sendable {
    private let lock = NSLock()
    private var claimed = false
    private var sources = [DispatchSourceSignal]()
    private let results: String?
    private var word = "timeout"
    private var beforeExit: (@Sendable () -> Void)?

    /// Installs the handlers; `results` is the result file to write (if any).
    init(results: String?) {
        self.results = results
        for number in [SIGTERM, SIGINT] {
            signal(number, SIG_IGN)  // delivered to the dispatch source instead of killing the process
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global(qos: .userInteractive))
            source.setEventHandler { [unowned self] in self.stop(signal: number) }
            source.resume()
            sources.append(source)
        }
    }

    /// The verdict word written on a signal: `timeout`, or the VNN-LIB 2.0 interface's `timed-out`.
    func answer(_ text: String) {
        lock.lock()
        defer { lock.unlock() }
        word = text
    }

    /// `body` runs on a signal before anything is printed (it erases the status line).
    func onSignal(_ body: @escaping @Sendable () -> Void) {
        lock.lock()
        defer { lock.unlock() }
        beforeExit = body
    }

    /// Takes over the result file for the main thread; `false` when a signal already did (the
    /// process is exiting: the caller must not write).
    func claim() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        if claimed { return false }
        claimed = true
        return true
    }

    private func stop(signal number: Int32) {
        guard claim() else { return }
        let name = number == SIGTERM ? "SIGTERM" : "SIGINT"
        lock.lock()
        let verdict = word
        let erase = beforeExit
        lock.unlock()
        erase?()
        if let results { try? "\(verdict)\n".write(toFile: results, atomically: true, encoding: .utf8) }
        FileHandle.standardOutput.write(Data("\(verdict)\n  decided by: \(name) (stopped before a decision)\n".utf8))
        _exit(20)
    }
}
