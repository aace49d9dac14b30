import Foundation
import Testing

/// Validates JUnit XML against the xUnit plugin's schema (`Tests/Fixtures/junit/junit-10.xsd`) with
/// `xmllint --schema`, the libxml2 validator (Debian `libxml2-utils`, installed by scripts/setup.sh).
enum JUnitSchema {
    static let schema: String = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/junit/junit-10.xsd").path

    static let xmllint: String? = ["/usr/bin/xmllint", "/usr/local/bin/xmllint", "/opt/homebrew/bin/xmllint"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    /// xmllint's complaints about `file` (empty when it validates). Records an issue naming the
    /// missing tool when xmllint is absent, so a machine without it fails rather than passes silently.
    static func problems(_ file: String) throws -> String {
        guard let xmllint else {
            Issue.record("xmllint not found: run scripts/setup.sh (installs libxml2-utils) to validate JUnit files")
            return ""
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: xmllint)
        process.arguments = ["--noout", "--schema", schema, file]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return process.terminationStatus == 0 ? "" : text
    }

    /// Writes `text` to a temporary file and validates it.
    static func problems(text: String) throws -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("junit-\(UUID().uuidString).xml").path
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        return try problems(file)
    }
}

@Suite struct JUnitSchemaTests {
    @Test func robustnessReportJUnitValidatesAgainstTheXUnitSchema() throws {
        let problems = try JUnitSchema.problems(try ReportFixture.file("junit.xml"))
        #expect(problems.isEmpty, "\(problems)")
    }

    @Test func theSchemaCheckCanFail() throws {
        // A root attribute the schema does not allow, and a testcase without its required name.
        let bad = "<?xml version=\"1.0\"?>\n<testsuites skipped=\"1\"><testsuite name=\"s\" tests=\"1\" failures=\"0\" errors=\"0\">"
            + "<testcase time=\"0.1\"/></testsuite></testsuites>\n"
        let problems = try JUnitSchema.problems(text: bad)
        #expect(problems.contains("skipped") && problems.contains("name"), "\(problems)")
    }
}
