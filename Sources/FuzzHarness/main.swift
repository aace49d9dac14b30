import Foundation

// nnverify-fuzz: a seeded mutation fuzzer for nnverify's readers (VNN-LIB, ONNX, CSV, NPY, NPZ).
// See fuzz/README.md and `nnverify-fuzz --help`.

let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.isEmpty || arguments.contains("--help") || arguments.contains("-h") {
    print(Options.usage)
    exit(arguments.isEmpty ? 64 : 0)
}
if arguments.count >= 2, arguments[1] == "--libfuzzer", let format = FuzzFormat(rawValue: arguments[0]) {
    // nnverify-fuzz <format> --libfuzzer [libFuzzer flags] [corpus directories]
    let scratch = ProcessInfo.processInfo.environment["NNVERIFY_FUZZ_SCRATCH"] ?? FileManager.default.temporaryDirectory.path
    guard let status = LibFuzzerEntry.run(format: format, scratch: scratch, arguments: Array(arguments.dropFirst(2))) else {
        FileHandle.standardError.write(Data("nnverify-fuzz: this binary has no libFuzzer driver; build it with fuzz/libfuzzer.sh\n".utf8))
        exit(64)
    }
    exit(status)
}

let options: Options
switch Options.parse(arguments) {
case .success(let parsed): options = parsed
case .failure(let error):
    FileHandle.standardError.write(Data("nnverify-fuzz: \(error.message)\n\n\(Options.usage)\n".utf8))
    exit(64)
}

if let replay = options.replay {
    let t0 = Clock.now()
    let outcome = options.format.check(path: replay)
    let seconds = String(format: "%.3f", Double(Clock.now() - t0) / 1e9)
    switch outcome {
    case .accepted: print("accepted (\(seconds) s)")
    case .rejected(let message): print("rejected with a typed error (\(seconds) s):\n\(message)")
    case .failure(let why):
        print("FAILURE (\(seconds) s): \(why)")
        exit(2)
    }
    exit(0)
}

do {
    let seeds = try Campaign.loadCorpus(options.corpus ?? ".", format: options.format)
    let figures = try Campaign(options: options, seeds: seeds).run()
    let rss = Clock.peakRSSKiB().map { String(format: "%.1f MiB", Double($0) / 1024) } ?? "unknown"
    print("""
        nnverify-fuzz \(options.format.rawValue) seed \(options.seed): \(seeds.count) corpus files
          inputs tried            \(figures.tried)
          accepted                \(figures.accepted)
          rejected (typed error)  \(figures.rejected)
          failures                \(figures.failures)
          max seconds per input   \(String(format: "%.4f", figures.maxSeconds)) (input \(figures.slowestInput))
          peak RSS                \(rss)
        """)
    print("RESULT format=\(options.format.rawValue) seed=\(options.seed) inputs=\(figures.tried) accepted=\(figures.accepted) "
        + "rejected=\(figures.rejected) failures=\(figures.failures) max_seconds=\(String(format: "%.4f", figures.maxSeconds)) "
        + "peak_rss_kib=\(Clock.peakRSSKiB() ?? -1)")
    exit(figures.failures > 0 ? 2 : 0)
} catch let error as UsageError {
    FileHandle.standardError.write(Data("nnverify-fuzz: \(error.message)\n".utf8))
    exit(64)
} catch {
    FileHandle.standardError.write(Data("nnverify-fuzz: \(error)\n".utf8))
    exit(64)
}
