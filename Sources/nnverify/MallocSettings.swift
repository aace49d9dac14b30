import CMalloc
import Foundation

/// glibc's allocator settings for the bound computations' large temporary matrices, set once per process.
///
/// By default glibc serves a block above 128 KiB by a fresh `mmap`, unmaps it on `free` (raising that threshold
/// only as such blocks are freed) and trims the heap's free top, so each batch's matrices cost a page fault per
/// 4 KiB page, again and again. With blocks below 64 MiB kept in the heap and a trim threshold of 128 MiB, a fresh
/// `nnverify verify` of ACAS Xu `4_9 prop_1` took 22,000–38,000 page faults instead of 230,000, and the 45 prop_1
/// instances run one process each took 29.1 s instead of 35.0 s (benchmarks/RESULTS.md, issue 16 session 7).
/// Freed memory up to the trim threshold stays with the process (the resident-memory limit, `--max-memory`,
/// counts it). A `GLIBC_TUNABLES` setting of malloc's parameters is left as the user made it.
enum MallocSettings {
    static func apply() {
        if ProcessInfo.processInfo.environment["GLIBC_TUNABLES"]?.contains("glibc.malloc.") == true { return }
        _ = mallopt(nnverify_m_mmap_threshold, 64 << 20)
        _ = mallopt(nnverify_m_trim_threshold, 128 << 20)
    }
}
