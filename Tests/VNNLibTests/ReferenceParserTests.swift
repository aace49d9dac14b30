import Foundation
import Testing
@testable import VNNLib

/// Our VNN-LIB 2.0 reader against the reference parser (`vnnlib` 1.0.2 on PyPI, VNNLIB-CPP) on the
/// committed fixtures in Tests/Fixtures/vnnlib2: the standard's own test queries and ours, one per
/// construct and per error. `reference.csv` holds the reference's accept/reject verdicts, made by
/// the committed make_reference.py; Python is not needed here.
@Suite struct ReferenceParserTests {
    static let folder = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/vnnlib2")

    /// Where we deliberately differ from the reference, and the kind of our error.
    static let deviations: [String: (VNNLibError.Kind, String)] = [
        "ours/unsupported_polynomial.vnnlib": (.nonLinearTerm, "valid POLY query; nnverify supports linear arithmetic only"),
        "ours/unsupported_mixed_input_output.vnnlib": (.unsupportedInputConstraint, "comparisons mixing inputs and outputs are not supported"),
        "standard/mnist.vnnlib": (.missingBound, "an abridged query ('; ...') that bounds only some inputs: it cannot be verified"),
        "standard/multiple_networks.vnnlib": (.missingBound, "bounds only some inputs of each network: it cannot be verified"),
    ]

    /// Reference rejections we accept: the reference types `Real` as an unknown type and then rejects
    /// `(* -1.0 X[0])`; nnverify reads `Real` as `real`.
    static let lenient: Set<String> = [
        "standard/acc.vnnlib", "standard/intermediate_nodes.vnnlib", "standard/single_network.vnnlib",
    ]

    static func reference() throws -> [(file: String, accepts: Bool)] {
        let text = try String(contentsOf: folder.appendingPathComponent("reference.csv"), encoding: .utf8)
        return text.split(separator: "\n").dropFirst().map { line in
            let fields = line.split(separator: ",", maxSplits: 2, omittingEmptySubsequences: false)
            return (String(fields[0]), fields[1] == "accept")
        }
    }

    @Test func acceptAndRejectAgreeWithTheReferenceParser() throws {
        let rows = try Self.reference()
        #expect(rows.count >= 30)
        for (file, referenceAccepts) in rows {
            let path = Self.folder.appendingPathComponent(file).path
            var ours: VNNLibError?
            do { _ = try VNNLibParser.parseQuery(contentsOf: path) } catch let e as VNNLibError { ours = e }
            if let (kind, why) = Self.deviations[file] {
                #expect(referenceAccepts && ours?.kind == kind, "\(file): \(why); ours: \(ours?.description ?? "accepted")")
            } else if Self.lenient.contains(file) {
                #expect(!referenceAccepts && ours == nil, "\(file): \(ours?.description ?? "accepted")")
            } else {
                #expect(referenceAccepts == (ours == nil), "\(file): reference \(referenceAccepts ? "accepts" : "rejects"), ours: \(ours?.description ?? "accepted")")
            }
        }
    }

    @Test func everyRejectionNamesItsLine() throws {
        for (file, _) in try Self.reference() {
            do {
                _ = try VNNLibParser.parseQuery(contentsOf: Self.folder.appendingPathComponent(file).path)
            } catch let e as VNNLibError {
                #expect(e.line != nil && e.column != nil, "\(file): \(e)")
            }
        }
    }
}
