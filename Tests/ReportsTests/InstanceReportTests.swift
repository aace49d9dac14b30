import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Reports
import Testing
import Verifier

/// `--instances` mode on the bundled iris instance list, whose verdicts are known (models/iris/expected.csv).
@Suite struct InstanceReportTests {
    /// The iris instances and their expected verdicts, read from the bundled csv files.
    func irisInstances() throws -> [(InstanceEntry, String)] {
        let dir = ReportFixture.path("models/iris")
        let expectedLines = try String(contentsOfFile: dir + "/expected.csv", encoding: .utf8).split(separator: "\n").dropFirst()
        var expected = [String: String]()
        for line in expectedLines {
            let f = line.split(separator: ",").map(String.init)
            if f.count >= 3 { expected[f[1]] = f[2] }
        }
        return try String(contentsOfFile: dir + "/instances.csv", encoding: .utf8).split(separator: "\n").map { line in
            let f = line.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            let entry = InstanceEntry(onnx: f[0], vnnlib: f[1], onnxFile: dir + "/" + f[0], vnnlibFile: dir + "/" + f[1], timeout: 5)
            return (entry, try #require(expected[f[1]]))
        }
    }

    @Test func verdictsMatchTheKnownAnswersAndFilesAreWritten() throws {
        let instances = try irisInstances()
        #expect(instances.count == 34)
        var report = InstanceReport.run(instances.map(\.0), source: "models/iris/instances.csv")
        report.minimumVerified = 0.9
        for (r, (_, expected)) in zip(report.results, instances) {
            // Sound and, on these small instances, complete: unsat only where expected, sat only where expected.
            #expect(r.verdict.rawValue == expected, "\(r.entry.vnnlib): \(r.verdict) (\(r.decidedBy)), expected \(expected)")
        }
        #expect(!report.passed && report.thresholdMessage?.contains("FAILED") == true)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nnverify-instances-\(UUID().uuidString)").path
        try InstanceReportFiles.write(report, to: dir)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/report.json"))) as? [String: Any])
        #expect(json["schemaVersion"] as? Int == 1 && json["mode"] as? String == "instances")
        #expect((json["instances"] as? [[String: Any]])?.count == 34)
        #expect((json["counts"] as? [String: Int])?["sat"] == instances.filter { $0.1 == "sat" }.count)
        let parser = XMLParser(data: try Data(contentsOf: URL(fileURLWithPath: dir + "/junit.xml")))
        let collector = JUnitCollector()
        parser.delegate = collector
        #expect(parser.parse())
        #expect(collector.testcases == 35)
        #expect(collector.failures == instances.filter { $0.1 == "sat" }.count + 1)
        let problems = try JUnitSchema.problems(dir + "/junit.xml")
        #expect(problems.isEmpty, "instance-mode junit.xml fails the xUnit schema: \(problems)")
        let html = try String(contentsOfFile: dir + "/report.html", encoding: .utf8)
        #expect(html.contains("id=\"instances\"") && html.contains("unsat"))
    }

    @Test func missingFilesGiveErrorVerdicts() {
        let entry = InstanceEntry(onnx: "no.onnx", vnnlib: "no.vnnlib", onnxFile: "/nonexistent/no.onnx", vnnlibFile: "/nonexistent/no.vnnlib", timeout: 1)
        let report = InstanceReport.run([entry], source: "x.csv")
        #expect(report.results.first?.verdict == .error)
        #expect(InstanceReportFiles.junit(report).contains("<error type=\"error\""))
    }

    @Test func parsesTheVerifiedThreshold() throws {
        #expect(try InstanceReport.parseThreshold("verified=0.8") == 0.8)
        #expect(try InstanceReport.parseThreshold("verified=75%") == 0.75)
        for bad in ["certified@0.1=0.8", "verified=2", "verified"] {
            #expect(throws: ReportError.self) { try InstanceReport.parseThreshold(bad) }
        }
    }
}
