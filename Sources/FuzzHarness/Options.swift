import Foundation

/// Command-line options of `nnverify-fuzz`.
struct Options {
    var format: FuzzFormat
    var corpus: String?
    var iterations = 1_000
    var firstIndex = 0
    var seed: UInt64 = 1
    var maxSecondsPerInput = 10.0
    var maxTotalSeconds: Double?
    var failures = "fuzz/failures"
    /// Where `current.<ext>` is written before each parse (default: the failures directory); a
    /// RAM-backed directory such as /dev/shm makes the per-input write cheap.
    var scratch: String?
    var replay: String?

    static let usage = """
        usage: nnverify-fuzz <vnnlib|onnx|csv|npy|npz> --corpus DIR [--iterations N] [--seed S] [--first I]
                             [--max-seconds-per-input T] [--seconds TOTAL] [--save-failures DIR] [--scratch DIR]
               nnverify-fuzz <format> --replay FILE
               nnverify-fuzz <format> --libfuzzer [libFuzzer flags] [DIR...]   (binary from fuzz/libfuzzer.sh)

        Mutates the corpus files of the format (seeded, deterministic: input i of seed S is always the
        same; --first I starts at input I, so `--first I --iterations 1` regenerates input I), parses each mutated input in-process and classifies it: accepted, rejected with the
        reader's typed error naming the file, or a failure (any other error, an error without the file
        name, an accepted input breaking the reader's contract, or a hang). Each input is written to
        current.<ext> (with current.txt saying how it was made) in the scratch directory (default: the failures
        directory) before it is parsed, so a crash leaves it behind.
        Exit status: 0 no failures, 2 failures (kept in the failures directory), 3 hang, 64 usage error.
        """

    /// Parses `arguments` (without the program name); nil with a message on bad usage.
    static func parse(_ arguments: [String]) -> Result<Options, UsageError> {
        guard let first = arguments.first, let format = FuzzFormat(rawValue: first) else {
            return .failure(UsageError("expected a format (vnnlib, onnx, csv, npy or npz) first"))
        }
        var options = Options(format: format)
        var rest = arguments.dropFirst()
        while let flag = rest.popFirst() {
            guard let value = rest.popFirst() else { return .failure(UsageError("\(flag) needs a value")) }
            switch flag {
            case "--corpus": options.corpus = value
            case "--save-failures": options.failures = value
            case "--scratch": options.scratch = value
            case "--replay": options.replay = value
            case "--iterations":
                guard let n = Int(value), n >= 0 else { return .failure(UsageError("--iterations must be an integer >= 0")) }
                options.iterations = n
            case "--first":
                guard let n = Int(value), n >= 0 else { return .failure(UsageError("--first must be an integer >= 0")) }
                options.firstIndex = n
            case "--seed":
                guard let s = UInt64(value) else { return .failure(UsageError("--seed must be a non-negative integer")) }
                options.seed = s
            case "--max-seconds-per-input":
                guard let t = Double(value), t > 0, t.isFinite else { return .failure(UsageError("--max-seconds-per-input must be > 0")) }
                options.maxSecondsPerInput = t
            case "--seconds":
                guard let t = Double(value), t > 0, t.isFinite else { return .failure(UsageError("--seconds must be > 0")) }
                options.maxTotalSeconds = t
            default:
                return .failure(UsageError("unknown option '\(flag)'"))
            }
        }
        if options.corpus == nil && options.replay == nil {
            return .failure(UsageError("give --corpus DIR (or --replay FILE)"))
        }
        return .success(options)
    }
}

/// A command-line mistake, printed with the usage.
struct UsageError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}
