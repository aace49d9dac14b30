import Foundation
import Testing

/// End-to-end runs of `nnverify attack` on the bundled models, specs and labelled digits.
@Suite struct AttackCommandTests {
    let iris = "models/iris/onnx/iris_mlp.onnx"
    let digits = "models/digits/onnx/digits_mlp.onnx"
    let digitsCSV = "models/digits/data/digits_test.csv"

    @Test(arguments: ["fgsm", "pgd", "cw"])
    func findsTheBundledCounterexampleAndWritesTheResultFile(method: String) throws {
        let results = try CLIRunner.temporaryFile("attack-\(method).txt")
        let out = try CLIRunner.run(["attack", iris, "models/iris/vnnlib/demo_sat.vnnlib", "--method", method, "--results", results])
        #expect(out.status == 10, "\(out.stdout)\(out.stderr)")
        #expect(out.stdout.hasPrefix("sat\n"))
        #expect(out.stdout.contains("attack (\(method))"))
        let lines = try String(contentsOfFile: results, encoding: .utf8).split(separator: "\n")
        #expect(lines.first == "sat" && lines.count == 1 + 4 + 3)
    }

    @Test func reportsUnknownWhereThePropertyHolds() throws {
        let fgsm = try CLIRunner.run(["attack", iris, "models/iris/vnnlib/demo_robust.vnnlib", "--method", "fgsm"])
        #expect(fgsm.status == 20)
        #expect(fgsm.stdout.hasPrefix("unknown\n"))
        let pgd = try CLIRunner.run(["attack", iris, "models/iris/vnnlib/demo_robust.vnnlib", "--timeout", "1"])
        #expect(pgd.status == 20)
        #expect(pgd.stdout.hasPrefix("timeout\n"), "PGD repeats until the budget is spent: \(pgd.stdout)")
    }

    func found(_ stdout: String) -> Int? {
        guard let line = stdout.split(separator: "\n").first(where: { $0.contains("attack success:") }),
              let open = line.firstIndex(of: "(") else { return nil }
        return Int(line[line.index(after: open)...].prefix { $0.isNumber })
    }

    @Test func attacksALabelledDataSetAndWritesPerInputRows() throws {
        let results = try CLIRunner.temporaryFile("digits.csv")
        var counts = [String: Int]()
        for method in ["fgsm", "pgd"] {
            let out = try CLIRunner.run(["attack", digits, "--inputs", digitsCSV, "--eps", "0.1", "--limit", "40",
                                         "--method", method, "--results", results])
            #expect(out.status == 0, "\(out.stderr)")
            #expect(out.stdout.contains("clean accuracy:"))
            counts[method] = found(out.stdout)
            let rows = try String(contentsOfFile: results, encoding: .utf8).split(separator: "\n")
            #expect(rows.first == "index,label,predicted,outcome,linf,l2,seconds")
            #expect(rows.count == 41)
            for row in rows.dropFirst() where row.contains(",found,") {
                let linf = Double(row.split(separator: ",", omittingEmptySubsequences: false)[4]) ?? .infinity
                #expect(linf <= 0.1, "L∞ distance beyond eps: \(row)")
            }
        }
        let f = try #require(counts["fgsm"]), p = try #require(counts["pgd"])
        #expect(f > 0 && f <= p, "FGSM \(f), PGD \(p)")
    }

    @Test func carliniWagnerOnImagesWritesPNGs() throws {
        let dir = try CLIRunner.temporaryFile("cw-images")
        try? FileManager.default.removeItem(atPath: dir)
        let out = try CLIRunner.run(["attack", digits, "--inputs", "models/digits/data/digits_test.npz", "--eps", "1",
                                     "--norm", "l2", "--method", "cw", "--limit", "3", "--steps", "200", "--images", dir, "--image-shape", "1,8,8"])
        #expect(out.status == 0, "\(out.stderr)")
        let files = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        #expect(!files.isEmpty && files.count % 3 == 0, "\(files)")
        for file in files {
            let data = try Data(contentsOf: URL(fileURLWithPath: dir).appendingPathComponent(file))
            #expect(data.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        }
    }

    /// `--mean 0 --std 1` is the identity; a zero std or unpaired flags are bad input.
    @Test func inputNormalisationFlags() throws {
        let base = ["attack", digits, "--inputs", digitsCSV, "--eps", "0.1", "--limit", "20", "--quiet"]
        let plain = try CLIRunner.run(base), identity = try CLIRunner.run(base + ["--mean", "0", "--std", "1"])
        #expect(plain.status == 0 && identity.status == 0)
        #expect(found(plain.stdout) != nil && found(plain.stdout) == found(identity.stdout))
        try expectError(base + ["--mean", "0.5", "--std", "0"], mentions: ["std > 0"])
        try expectError(base + ["--mean", "0.5"], mentions: ["--mean and --std"])
    }

    @Test func targetedAttackSkipsTheTargetClass() throws {
        let out = try CLIRunner.run(["attack", digits, "--inputs", digitsCSV, "--eps", "0.2", "--limit", "30", "--target", "3"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("skipped"))
    }

    func expectError(_ arguments: [String], mentions needles: [String], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let out = try CLIRunner.run(arguments, timeout: 60)
        #expect(out.status == 1, "exit status \(out.status): \(out.stdout)\(out.stderr)", sourceLocation: sourceLocation)
        for needle in needles {
            #expect(out.stderr.contains(needle), "stderr lacks '\(needle)': \(out.stderr)", sourceLocation: sourceLocation)
        }
    }

    @Test func badInputGetsAClearError() throws {
        let short = try CLIRunner.temporaryFile("short.csv", contents: "label,x0,x1,x2\n1,0.1,0.2,0.3\n")
        try expectError(["attack", digits, "--inputs", short, "--eps", "0.1"], mentions: ["short.csv:2", "64"])
        let row = (0..<64).map { _ in "0.5" }.joined(separator: ",")
        let badLabel = try CLIRunner.temporaryFile("label.csv", contents: "3,\(row)\n12,\(row)\n")
        try expectError(["attack", digits, "--inputs", badLabel, "--eps", "0.1"], mentions: ["label.csv:2", "label 12"])
        try expectError(["attack", digits, "--inputs", digitsCSV, "--eps", "-0.1"], mentions: ["--eps"])
        try expectError(["attack", digits, "--inputs", digitsCSV], mentions: ["--eps"])
        try expectError(["attack", iris, "models/iris/vnnlib/demo_sat.vnnlib", "--images", "/tmp/x"], mentions: ["--image-shape"])
        try expectError(["attack", iris, "models/iris/vnnlib/demo_sat.vnnlib", "--inputs", digitsCSV, "--eps", "1"], mentions: ["not both"])
        try expectError(["attack", digits, "--inputs", digitsCSV, "--eps", "0.1", "--target", "10"], mentions: ["--target 10"])
        try expectError(["attack", digits, "--inputs", digitsCSV, "--eps", "0.1", "--range", "1,0"], mentions: ["--range"])
        try expectError(["attack", digits, "--inputs", "models/digits/data/digits_test.npz", "--eps", "0.1", "--image-shape", "2,8,8", "--images", "/tmp/x"],
                        mentions: ["--image-shape"])
    }
}
