import Foundation

/// Prints a measurement line of a test (numbers quoted in benchmarks/RESULTS.md) on standard error:
/// `SilenceTests` captures standard output while GLPK solves and fails on any line it did not expect, so
/// tests running beside it must not print there.
func report(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
