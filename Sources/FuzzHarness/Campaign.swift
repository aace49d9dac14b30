import DataFiles
import Foundation

/// One fuzzing campaign: a format, its corpus and a seed. Input `i` is corpus file `f` (chosen by
/// the input's own generator) mutated by that generator, so any input can be regenerated alone.
struct Campaign {
    /// A corpus file: its name and bytes (and, for `.npz`, its members).
    struct Seed {
        let name: String
        let bytes: [UInt8]
        let members: NPZMutations.Members
    }

    /// Counts and extremes over the inputs tried.
    struct Figures {
        var tried = 0
        var accepted = 0
        var rejected = 0
        var failures = 0
        var maxSeconds = 0.0
        var slowestInput = -1
    }

    let options: Options
    let seeds: [Seed]

    /// Reads every file with the format's extension under `directory` (recursively), sorted by path.
    static func loadCorpus(_ directory: String, format: FuzzFormat) throws -> [Seed] {
        guard let walker = FileManager.default.enumerator(atPath: directory) else {
            throw UsageError("cannot read the corpus directory '\(directory)'")
        }
        var names: [String] = []
        while let name = walker.nextObject() as? String {
            if name.lowercased().hasSuffix("." + format.fileExtension) { names.append(name) }
        }
        var seeds: [Seed] = []
        for name in names.sorted() {
            let path = (directory as NSString).appendingPathComponent(name)
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
            var members: NPZMutations.Members = []
            if format == .npz, let archive = try? NPZArchive(data: Data(bytes), fileName: name) {
                members = archive.entries.compactMap { entry in (try? archive.contents(of: entry)).map { (entry.name, $0) } }
            }
            seeds.append(Seed(name: name, bytes: bytes, members: members))
        }
        guard !seeds.isEmpty else { throw UsageError("no .\(format.fileExtension) files in the corpus directory '\(directory)'") }
        return seeds
    }

    /// Input `index`: the mutated bytes and what was done to them.
    func input(_ index: Int) -> ([UInt8], [String]) {
        var rng = SeededRandom(seed: options.seed, index: UInt64(index))
        let seed = rng.pick(seeds)
        let other = rng.pick(seeds).bytes
        if rng.oneIn(50) { return (seed.bytes, ["unmutated \(seed.name)"]) }
        let (bytes, log): ([UInt8], [String])
        switch options.format {
        case .vnnlib: (bytes, log) = VNNLibMutations.mutate(seed.bytes, other: other, &rng)
        case .onnx: (bytes, log) = ONNXMutations.mutate(seed.bytes, other: other, &rng)
        case .csv: (bytes, log) = CSVMutations.mutate(seed.bytes, other: other, &rng)
        case .npy: (bytes, log) = NPYMutations.mutate(seed.bytes, other: other, &rng)
        case .npz: (bytes, log) = NPZMutations.mutate(seed.bytes, members: seed.members, other: other, &rng)
        }
        return (bytes, ["from \(seed.name)"] + log)
    }

    /// Runs the campaign; returns its figures. Failures are kept in the failures directory; a hang
    /// ends the process from the watchdog.
    func run() throws -> Figures {
        let recorder = try InputRecorder(directory: options.failures, scratch: options.scratch ?? options.failures, format: options.format, seed: options.seed)
        let watchdog = Watchdog(limitSeconds: options.maxSecondsPerInput, recorder: recorder)
        watchdog.start()
        var figures = Figures()
        let start = Clock.now()
        for index in options.firstIndex..<(options.firstIndex + options.iterations) {
            if let limit = options.maxTotalSeconds, Double(Clock.now() - start) / 1e9 > limit { break }
            let (bytes, log) = input(index)
            try recorder.record(bytes, index: index, mutations: log)
            watchdog.begin(index)
            let t0 = Clock.now()
            let outcome = options.format.check(path: recorder.currentPath)
            let seconds = Double(Clock.now() - t0) / 1e9
            watchdog.end()
            figures.tried += 1
            if seconds > figures.maxSeconds { (figures.maxSeconds, figures.slowestInput) = (seconds, index) }
            switch outcome {
            case .accepted: figures.accepted += 1
            case .rejected: figures.rejected += 1
            case .failure(let why):
                figures.failures += 1
                let path = recorder.keep(kind: "failure", index: index, note: why)
                FileHandle.standardError.write(Data("nnverify-fuzz: FAILURE on input \(index): \(why.prefix(500))\n  kept as \(path)\n".utf8))
            }
        }
        recorder.clear()
        return figures
    }
}
