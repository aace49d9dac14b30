import Benchmarking
import Testing
import Verifier

@Suite struct ResultFileTests {
    @Test func parsesVerdictAndWrappedWitnessOverLines() throws {
        let text = "sat\n((X_0 0.5)\n(X_1 -1e-3)\n  (Y_0 2.0)\n(Y_1 -3))\n"
        let result = try ResultFile.parse(text: text, file: "r.txt")
        #expect(result == ResultFile(verdict: .sat, witness: Witness(input: [0.5, -0.001], output: [2, -3])))
    }

    @Test func parsesCommentedWitnessFileWithoutVerdict() throws {
        let text = "; witness for onnx/a.onnx + vnnlib/p.vnnlib; source: x (y)\r\n((X_0 1.0) (X_1 2.0) ; inline\r\n(Y_0 3.0))"
        let result = try ResultFile.parse(text: text, file: "w.counterexample")
        #expect(result == ResultFile(verdict: .sat, witness: Witness(input: [1, 2], output: [3])))
    }

    @Test func acceptsBarePairsOutOfOrderAndOldVerdictWords() throws {
        let bare = try ResultFile.parse(text: "violated\n(Y_0 5)\n(X_1 2)\n(X_0 1)\n", file: "r")
        #expect(bare == ResultFile(verdict: .sat, witness: Witness(input: [1, 2], output: [5])))
        #expect(try ResultFile.parse(text: "holds\n", file: "r") == ResultFile(verdict: .unsat, witness: nil))
        #expect(try ResultFile.parse(text: "UNSAT", file: "r") == ResultFile(verdict: .unsat, witness: nil))
        #expect(try ResultFile.parse(text: "timeout\n\n", file: "r") == ResultFile(verdict: .timeout, witness: nil))
        #expect(try ResultFile.parse(text: "sat\n", file: "r") == ResultFile(verdict: .sat, witness: nil))
        #expect(try ResultFile.parse(text: "((X_0 1))", file: "r") == ResultFile(verdict: .sat, witness: Witness(input: [1], output: [])))
    }

    @Test func roundTripsTheVerifiersResultFileText() throws {
        let original = VerificationResult(verdict: .sat, witness: Witness(input: [0.1, -2.5e-7, 3], output: [1e10, -0.0]),
                                          seconds: 1, decidedBy: "attack")
        let parsed = try ResultFile.parse(text: original.resultFileText, file: "r")
        #expect(parsed == ResultFile(verdict: .sat, witness: original.witness))
    }

    private func parseError(_ text: String) -> String? {
        errorText { _ = try ResultFile.parse(text: text, file: "out/r.txt") }
    }

    @Test func malformedFilesGiveLineColumnAndProblem() {
        #expect(parseError("") == "out/r.txt:1:1: empty file: expected a verdict word or a counterexample")
        #expect(parseError("; only a comment\n") == "out/r.txt:1:1: empty file: expected a verdict word or a counterexample")
        #expect(parseError("proved\n") == "out/r.txt:1:1: expected a verdict (sat, unsat, unknown, timeout, error) or '(', found 'proved'")
        #expect(parseError("unsat\n((X_0 1))") == "out/r.txt:2:1: unexpected text after verdict 'unsat' (a counterexample may only follow 'sat')")
        #expect(parseError("sat\nX_0 1") == "out/r.txt:2:1: expected '(' to start the counterexample, found 'X_0'")
        #expect(parseError("sat\n((X_0 abc)\n(Y_0 1))") == "out/r.txt:2:7: expected a finite decimal number for X_0, found 'abc'")
        #expect(parseError("sat\n((X_0 nan))") == "out/r.txt:2:7: expected a finite decimal number for X_0, found 'nan'")
        #expect(parseError("((X_0 1)\n(Z_0 1))") == "out/r.txt:2:2: expected a variable name X_i or Y_j, found 'Z_0'")
        #expect(parseError("((X_0 1)\n(X_a 1))") == "out/r.txt:2:2: expected a variable name X_i or Y_j, found 'X_a'")
        #expect(parseError("((X_0 1)\n(X_0 2))") == "out/r.txt:2:2: X_0 is given twice")
        #expect(parseError("((X_0 1)\n(X_2 2)\n(Y_0 0))") == "out/r.txt:3:8: X_1 is missing (2 values given, largest index 2)")
        #expect(parseError("((X_0 1)\n(Y_1 2))") == "out/r.txt:2:8: Y_0 is missing (1 values given, largest index 1)")
        #expect(parseError("sat\n((X_0 1)\n(Y_0 2)") == "out/r.txt:3:7: unexpected end of file: expected ')' to close the counterexample opened at 2:1")
        #expect(parseError("((X_0 1 2))") == "out/r.txt:1:9: expected ')' to close the pair opened at 1:2, found '2'")
        #expect(parseError("((X_0 1)) extra") == "out/r.txt:1:11: unexpected 'extra' after the end of the counterexample")
        #expect(parseError("((X_0 1)) (X_1 2)") == "out/r.txt:1:11: unexpected '(' after the end of the counterexample")
        #expect(parseError("sat\n((Y_0 1))") == "out/r.txt:2:9: counterexample has no X_i values")
        #expect(parseError("sat\n()") == "out/r.txt:2:2: expected a variable name X_i or Y_j after '(', found ')'")
        #expect(parseError("((X_0") == "out/r.txt:1:3: expected a number after X_0, found end of file")
    }

    @Test func readWitnessRequiresACounterexample() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = try folder.write("r.txt", "unknown\n")
        #expect(errorText { _ = try ResultFile.readWitness(path: path) }
            == "\(path):1: no counterexample in file (verdict 'unknown')")
        #expect(errorText { _ = try ResultFile.read(path: folder.path + "/none.txt") }
            == "\(folder.path)/none.txt: cannot read file: no such file")
    }

    @Test func witnessFileNamesFollowTheSuiteConvention() throws {
        let instances = try InstanceList.parse(text: """
            onnx/ACASXU_run2a_1_2_batch_2000.onnx,vnnlib/prop_2.vnnlib,116
            onnx/mnist-net_256x2.onnx,vnnlib/vnncomp2022/prop_1_0.03.vnnlib,120
            ./onnx/ffnnSIGMOID__Point_6x200.onnx,./vnnlib/mnist_spec_idx_7259_eps_0.01200.vnnlib,300
            net.onnx,spec.vnnlib,1
            """, file: "s/instances.csv", directory: "/b/s")
        #expect(instances.map(WitnessFiles.fileName(for:)) == [
            "ACASXU_run2a_1_2_batch_2000__prop_2.counterexample",
            "mnist-net_256x2__vnncomp2022_prop_1_0.03.counterexample",
            "ffnnSIGMOID__Point_6x200__mnist_spec_idx_7259_eps_0.01200.counterexample",
            "net__spec.counterexample",
        ])
        #expect(WitnessFiles.witnessPath(for: instances[1]) == "/b/s/witnesses/mnist-net_256x2__vnncomp2022_prop_1_0.03.counterexample")
        #expect(try WitnessFiles.knownWitness(for: instances[3]) == nil)
    }
}
