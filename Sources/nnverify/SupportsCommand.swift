import ArgumentParser
import ONNXLoader

/// `nnverify supports --CAPABILITY`: the VNN-LIB 2.0 verifier interface's capability report.
struct SupportsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "supports",
        abstract: "Report what nnverify can verify (the VNN-LIB 2.0 'supports' command).",
        discussion: """
            Give exactly one capability flag; the answer is printed one item a line. Theories are \
            those of the VNN-LIB 2.0 standard: no hidden nodes (NH) and hidden nodes (H), single input and output tensor per \
            network (SIO), one or several networks (SNET, MENET, MINET, MNET), single-node comparisons \
            (SNC), bounds, output comparisons and linear arithmetic (BND, OUTC, LIN; polynomial \
            arithmetic, POLY, is rejected). Element types: real (float32 and other float queries are \
            analysed as real arithmetic on the stored weights; witnesses are also checked in float32).
            """)

    /// One capability of the standard.
    enum Capability: String, EnumerableFlag, CaseIterable {
        case onnxOpsetVersions, onnxElementTypes, onnxOperators, vnnlibVersions, hiddenNodeTheories
        case multipleInputOutputTheories, multipleNetworkTheories, multipleNodeComparisonTheories
        case arithmeticComplexityTheories, optimisedDisjunctiveReasoning, serialiseAssignments
    }

    @Flag(help: "The capability to report.")
    var capability: Capability

    /// The answer lines for `capability`.
    static func answer(_ capability: Capability) -> [String] {
        switch capability {
        case .onnxOpsetVersions: return ["7", "21"]
        case .onnxElementTypes: return ["real"]
        case .onnxOperators: return ONNXLoader.supportedOperatorTypes
        case .vnnlibVersions: return ["1.0", "2.0"]
        case .hiddenNodeTheories: return ["NH", "H"]
        case .multipleInputOutputTheories: return ["SIO"]
        case .multipleNetworkTheories: return ["SNET", "MENET", "MINET", "MNET"]
        case .multipleNodeComparisonTheories: return ["SNC"]
        case .arithmeticComplexityTheories: return ["BND", "OUTC", "LIN"]
        case .optimisedDisjunctiveReasoning: return ["false"]
        case .serialiseAssignments: return ["true"]
        }
    }

    func run() throws {
        for line in Self.answer(capability) { print(line) }
    }
}
