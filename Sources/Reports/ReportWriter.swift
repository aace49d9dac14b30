import Foundation

/// Writes the four report files into one directory.
public enum ReportWriter {
    /// The file names written, in order.
    public static let fileNames = ["report.json", "report.md", "junit.xml", "report.html"]

    /// Writes `report.json`, `report.md`, `junit.xml` and `report.html` into `directory` (created if
    /// needed) and returns their paths.
    /// - Throws: ``ReportError/cannotWrite(path:reason:)``.
    @discardableResult
    public static func write(_ report: RobustnessReport, to directory: String) throws -> [String] {
        try write(texts: [try JSONReport.text(report), MarkdownReport.text(report), JUnitReport.text(report), HTMLReport.text(report)],
                  to: directory)
    }

    /// Writes the texts of ``fileNames`` (same order) into `directory`, created if needed.
    static func write(texts: [String], to directory: String) throws -> [String] {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw ReportError.cannotWrite(path: directory, reason: error.localizedDescription)
        }
        var paths = [String]()
        for (name, text) in zip(fileNames, texts) {
            let path = (directory as NSString).appendingPathComponent(name)
            do {
                try text.write(toFile: path, atomically: true, encoding: .utf8)
            } catch {
                throw ReportError.cannotWrite(path: path, reason: error.localizedDescription)
            }
            paths.append(path)
        }
        return paths
    }
}
