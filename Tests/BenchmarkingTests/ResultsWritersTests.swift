import Benchmarking
import Testing
import Verifier

@Suite struct ResultsWritersTests {
    static let rows: [BenchmarkRow] = [
        BenchmarkRow(onnx: "onnx/ACASXU_run2a_1_1_batch_2000.onnx", vnnlib: "vnnlib/prop_1.vnnlib", verdict: .unsat, seconds: 0.3, expected: .unsat),
        BenchmarkRow(onnx: "onnx/ACASXU_run2a_1_2_batch_2000.onnx", vnnlib: "vnnlib/prop_2.vnnlib", verdict: .unsat, seconds: 12.345, expected: .sat),
        BenchmarkRow(onnx: "onnx/net,with comma.onnx", vnnlib: "vnnlib/\"q\".vnnlib", verdict: .sat, seconds: 0, expected: nil,
                     audit: SoundnessAudit(counterexample: .valid, float32: .passes)),
        BenchmarkRow(onnx: "a.onnx", vnnlib: "b.vnnlib", verdict: .timeout, seconds: 116.004, expected: .unknown),
        BenchmarkRow(onnx: "a.onnx", vnnlib: "c.vnnlib", verdict: .error, seconds: 0.001, expected: .sat, detail: "missing file"),
    ]

    @Test func csvTextIsExact() {
        #expect(ResultsCSV.text(Self.rows) == """
            onnx,vnnlib,verdict,seconds,expected,correct,float32
            onnx/ACASXU_run2a_1_1_batch_2000.onnx,vnnlib/prop_1.vnnlib,unsat,0.30,unsat,yes,
            onnx/ACASXU_run2a_1_2_batch_2000.onnx,vnnlib/prop_2.vnnlib,unsat,12.35,sat,no,
            "onnx/net,with comma.onnx","vnnlib/""q"".vnnlib",sat,0.00,,,pass
            a.onnx,b.vnnlib,timeout,116.00,unknown,,
            a.onnx,c.vnnlib,error,0.00,sat,,

            """)
    }

    @Test func csvRoundTripsThroughAFile() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = try folder.write("results.csv", ResultsCSV.text(Self.rows))
        let back = try ResultsCSV.read(path: path)
        #expect(back.count == Self.rows.count)
        for (read, original) in zip(back, Self.rows) {
            #expect(read.onnx == original.onnx)
            #expect(read.vnnlib == original.vnnlib)
            #expect(read.verdict == original.verdict)
            #expect(abs(read.seconds - original.seconds) <= 0.005)
            #expect(read.expected == original.expected)
            #expect(read.correct == original.correct)
            #expect(read.audit.float32 == original.audit.float32)
            #expect(read.detail == "")
        }
        #expect(BenchmarkSummary(rows: back).line == BenchmarkSummary(rows: Self.rows.map {
            var row = $0
            row.seconds = (row.seconds * 100).rounded() / 100
            return row
        }).line)
        #expect(ResultsCSV.text(back) == ResultsCSV.text(Self.rows))
    }

    private func parseError(_ text: String) -> String? {
        errorText { _ = try ResultsCSV.parse(text: text, file: "out/results.csv") }
    }

    @Test func badResultsFilesGiveFileLineAndProblem() {
        let header = ResultsCSV.header + "\n"
        #expect(parseError("onnx,vnnlib,verdict\n")
            == "out/results.csv:1: expected header 'onnx,vnnlib,verdict,seconds,expected,correct,float32', found 'onnx,vnnlib,verdict'")
        #expect(parseError(header + "a,b,unsat,1.00,unsat,no,\n")
            == "out/results.csv:2: correct column says 'no' but verdict and expected give 'yes'")
        #expect(parseError(header + "a,b,sat,1.00,sat,,\n")
            == "out/results.csv:2: correct column says '' but verdict and expected give 'yes'")
        #expect(parseError(header + "a,b,proved,1.00,sat,yes,\n")
            == "out/results.csv:2: verdict must be one of sat, unsat, unknown, timeout, error, found 'proved'")
        #expect(parseError(header + "a,b,sat,-1,sat,yes,\n") == "out/results.csv:2: seconds must be a finite number >= 0, found '-1'")
        #expect(parseError(header + "a,b,sat,1.0,maybe,,\n")
            == "out/results.csv:2: expected must be one of sat, unsat, unknown, (empty), found 'maybe'")
        #expect(parseError(header + "a,b,sat,1.0\n")
            == "out/results.csv:2: expected 7 columns (onnx,vnnlib,verdict,seconds,expected,correct,float32), found 4")
        #expect(parseError(header + "a,b,sat,1.0,,,maybe\n")
            == "out/results.csv:2: float32 must be one of pass, pass-float32-compare, no-float32-point, fail, (empty), found 'maybe'")
        #expect(parseError("") == "out/results.csv: contains no header line")
    }

    @Test func filesWithoutTheFloat32ColumnAreRead() throws {
        let rows = try ResultsCSV.parse(text: "onnx,vnnlib,verdict,seconds,expected,correct\na,b,sat,1.00,sat,yes\n", file: "old.csv")
        #expect(rows.count == 1 && rows[0].verdict == .sat && rows[0].audit.float32 == nil)
    }

    @Test func textTableIsFixedWidth() {
        let table = ResultsTable(rows: Array(Self.rows[0...1]) + [Self.rows[4]])
        #expect(table.render(Array(Self.rows[0...1]) + [Self.rows[4]]) == """
            onnx                                   vnnlib                verdict   seconds  expected  correct  float32
            onnx/ACASXU_run2a_1_1_batch_2000.onnx  vnnlib/prop_1.vnnlib  unsat        0.30  unsat     yes
            onnx/ACASXU_run2a_1_2_batch_2000.onnx  vnnlib/prop_2.vnnlib  unsat       12.35  sat       no
            a.onnx                                 c.vnnlib              error        0.00  sat                                      missing file

            """)
    }

    @Test func tableWidthsComeFromInstances() throws {
        let instances = try InstanceList.parse(text: "n.onnx,long/path/p.vnnlib,1\n", file: "i.csv", directory: "/s")
        let table = ResultsTable(instances: instances)
        #expect(table.header == "onnx    vnnlib              verdict   seconds  expected  correct  float32")
        #expect(table.line(BenchmarkRow(onnx: "n.onnx", vnnlib: "long/path/p.vnnlib", verdict: .sat, seconds: 1234.5, expected: nil))
            == "n.onnx  long/path/p.vnnlib  sat       1234.50")
    }
}
