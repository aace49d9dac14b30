import Foundation

/// Keeps the input being parsed on disk, so that a crash, a hang or an out-of-memory kill leaves
/// it behind: `<scratch>/current.<ext>` holds the bytes and `<scratch>/current.txt` says which
/// campaign, seed and input index made it and which mutations were applied. Inputs worth keeping
/// (failures, hangs) are copied into the failures directory.
final class InputRecorder: @unchecked Sendable {
    let directory: String
    let scratch: String
    let format: FuzzFormat
    let seed: UInt64
    /// Path of the file holding the current input (the readers parse this file).
    let currentPath: String
    private let lock = NSLock()
    private var currentLog = ""

    init(directory: String, scratch: String, format: FuzzFormat, seed: UInt64) throws {
        self.directory = directory
        self.scratch = scratch
        self.format = format
        self.seed = seed
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        currentPath = (scratch as NSString).appendingPathComponent("current.\(format.fileExtension)")
    }

    /// Writes input `index` before it is parsed.
    func record(_ bytes: [UInt8], index: Int, mutations: [String]) throws {
        let log = "format \(format.rawValue) seed \(seed) input \(index)\n" + mutations.joined(separator: "\n") + "\n"
        lock.lock()
        currentLog = log
        lock.unlock()
        try Data(bytes).write(to: URL(fileURLWithPath: currentPath))
        try Data(log.utf8).write(to: URL(fileURLWithPath: (scratch as NSString).appendingPathComponent("current.txt")))
    }

    /// Copies the current input to `<kind>-<format>-s<seed>-i<index>.<ext>` (with a `.txt` beside it
    /// holding `note` and the mutations); returns the path. Safe to call from the watchdog thread.
    @discardableResult
    func keep(kind: String, index: Int, note: String) -> String {
        lock.lock()
        let log = currentLog
        lock.unlock()
        let base = (directory as NSString).appendingPathComponent("\(kind)-\(format.rawValue)-s\(seed)-i\(index)")
        let path = base + "." + format.fileExtension
        try? FileManager.default.removeItem(atPath: path)
        try? FileManager.default.copyItem(atPath: currentPath, toPath: path)
        try? Data((note + "\n" + log).utf8).write(to: URL(fileURLWithPath: base + ".txt"))
        return path
    }

    /// Removes `current.*` after a campaign that ended normally.
    func clear() {
        try? FileManager.default.removeItem(atPath: currentPath)
        try? FileManager.default.removeItem(atPath: (scratch as NSString).appendingPathComponent("current.txt"))
    }
}

/// A watchdog thread: when one input takes longer than the limit, it keeps the input as a hang and
/// ends the process with ``Watchdog/hangStatus`` (the parse cannot be interrupted safely).
final class Watchdog: @unchecked Sendable {
    /// The exit status after a hang.
    static let hangStatus: Int32 = 3
    private let lock = NSLock()
    private var startedAt: UInt64 = 0
    private var index = 0
    private let limitNanoseconds: UInt64
    private let recorder: InputRecorder

    init(limitSeconds: Double, recorder: InputRecorder) {
        limitNanoseconds = UInt64(limitSeconds * 1e9)
        self.recorder = recorder
    }

    /// Starts the watching thread.
    func start() {
        let thread = Thread { [self] in watch() }
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// Marks the start of parsing input `index`.
    func begin(_ index: Int) {
        lock.lock(); startedAt = Clock.now(); self.index = index; lock.unlock()
    }

    /// Marks the end of parsing the current input.
    func end() {
        lock.lock(); startedAt = 0; lock.unlock()
    }

    private func watch() {
        while true {
            Thread.sleep(forTimeInterval: 0.05)
            lock.lock()
            let (started, current) = (startedAt, index)
            lock.unlock()
            guard started != 0, Clock.now() &- started > limitNanoseconds else { continue }
            let seconds = Double(limitNanoseconds) / 1e9
            let path = recorder.keep(kind: "hang", index: current, note: "took longer than \(seconds) s")
            FileHandle.standardError.write(Data("nnverify-fuzz: HANG: input \(current) took longer than \(seconds) s; kept as \(path)\n".utf8))
            _exit(Self.hangStatus)  // no atexit handlers: the main thread is still inside the reader
        }
    }
}

/// Monotonic time and the process's peak memory.
enum Clock {
    /// Nanoseconds of a monotonic clock.
    static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

    /// Peak resident set size in KiB (`VmHWM` of /proc/self/status), or nil where unavailable.
    static func peakRSSKiB() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
        }
        return nil
    }
}
