import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Reports
import Testing

/// The four files: present, parseable, and matching Docs/report-schema.md and the summaries.
@Suite struct ReportFileTests {
    @Test func writesAllFourFiles() throws {
        for name in ReportWriter.fileNames {
            let path = try ReportFixture.file(name)
            let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
            #expect(size > 100, "\(name) is missing or nearly empty")
        }
    }

    /// Every key documented in Docs/report-schema.md, with its JSON type.
    @Test func jsonFollowsTheDocumentedSchema() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: try ReportFixture.file("report.json")))
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(Set(root.keys) == ["schemaVersion", "mode", "tool", "startedAt", "seconds", "model", "data", "settings", "summary",
                                   "results", "thresholds", "passed", "consistent", "lipschitz", "tightness"])
        #expect(root["schemaVersion"] as? Int == 1 && root["mode"] as? String == "inputs")
        let tool = try #require(root["tool"] as? [String: Any])
        #expect(tool["name"] as? String == "nnverify" && tool["version"] is String)
        #expect(root["startedAt"] is String && root["seconds"] is Double)
        let model = try #require(root["model"] as? [String: Any])
        #expect(model["path"] as? String == "models/digits/onnx/digits_mlp.onnx")
        #expect(model["inputCount"] as? Int == 64 && model["outputCount"] as? Int == 10)
        let dataInfo = try #require(root["data"] as? [String: Any])
        #expect(dataInfo["count"] as? Int == 50 && dataInfo["source"] is String && dataInfo["sampleShape"] as? [Int] == [64])
        let settings = try #require(root["settings"] as? [String: Any])
        #expect(Set(settings.keys) == ["epsilons", "norm", "validRange", "attack", "timeoutPerInput", "verificationMethod",
                                       "skipVerificationAfterUnknown"])
        #expect(settings["epsilons"] as? [Double] == [0.02, 0.05, 0.1] && settings["norm"] as? String == "linf")
        #expect(settings["attack"] as? String == "pgd")
        let summary = try #require(root["summary"] as? [[String: Any]])
        #expect(summary.count == 3)
        let rateKeys: Set<String> = ["clean", "attackRobust", "certified", "unknown", "falsified", "lipschitzCertified"]
        for s in summary {
            #expect(Set(s.keys) == rateKeys.union(["epsilon", "inputs", "seconds", "medianSeconds", "perClass"]))
            for key in rateKeys {
                let rate = try #require(s[key] as? [String: Any])
                #expect(rate["count"] is Int && rate["fraction"] is Double)
            }
            let perClass = try #require(s["perClass"] as? [[String: Any]])
            #expect(perClass.count == 10)
            for c in perClass { #expect(Set(c.keys) == rateKeys.union(["label", "inputs"])) }
        }
        let results = try #require(root["results"] as? [[String: Any]])
        #expect(results.count == 150)
        let verdicts = Set(InputVerdict.allCases.map(\.rawValue))
        for r in results {
            #expect(Set(r.keys) == ["index", "line", "label", "predicted", "epsilon", "verdict", "decidedBy", "boundMargin",
                                    "counterexample", "seconds", "lipschitzUpper", "lipschitzRadius", "lipschitzCertified"])
            let verdict = try #require(r["verdict"] as? String)
            #expect(verdicts.contains(verdict))
            #expect(r["boundMargin"] is NSNull || r["boundMargin"] is Double)
            #expect(r["line"] is Int)  // CSV data: every sample has its line
            if verdict == "falsified" {
                let c = try #require(r["counterexample"] as? [String: Any])
                #expect(c["predicted"] is Int && c["linfDistance"] is Double && c["l2Distance"] is Double)
            } else {
                #expect(r["counterexample"] is NSNull)
            }
        }
        // Summary counts agree with the per-input results.
        for s in summary {
            let e = try #require(s["epsilon"] as? Double)
            let certified = results.filter { ($0["epsilon"] as? Double) == e && ($0["verdict"] as? String) == "certified" }.count
            #expect((s["certified"] as? [String: Any])?["count"] as? Int == certified)
        }
        let thresholds = try #require(root["thresholds"] as? [[String: Any]])
        #expect(thresholds.count == 2)
        for t in thresholds { #expect(Set(t.keys) == ["text", "metric", "epsilon", "minimum", "measured", "passed"]) }
        #expect(root["passed"] as? Bool == false && root["consistent"] as? Bool == true)
    }

    @Test func junitIsWellFormedAndCountsMatch() throws {
        let report = try ReportFixture.shared.get().report
        let data = try Data(contentsOf: URL(fileURLWithPath: try ReportFixture.file("junit.xml")))
        let parser = XMLParser(data: data)
        let collector = JUnitCollector()
        parser.delegate = collector
        #expect(parser.parse(), "junit.xml is not well-formed: \(String(describing: parser.parserError))")
        #expect(collector.roots == ["testsuites"])
        #expect(collector.suites.count == 4)  // three radii and the thresholds
        let falsifiedOrWrong = report.results.filter { $0.verdict == .falsified || $0.verdict == .misclassified }.count
        let unknown = report.results.filter { $0.verdict == .unknown }.count
        #expect(collector.testcases == 150 + 2)
        #expect(collector.failures == falsifiedOrWrong + 1)  // one threshold fails
        #expect(collector.skipped == unknown)
        #expect(collector.rootAttributes["tests"] == "152")
        #expect(collector.rootAttributes["failures"] == "\(falsifiedOrWrong + 1)")
        for suite in collector.suites {
            #expect(Int(suite["tests"] ?? "") != nil && suite["errors"] == "0" && suite["timestamp"] != nil)
        }
    }

    @Test func htmlIsSelfContainedWithChartAndGallery() throws {
        let html = try String(contentsOfFile: try ReportFixture.file("report.html"), encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("<svg id=\"accuracy-chart\""))
        #expect(html.components(separatedBy: "<polyline class=\"series\"").count == 4)
        #expect(html.contains("id=\"gallery\""))
        #expect(html.contains("src=\"data:image/png;base64,iVBORw0KGgo"))
        #expect(html.contains("id=\"per-class\""))
        for external in ["src=\"http", "href=\"http", "<script", "<link", "@import", "url("] {
            #expect(!html.contains(external), "external resource: \(external)")
        }
        // Base64 images decode to PNG.
        let marker = "data:image/png;base64,"
        let start = try #require(html.range(of: marker)).upperBound
        let end = try #require(html[start...].firstIndex(of: "\""))
        let png = try #require(Data(base64Encoded: String(html[start..<end])))
        #expect(png.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
    }

    @Test func markdownHasTableWorstClassesAndThresholds() throws {
        let md = try String(contentsOfFile: try ReportFixture.file("report.md"), encoding: .utf8)
        #expect(md.contains("| ε | clean | attack-robust | certified |"))
        #expect(md.split(separator: "\n").filter { $0.hasPrefix("| 0.0") || $0.hasPrefix("| 0.1") }.count >= 3)
        #expect(md.contains("Worst classes at ε = 0.1"))
        #expect(md.contains("**Thresholds: FAILED**"))
        #expect(md.contains("| clean@0.02 ≥ 0.5 |") && md.contains("✅ pass") && md.contains("❌ fail"))
    }
}

/// Collects the structure of a JUnit XML document.
final class JUnitCollector: NSObject, XMLParserDelegate {
    var roots = [String]()
    var depth = 0
    var rootAttributes = [String: String]()
    var suites = [[String: String]]()
    var testcases = 0, failures = 0, skipped = 0

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        if depth == 0 {
            roots.append(name)
            rootAttributes = attributes
        }
        depth += 1
        switch name {
        case "testsuite": suites.append(attributes)
        case "testcase": testcases += 1
        case "failure": failures += 1
        case "skipped": skipped += 1
        default: break
        }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        depth -= 1
    }
}
