import Foundation
import Testing

/// Operators own their relaxations: no code outside `Sources/NNGraph` decides what a method may do by
/// testing for a concrete activation type (`is ReLU`, `as? Sigmoid`, `case is Clip`, ...); methods ask the
/// capability protocols (``PiecewiseLinearActivation``, ``LineFamily``, ...) instead, so adding an operator
/// touches its own file and one registry line.
@Suite struct OperatorOwnershipTests {
    static let sources = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Sources")

    @Test func noConcreteActivationTypeTestsOutsideTheOperators() throws {
        let pattern = try NSRegularExpression(pattern: #"\b(is|as[?!]?)\s+(ReLU|LeakyReLU|Clip|Abs|Sigmoid|Tanh)\b"#)
        let files = FileManager.default.enumerator(at: Self.sources, includingPropertiesForKeys: nil)!
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" && !$0.path.contains("/Sources/NNGraph/") }
        #expect(files.count > 100, "found the sources at \(Self.sources.path)")
        var offenders = [String]()
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let s = String(line)
                if s.trimmingCharacters(in: .whitespaces).hasPrefix("///") { continue }
                if pattern.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)) != nil {
                    offenders.append("\(file.lastPathComponent):\(n + 1): \(s.trimmingCharacters(in: .whitespaces))")
                }
            }
        }
        #expect(offenders.isEmpty, "concrete activation type tests: \(offenders)")
    }
}
