import Foundation
import Testing

/// `bench --shard` / `--resume` and `merge` run as a user would, on the bundled iris and digits suites.
@Suite(.serialized) struct ShardResumeCommandTests {
    /// A suite folder linking a bundled suite's model and properties, listing `count` of its instances.
    static func suite(_ name: String = "iris", count: Int) throws -> String {
        let folder = URL(fileURLWithPath: try CLIRunner.temporaryFile("suite")).path
        let manager = FileManager.default
        try manager.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for sub in ["onnx", "vnnlib"] {
            try manager.createSymbolicLink(atPath: folder + "/" + sub, withDestinationPath: CLIRunner.path("models/\(name)/" + sub))
        }
        let lines = try String(contentsOfFile: CLIRunner.path("models/\(name)/instances.csv"), encoding: .utf8)
            .split(separator: "\n").prefix(count)
        try (lines.joined(separator: "\n") + "\n").write(toFile: folder + "/instances.csv", atomically: true, encoding: .utf8)
        return folder
    }

    /// `onnx vnnlib -> verdict` of a results csv, requiring each instance once.
    static func verdicts(_ path: String) throws -> [String: String] {
        var map = [String: String]()
        for line in try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").dropFirst() {
            let (key, verdict) = entry(line)
            #expect(map[key] == nil, "row for \(key) twice in \(path)")
            map[key] = verdict
        }
        return map
    }

    /// The instance (`onnx vnnlib`) and verdict of a results line.
    static func entry(_ line: Substring) -> (String, String) {
        let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        return (fields[0] + " " + fields[1], fields[2])
    }

    @Test func unionOfShardsEqualsTheUnshardedRun() throws {
        let folder = try Self.suite(count: 12)
        let csv = folder + "/instances.csv"
        let full = try CLIRunner.run(["bench", csv, "--results", folder + "/full.csv"], timeout: 300)
        #expect(full.status == 0, "\(full.stdout)\(full.stderr)")
        let expected = try Self.verdicts(folder + "/full.csv")
        #expect(expected.count == 12)
        for n in [1, 3, 7] {
            var files = [String]()
            for i in 1...n {
                let file = folder + "/shard\(n)_\(i).csv"
                let out = try CLIRunner.run(["bench", csv, "--shard", "\(i)/\(n)", "--results", file], timeout: 300)
                #expect(out.status == 0, "\(out.stdout)\(out.stderr)")
                files.append(file)
            }
            let merged = folder + "/merged\(n).csv"
            let out = try CLIRunner.run(["merge"] + files + ["--instances", csv, "--output", merged])
            #expect(out.status == 0, "\(out.stdout)\(out.stderr)")
            #expect(out.stdout.contains("12 instances:"), "\(out.stdout)")
            #expect(try Self.verdicts(merged) == expected, "N = \(n)")
            if n == 7 {
                // A missing shard and an overlapping one are refused.
                let missing = try CLIRunner.run(["merge"] + files.dropLast() + ["--instances", csv])
                #expect(missing.status == 1 && missing.stderr.contains("have no results row"), "\(missing.stderr)")
                let overlap = try CLIRunner.run(["merge"] + files + [files[0]])
                #expect(overlap.status == 1 && overlap.stderr.contains("second row for"), "\(overlap.stderr)")
            }
        }
    }

    /// The number of complete result rows (header excluded) in `path`; 0 when it does not exist yet.
    static func completeRows(_ path: String) -> Int {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return 0 }
        return max(0, text.split(separator: "\n", omittingEmptySubsequences: false).count - 2)
    }

    /// SIGKILL at random moments: every row present after a kill stays (same verdict), none is
    /// duplicated, and the resumed runs finish the suite with the unkilled verdicts.
    @Test func killedResumeRunsLoseAndDuplicateNothing() throws {
        let folder = try Self.suite("digits", count: 21)
        let csv = folder + "/instances.csv", results = folder + "/resume.csv"
        var rng = SystemRandomNumberGenerator()
        var seen = [String: String]()
        var kills = 0
        // Up to 30 runs until 4 were killed: the digits suite can finish within the random delay, and a
        // run that finished unkilled starts the sequence again from an empty results file.
        for _ in 0..<30 where kills < 4 {
            let process = Process()
            process.executableURL = CLIRunner.executable
            process.arguments = ["bench", csv, "--resume", "--results", results]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            let present = Self.completeRows(results)
            try process.run()
            // Kill at a random moment inside the run: once a random number of further rows is written
            // (the suite may take under a second, so a fixed sleep can miss it), then up to 50 ms later,
            // which lands in the next instance's search or in the middle of writing its row.
            let target = present + Int.random(in: 1...max(1, 20 - present), using: &rng)
            while process.isRunning, Self.completeRows(results) < target { Thread.sleep(forTimeInterval: 0.002) }
            if Bool.random(using: &rng) { Thread.sleep(forTimeInterval: Double.random(in: 0...0.05, using: &rng)) }
            let killed = process.isRunning
            if killed {
                kill(process.processIdentifier, SIGKILL)
                kills += 1
            }
            process.waitUntilExit()
            if !killed, Self.completeRows(results) >= 21 {
                try FileManager.default.removeItem(atPath: results)
                seen.removeAll()
                continue
            }
            guard FileManager.default.fileExists(atPath: results) else { continue }
            // Complete lines only (a partial last line is the resumed run's to drop).
            let text = try String(contentsOfFile: results, encoding: .utf8)
            for line in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().dropFirst() {
                let (key, verdict) = Self.entry(line)
                if let before = seen[key] { #expect(before == verdict) }
                seen[key] = verdict
            }
        }
        let finish = try CLIRunner.run(["bench", csv, "--resume", "--results", results,
                                        "--expected", CLIRunner.path("models/digits/expected.csv")], timeout: 300)
        #expect(finish.status == 0, "\(finish.stdout)\(finish.stderr)")
        let final = try Self.verdicts(results)
        #expect(final.count == 21, "every instance exactly once")
        for (key, verdict) in seen { #expect(final[key] == verdict, "\(key) lost or changed after a kill") }
        #expect(kills >= 4, "four runs were killed mid-way")
        // The ground truth of every instance (the unkilled run solves all 21 correctly too).
        #expect(finish.stdout.contains("21 instances: 21 solved"), "\(finish.stdout)")
        #expect(finish.stdout.contains(" 0 wrong"), "\(finish.stdout)")
    }
}
