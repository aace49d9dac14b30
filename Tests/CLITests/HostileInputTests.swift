import Foundation
import Testing

/// Hostile inputs named in the project's robustness requirements: each gives one clear error naming
/// the file (and place) and exit status 1 — no crash, no hang, no unbounded allocation.
@Suite struct HostileInputTests {
    let irisModel = "models/iris/onnx/iris_mlp.onnx"
    let irisSpec = "models/iris/vnnlib/demo_robust.vnnlib"

    func expectError(_ arguments: [String], mentions needles: [String], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let out = try CLIRunner.run(arguments, timeout: 60)
        #expect(out.status == 1, "exit status \(out.status): \(out.stdout)\(out.stderr)", sourceLocation: sourceLocation)
        for needle in needles {
            #expect(out.stderr.contains(needle), "stderr lacks '\(needle)': \(out.stderr)", sourceLocation: sourceLocation)
        }
    }

    /// An iris property (4 inputs, 3 outputs) whose asserts on X_0 are replaced by `inputAsserts`.
    func spec(_ name: String, inputAsserts: String, extraDeclarations: String = "") throws -> String {
        let declarations = (0..<4).map { "(declare-const X_\($0) Real)\n" }.joined()
            + (0..<3).map { "(declare-const Y_\($0) Real)\n" }.joined() + extraDeclarations
        let others = (1..<4).map { "(assert (>= X_\($0) 0))\n(assert (<= X_\($0) 1))\n" }.joined()
        return try CLIRunner.temporaryFile(name, contents: declarations + inputAsserts + others + "(assert (>= Y_0 Y_1))\n")
    }

    // MARK: VNN-LIB

    @Test func nanAndInfiniteBounds() throws {
        let nan = try spec("nan_bound.vnnlib", inputAsserts: "(assert (>= X_0 NaN))\n(assert (<= X_0 1))\n")
        try expectError(["verify", irisModel, nan], mentions: ["nan_bound.vnnlib:8:17", "bad number 'NaN'", "finite"])
        let inf = try spec("inf_bound.vnnlib", inputAsserts: "(assert (>= X_0 0))\n(assert (<= X_0 +inf))\n")
        try expectError(["verify", irisModel, inf], mentions: ["inf_bound.vnnlib:9:17", "bad number '+inf'"])
        let overflow = try spec("overflow_bound.vnnlib", inputAsserts: "(assert (>= X_0 0))\n(assert (<= X_0 1e309))\n")
        try expectError(["verify", irisModel, overflow], mentions: ["overflow_bound.vnnlib:9:17", "out of the range of Double"])
    }

    @Test func lowerBoundAboveUpperBound() throws {
        let file = try spec("empty_box.vnnlib", inputAsserts: "(assert (>= X_0 0.75))\n(assert (<= X_0 0.25))\n")
        try expectError(["verify", irisModel, file], mentions: ["empty_box.vnnlib:", "empty input set", "X_0"])
    }

    @Test func hundredThousandLevelsOfNesting() throws {
        let depth = 100_000
        let nested = String(repeating: "(and ", count: depth) + "(>= X_0 0)" + String(repeating: ")", count: depth)
        let file = try spec("deep.vnnlib", inputAsserts: "(assert \(nested))\n(assert (<= X_0 1))\n")
        try expectError(["verify", irisModel, file], mentions: ["deep.vnnlib:8:", "nested deeper than 100 levels"])
    }

    @Test func hugeVariableIndices() throws {
        // Declared but not contiguous: a gap of almost a billion inputs is refused, not allocated.
        let gap = try spec("huge_index.vnnlib", inputAsserts: "(assert (>= X_0 0))\n(assert (<= X_0 1))\n",
                           extraDeclarations: "(declare-const X_999999999 Real)\n")
        try expectError(["verify", irisModel, gap], mentions: ["huge_index.vnnlib:8:", "X_999999999", "gap"])
        // Beyond nine digits: not a variable name nnverify accepts.
        let long = try spec("long_index.vnnlib", inputAsserts: "(assert (>= X_0 0))\n(assert (<= X_0 1))\n",
                            extraDeclarations: "(declare-const X_18446744073709551616 Real)\n")
        try expectError(["verify", irisModel, long], mentions: ["long_index.vnnlib:8:16", "unsupported variable name"])
    }

    // MARK: ONNX

    @Test func cyclicGraphMissingInitializerAndNaNWeight() throws {
        try expectError(["verify", "Tests/Fixtures/onnx/bad_cycle.onnx", irisSpec], mentions: ["bad_cycle.onnx: ", "cycle"])
        try expectError(["verify", "Tests/Fixtures/onnx/bad_missing_initializer.onnx", irisSpec],
                        mentions: ["bad_missing_initializer.onnx: ", "missing initializer"])
        try expectError(["verify", "Tests/Fixtures/onnx/bad_nan_weight.onnx", irisSpec],
                        mentions: ["bad_nan_weight.onnx: ", "nan", "weights must be finite"])
    }

    @Test func hugeDeclaredDimensions() throws {
        try expectError(["verify", "Tests/Fixtures/onnx/bad_huge_tensor.onnx", irisSpec],
                        mentions: ["bad_huge_tensor.onnx: ", "more than the limit of"])
    }

    // MARK: CSV and NPY data

    /// An NPY v1.0 file with the given header dict and data bytes.
    func npy(_ name: String, header: String, data: [UInt8]) throws -> String {
        var text = Array(header.utf8)
        text += [UInt8](repeating: 0x20, count: (64 - (10 + text.count + 1) % 64) % 64) + [0x0A]
        let bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(text.count & 0xFF), UInt8(text.count >> 8)] + text + data
        let path = try CLIRunner.temporaryFile(name)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    func float64Bytes(_ values: [Double]) -> [UInt8] {
        values.flatMap { v in (0..<8).map { UInt8(truncatingIfNeeded: v.bitPattern >> (8 * UInt64($0))) } }
    }

    @Test func csvWithNaNAndInfiniteValues() throws {
        let nan = try CLIRunner.temporaryFile("nan.csv", contents: "label,x0,x1,x2,x3\n0,0.1,0.2,0.3,0.4\n1,0.5,nan,0.5,0.5\n")
        try expectError(["attack", irisModel, "--inputs", nan, "--eps", "0.1"], mentions: ["nan.csv:3:7", "not finite"])
        let inf = try CLIRunner.temporaryFile("inf.csv", contents: "0,0.1,0.2,0.3,-Infinity\n")
        try expectError(["attack", irisModel, "--inputs", inf, "--eps", "0.1"], mentions: ["inf.csv:1:15", "not finite"])
    }

    @Test func csvWithMoreValuesThanTheModel() throws {
        let wide = try CLIRunner.temporaryFile("wide.csv", contents: "0," + Array(repeating: "0.5", count: 100_000).joined(separator: ",") + "\n")
        try expectError(["attack", irisModel, "--inputs", wide, "--eps", "0.1"], mentions: ["wide.csv:1", "100000 input values", "expects 4"])
    }

    @Test func npyWithHugeDeclaredShape() throws {
        let labels = try npy("labels.npy", header: "{'descr': '<i8', 'fortran_order': False, 'shape': (2,), }", data: [UInt8](repeating: 0, count: 16))
        let huge = try npy("huge.npy", header: "{'descr': '<f8', 'fortran_order': False, 'shape': (100000000000, 4), }",
                           data: float64Bytes([0.5, 0.5, 0.5, 0.5]))
        try expectError(["attack", irisModel, "--inputs", huge, "--labels", labels, "--eps", "0.1"],
                        mentions: ["huge.npy (byte 10)", "(100000000000, 4)", "DataLimits.maxElements"])
        let overflow = try npy("overflow.npy", header: "{'descr': '<f8', 'fortran_order': False, 'shape': (4294967296, 4294967296), }",
                               data: [])
        try expectError(["attack", irisModel, "--inputs", overflow, "--labels", labels, "--eps", "0.1"],
                        mentions: ["overflow.npy (byte 10)", "(4294967296, 4294967296)"])
    }

    @Test func npyWithNaNValues() throws {
        let labels = try npy("labels.npy", header: "{'descr': '<i8', 'fortran_order': False, 'shape': (2,), }", data: [UInt8](repeating: 0, count: 16))
        let nan = try npy("nan.npy", header: "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 4), }",
                          data: float64Bytes([0.1, 0.2, 0.3, 0.4, 0.5, .nan, 0.5, 0.5]))
        try expectError(["attack", irisModel, "--inputs", nan, "--labels", labels, "--eps", "0.1"],
                        mentions: ["nan.npy (sample 1)", "input value 1 is nan", "finite"])
    }
}
