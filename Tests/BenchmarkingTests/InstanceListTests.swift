import Benchmarking
import Foundation
import Testing

@Suite struct InstanceListTests {
    @Test func readsGoodCSVWithCRLFSpacesBlankLinesAndAbsolutePaths() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let text = "onnx/a.onnx,vnnlib/p1.vnnlib,116\r\n"
            + "  ./onnx/b.onnx , vnnlib/sub/p2.vnnlib ,  2.5e1 \r\n"
            + "\r\n"
            + "/abs/c.onnx,\"../up/p 3.vnnlib\",0.5\r\n"
            + "\n  \n"
        let path = try folder.write("suite/instances.csv", text)
        let instances = try InstanceList.read(path: path)
        #expect(instances.count == 3)
        let suite = folder.path + "/suite"
        #expect(instances[0] == Instance(onnxPath: "onnx/a.onnx", vnnlibPath: "vnnlib/p1.vnnlib", timeoutSeconds: 116,
                                         csvFile: path, csvDirectory: suite, line: 1))
        #expect(instances[0].onnxFile == suite + "/onnx/a.onnx")
        #expect(instances[0].vnnlibFile == suite + "/vnnlib/p1.vnnlib")
        #expect(instances[1].onnxPath == "./onnx/b.onnx")
        #expect(instances[1].onnxFile == suite + "/onnx/b.onnx")
        #expect(instances[1].vnnlibPath == "vnnlib/sub/p2.vnnlib")
        #expect(instances[1].timeoutSeconds == 25)
        #expect(instances[1].line == 2)
        #expect(instances[2].onnxFile == "/abs/c.onnx")
        #expect(instances[2].vnnlibPath == "../up/p 3.vnnlib")
        #expect(instances[2].vnnlibFile == folder.path + "/up/p 3.vnnlib")
        #expect(instances[2].timeoutSeconds == 0.5)
        #expect(instances[2].line == 4)
        #expect(instances[2].location.description == path + ":4")
    }

    @Test func lastLineWithoutNewlineIsRead() throws {
        let instances = try InstanceList.parse(text: "a.onnx,b.vnnlib,1\nc.onnx,d.vnnlib,2", file: "x.csv", directory: "/s")
        #expect(instances.map(\.onnxFile) == ["/s/a.onnx", "/s/c.onnx"])
    }

    /// The error text for parsing `text` as `bad.csv`.
    private func parseError(_ text: String) -> String? {
        errorText { _ = try InstanceList.parse(text: text, file: "bench/bad.csv", directory: "/tmp") }
    }

    @Test func badLinesGiveFileLineAndProblem() {
        let good = "a.onnx,b.vnnlib,10\n"
        #expect(parseError(good + "\na.onnx,b.vnnlib\n")
            == "bench/bad.csv:3: expected 3 columns (onnx_path,vnnlib_path,timeout_seconds), found 2")
        #expect(parseError(good + "a.onnx,b.vnnlib,10,extra\n")
            == "bench/bad.csv:2: expected 3 columns (onnx_path,vnnlib_path,timeout_seconds), found 4")
        #expect(parseError(" ,b.vnnlib,10\n") == "bench/bad.csv:1: empty onnx_path")
        #expect(parseError(good + good + "a.onnx,  ,10\n") == "bench/bad.csv:3: empty vnnlib_path")
        #expect(parseError("a.onnx,b.vnnlib,abc\n")
            == "bench/bad.csv:1: timeout must be a positive finite number of seconds, found 'abc'")
        #expect(parseError("a.onnx,b.vnnlib,-5\n")
            == "bench/bad.csv:1: timeout must be a positive finite number of seconds, found '-5'")
        #expect(parseError("a.onnx,b.vnnlib,nan\n")
            == "bench/bad.csv:1: timeout must be a positive finite number of seconds, found 'nan'")
        #expect(parseError("a.onnx,b.vnnlib,inf\n")
            == "bench/bad.csv:1: timeout must be a positive finite number of seconds, found 'inf'")
        #expect(parseError("a.onnx,b.vnnlib,0\n")
            == "bench/bad.csv:1: timeout must be a positive finite number of seconds, found '0'")
        #expect(parseError("a.onnx,b.vnnlib,\n")
            == "bench/bad.csv:1: timeout must be a positive finite number of seconds, found ''")
        #expect(parseError("a.onnx,\"b.vnnlib,10\n")
            == "bench/bad.csv:1: malformed quoted field (a quote must close the field and be followed by a comma or the end of the line)")
        #expect(parseError("\n \r\n") == "bench/bad.csv: contains no instances")
        #expect(parseError("") == "bench/bad.csv: contains no instances")
    }

    @Test func unreadableFileIsReported() {
        let text = errorText { _ = try InstanceList.read(path: "/nonexistent-folder/instances.csv") }
        #expect(text == "/nonexistent-folder/instances.csv: cannot read file: no such file")
    }

    @Test func missingFilesAreListedWithTheirLine() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("onnx/a.onnx", "x")
        try folder.write("vnnlib/p.vnnlib", "x")
        let path = try folder.write("instances.csv", "onnx/a.onnx,vnnlib/p.vnnlib,1\nonnx/missing.onnx,vnnlib/p.vnnlib,1\nonnx/a.onnx,vnnlib/gone.vnnlib,1\n")
        let instances = try InstanceList.read(path: path)
        let missing = InstanceList.validateFilesExist(instances)
        #expect(missing.map(\.description) == [
            "\(path):2: onnx file not found: \(folder.path)/onnx/missing.onnx (written 'onnx/missing.onnx')",
            "\(path):3: vnnlib file not found: \(folder.path)/vnnlib/gone.vnnlib (written 'vnnlib/gone.vnnlib')",
        ])
        #expect(missing.map(\.role) == [.onnx, .vnnlib])
    }
}

/// VNN-COMP 2026 multi-network rows: the onnx column lists `(network name, path)` pairs.
@Suite struct MultiNetworkRowTests {
    static let root = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    @Test func pairsAreReadResolvedAndLoaded() throws {
        let text = "\"[('f', 'models/iris/onnx/iris_mlp.onnx'), (\"\"g\"\" ,'/abs/g.onnx')]\",q.vnnlib,30\n"
            + "\"[('f','models/iris/onnx/iris_mlp.onnx')]\",Tests/Fixtures/vnnlib2/iris/monotone_up.vnnlib,30\n"
        let instances = try InstanceList.parse(text: text, file: "x.csv", directory: Self.root)
        #expect(instances[0].networkFiles.map(\.name) == ["f", "g"])
        #expect(instances[0].networkFiles.map(\.file) == [Self.root + "/models/iris/onnx/iris_mlp.onnx", "/abs/g.onnx"])
        #expect(instances[0].onnxFile == Self.root + "/models/iris/onnx/iris_mlp.onnx")
        #expect(InstanceList.validateFilesExist([instances[0]]).map(\.path) == ["/abs/g.onnx", Self.root + "/q.vnnlib"])
        // monotone_up.vnnlib declares f and g (equal-to f): the row's one pair loads the product.
        let problem = try instances[1].problem()
        #expect(problem.network.inputSize == 8 && problem.query?.networks.count == 2)
        #expect(InstanceList.validateFilesExist([instances[1]]).isEmpty)
    }

    @Test func malformedListsAreErrorsWithTheirLine() {
        for bad in ["[]", "[('f')]", "[('f', 'a.onnx') ('g', 'b.onnx')]", "[('f', 'a.onnx')", "[('', 'a.onnx')]"] {
            let text = "a.onnx,b.vnnlib,1\n\"\(bad)\",b.vnnlib,1\n"
            #expect(throws: BenchmarkingError.self, "\(bad)") { try InstanceList.parse(text: text, file: "x.csv", directory: "/s") }
            do {
                _ = try InstanceList.parse(text: text, file: "x.csv", directory: "/s")
            } catch {
                #expect("\(error)" == "x.csv:2: malformed multi-network onnx column '\(bad)' (expected [('NAME', 'PATH'), ...])")
            }
        }
    }
}
