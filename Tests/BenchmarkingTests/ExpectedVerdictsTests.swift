import Benchmarking
import Testing

@Suite struct ExpectedVerdictsTests {
    @Test func readsEntriesAndLooksUpWithDotSlashNormalised() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = try folder.write("expected.csv", """
            onnx,vnnlib,expected,evidence\r
            onnx/a.onnx,vnnlib/p1.vnnlib,sat,cex-validated:tool@2023\r
            ./onnx/a.onnx, ./vnnlib/p2.vnnlib ,unsat,proved:3-runs/2-tools\r
            \r
            onnx/b.onnx,vnnlib/p1.vnnlib,unknown,\r

            """)
        let expected = try ExpectedVerdicts.read(path: path)
        #expect(expected.entries.count == 3)
        #expect(expected.expected(onnx: "onnx/a.onnx", vnnlib: "vnnlib/p1.vnnlib") == .sat)
        #expect(expected.expected(onnx: "./onnx/a.onnx", vnnlib: "./vnnlib/p1.vnnlib") == .sat)
        #expect(expected.expected(onnx: "onnx/a.onnx", vnnlib: "vnnlib/p2.vnnlib") == .unsat)
        #expect(expected.expected(onnx: "onnx/b.onnx", vnnlib: "vnnlib/p1.vnnlib") == .unknown)
        #expect(expected.expected(onnx: "onnx/b.onnx", vnnlib: "vnnlib/p2.vnnlib") == nil)
        #expect(expected.entry(onnx: "onnx/a.onnx", vnnlib: "vnnlib/p1.vnnlib")?.evidence == "cex-validated:tool@2023")
        #expect(expected.entry(onnx: "onnx/a.onnx", vnnlib: "vnnlib/p2.vnnlib")?.line == 3)
        #expect(expected.entry(onnx: "onnx/b.onnx", vnnlib: "vnnlib/p1.vnnlib")?.evidence == "")

        let instances = try InstanceList.parse(text: "onnx/a.onnx,vnnlib/p1.vnnlib,1\nonnx/c.onnx,vnnlib/p1.vnnlib,1\n",
                                               file: "i.csv", directory: "/s")
        #expect(expected.expected(for: instances[0]) == .sat)
        #expect(expected.instancesWithoutEntry(instances) == [instances[1]])
    }

    @Test func acceptsDesignHeaderSpellingWithoutEvidence() throws {
        let expected = try ExpectedVerdicts.parse(text: "onnx_path,vnnlib_path,expected\na.onnx,b.vnnlib,unsat", file: "e.csv")
        #expect(expected.expected(onnx: "a.onnx", vnnlib: "b.vnnlib") == .unsat)
    }

    private func parseError(_ text: String) -> String? {
        errorText { _ = try ExpectedVerdicts.parse(text: text, file: "suite/expected.csv") }
    }

    @Test func badFilesGiveFileLineAndProblem() {
        let header = "onnx,vnnlib,expected,evidence\n"
        #expect(parseError("onnx,vnnlib,verdict\n")
            == "suite/expected.csv:1: expected header 'onnx,vnnlib,expected[,...]', found 'onnx,vnnlib,verdict'")
        #expect(parseError("a.onnx,b.vnnlib,sat\n")
            == "suite/expected.csv:1: expected header 'onnx,vnnlib,expected[,...]', found 'a.onnx,b.vnnlib,sat'")
        #expect(parseError(header + "a.onnx,b.vnnlib,holds,x\n")
            == "suite/expected.csv:2: expected must be one of sat, unsat, unknown, found 'holds'")
        #expect(parseError(header + "a.onnx,b.vnnlib,SAT,x\n")
            == "suite/expected.csv:2: expected must be one of sat, unsat, unknown, found 'SAT'")
        #expect(parseError(header + "a.onnx,b.vnnlib,sat\n")
            == "suite/expected.csv:2: expected 4 columns (onnx,vnnlib,expected,evidence), found 3")
        #expect(parseError(header + ",b.vnnlib,sat,x\n") == "suite/expected.csv:2: empty onnx")
        #expect(parseError(header + "a.onnx,b.vnnlib,sat,x\n\n./a.onnx,b.vnnlib,unsat,y\n")
            == "suite/expected.csv:4: duplicate entry for ./a.onnx, b.vnnlib (first given at line 2)")
        #expect(parseError(header) == "suite/expected.csv: contains no expected verdicts")
        #expect(parseError("") == "suite/expected.csv: contains no header line")
    }
}
