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
