import Foundation
import Testing

/// `split` then `verify` per part then `merge --split`, as a job array would run them, on the
/// bundled iris model: the merged verdict equals the direct one.
@Suite struct SplitCommandTests {
    func splitAndMerge(_ spec: String, parts: Int, by: String = "auto") throws -> (direct: CLIRunner.Output, merged: CLIRunner.Output, folder: String) {
        let folder = URL(fileURLWithPath: try CLIRunner.temporaryFile("split")).path
        let model = "models/iris/onnx/iris_mlp.onnx"
        let split = try CLIRunner.run(["split", model, spec, "--parts", "\(parts)", "--out", folder, "--timeout", "30", "--by", by])
        #expect(split.status == 0, "\(split.stdout)\(split.stderr)")
        let lines = try String(contentsOfFile: folder + "/instances.csv", encoding: .utf8).split(separator: "\n")
        #expect(lines.count == parts)
        for line in lines {
            let fields = line.split(separator: ",").map(String.init)
            let name = URL(fileURLWithPath: fields[1]).deletingPathExtension().lastPathComponent
            let out = try CLIRunner.run(["verify", folder + "/" + fields[0], folder + "/" + fields[1], "--timeout", fields[2],
                                         "--results", folder + "/results/\(name).result"])
            #expect([0, 10, 20].contains(out.status), "\(out.stdout)\(out.stderr)")
        }
        let merged = try CLIRunner.run(["merge", "--split", folder, "--output", folder + "/merged.result"])
        let direct = try CLIRunner.run(["verify", model, spec, "--timeout", "30"])
        return (direct, merged, folder)
    }

    @Test func mergedVerdictsEqualTheDirectOnes() throws {
        for spec in ["models/iris/vnnlib/demo_robust.vnnlib", "models/iris/vnnlib/row014_eps1.4.vnnlib", "models/iris/vnnlib/two_boxes_setosa.vnnlib"] {
            let (direct, merged, folder) = try splitAndMerge(spec, parts: 3)
            let verdict = direct.stdout.split(separator: "\n").first.map(String.init)
            #expect(merged.stdout.split(separator: "\n").first.map(String.init) == verdict, "\(spec): \(merged.stdout)\(merged.stderr)")
            #expect(merged.status == direct.status)
            let file = try String(contentsOfFile: folder + "/merged.result", encoding: .utf8)
            #expect(file.hasPrefix(verdict! + "\n"))
            if verdict == "sat" { #expect(file.contains("(X_0 ") && file.contains("(Y_0 ")) }
        }
    }

    @Test func badFoldersAndResultFilesAreRefused() throws {
        let (_, _, folder) = try splitAndMerge("models/iris/vnnlib/demo_robust.vnnlib", parts: 2)
        let again = try CLIRunner.run(["split", "models/iris/onnx/iris_mlp.onnx", "models/iris/vnnlib/demo_robust.vnnlib",
                                       "--parts", "2", "--out", folder])
        #expect(again.status == 1 && again.stderr.contains("already holds a split"), "\(again.stderr)")
        try "unsat\n(X_0 oops".write(toFile: folder + "/results/part_002.result", atomically: true, encoding: .utf8)
        let corrupt = try CLIRunner.run(["merge", "--split", folder])
        #expect(corrupt.status == 1 && corrupt.stderr.contains("malformed result file"), "\(corrupt.stderr)")
        try FileManager.default.removeItem(atPath: folder + "/results/part_002.result")
        let missing = try CLIRunner.run(["merge", "--split", folder])
        #expect(missing.status == 20 && missing.stdout.hasPrefix("unknown\n") && missing.stdout.contains("part_002: no result file"),
                "\(missing.stdout)")
        // A sat part whose counterexample is not one of the original is not believed.
        try "sat\n((X_0 5.8)\n(X_1 2.8)\n(X_2 4.3)\n(X_3 1.3)\n(Y_0 0)\n(Y_1 0)\n(Y_2 0))\n"
            .write(toFile: folder + "/results/part_002.result", atomically: true, encoding: .utf8)
        let forged = try CLIRunner.run(["merge", "--split", folder])
        #expect(forged.status == 20 && forged.stdout.contains("INVALID COUNTEREXAMPLE"), "\(forged.stdout)")
        let notSplit = try CLIRunner.run(["merge", "--split", folder + "/results"])
        #expect(notSplit.status == 1 && notSplit.stderr.contains("not a split folder"), "\(notSplit.stderr)")
    }

    /// Hidden-ReLU splits (VNN-LIB 2.0 parts with hidden-node constraints on the Relu inputs): each part
    /// verified by `verify`, merged, equals the direct verdict; a sat part's witness (in the 2.0 output)
    /// is re-validated against the original. A two-box property cannot be split this way: a clear error.
    @Test func hiddenSplitsMergeToTheDirectVerdict() throws {
        for (spec, parts) in [("models/iris/vnnlib/row014_eps0.83.vnnlib", 4), ("models/iris/vnnlib/row014_eps1.4.vnnlib", 3)] {
            let (direct, merged, folder) = try splitAndMerge(spec, parts: parts, by: "hidden")
            let part = try String(contentsOfFile: folder + "/vnnlib/part_001.vnnlib", encoding: .utf8)
            #expect(part.contains("(vnnlib-version <2.0>)") && part.contains("(declare-hidden "), "\(part)")
            #expect(part.contains(" 0.0))"), "a hidden-node sign constraint: \(part)")
            let verdict = direct.stdout.split(separator: "\n").first.map(String.init)
            #expect(merged.stdout.split(separator: "\n").first.map(String.init) == verdict, "\(spec): \(merged.stdout)\(merged.stderr)")
            #expect(merged.status == direct.status)
            if verdict == "sat" {
                let file = try String(contentsOfFile: folder + "/merged.result", encoding: .utf8)
                #expect(file.contains("(X_0 ") && file.contains("(Y_0 "))
            }
        }
        let folder = URL(fileURLWithPath: try CLIRunner.temporaryFile("split")).path
        let twoBoxes = try CLIRunner.run(["split", "models/iris/onnx/iris_mlp.onnx", "models/iris/vnnlib/two_boxes_setosa.vnnlib",
                                          "--parts", "2", "--out", folder, "--by", "hidden"])
        #expect(twoBoxes.status == 1 && twoBoxes.stderr.contains("cannot split on hidden ReLUs: the property has 2 input boxes"),
                "\(twoBoxes.stderr)")
        // Every neuron stable on a tiny box: nothing to split on hidden ReLUs; auto then cuts the box instead.
        let stable = try CLIRunner.run(["split", "models/iris/onnx/iris_mlp.onnx", "models/iris/vnnlib/demo_robust.vnnlib",
                                        "--parts", "2", "--out", folder, "--by", "hidden"])
        #expect(stable.status == 1 && stable.stderr.contains("every neuron is stable or split after 1 part(s)"), "\(stable.stderr)")
    }
}
