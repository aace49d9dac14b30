import Testing
@testable import VNNLib

/// Short files whose normal form would need memory far beyond their size are refused with
/// `tooLarge` (found by the fuzzing campaign, see fuzz/README.md), while files at realistic sizes
/// still parse.
@Suite struct ExpansionLimitTests {
    /// `inputs` inputs bounded in [0, 1] and one output, then an `and` of `ors` disjunctions of 10
    /// upper bounds each on X_0..X_{ors-1} (0.1, ..., 0.9 and 0.10 = 0.1 again): 9^ors distinct input
    /// regions from a few hundred bytes.
    static func manyRegions(inputs: Int, ors: Int) -> String {
        let choices = (0..<ors).map { v in "(or " + (1...10).map { "(<= X_\(v) 0.\($0))" }.joined(separator: " ") + ")" }
        return declarations(inputs: inputs, outputs: 1) + boxAsserts(Array(repeating: (0, 1), count: inputs))
            + "(assert (and \(choices.joined(separator: " "))))\n(assert (>= Y_0 0))\n"
    }

    @Test func manyRegionsOverManyInputsAreRefused() throws {
        // 59 049 regions × 2 000 inputs = 118 million bounds (about 4 GB before the limit).
        let error = parseError(Self.manyRegions(inputs: 2_000, ors: 5))
        #expect(error?.kind == .tooLarge)
        #expect(error?.message.contains("distinct input regions") == true)
        #expect(error?.message.contains("\(VNNLibParser.maximumBoxValues)") == true)
        #expect(error?.line != nil)
    }

    @Test func manyRegionsOverFewInputsStillParse() throws {
        // 6 561 regions × 4 inputs: far below the limit.
        let spec = try parse(Self.manyRegions(inputs: 4, ors: 4))
        #expect(spec.cases.count == 6_561)
    }

    @Test func manyDistinctConstraintsOverManyOutputsAreRefused() throws {
        // 12 000 distinct constraints × 2 000 outputs = 24 million dense coefficients.
        let atoms = (0..<12_000).map { "(<= Y_0 \($0))" }.joined(separator: " ")
        let text = declarations(inputs: 1, outputs: 2_000) + boxAsserts([(0, 1)]) + "(assert (or \(atoms)))\n"
        let error = parseError(text)
        #expect(error?.kind == .tooLarge)
        #expect(error?.message.contains("distinct output constraints") == true)
        #expect(error?.line == 2_004)
    }

    @Test func manyConstraintsOverFewOutputsStillParse() throws {
        let atoms = (0..<12_000).map { "(<= Y_0 \($0))" }.joined(separator: " ")
        let spec = try parse(declarations(inputs: 1, outputs: 10) + boxAsserts([(0, 1)]) + "(assert (or \(atoms)))\n")
        #expect(spec.cases.count == 1)
        #expect(spec.cases[0].disjuncts.count == 12_000)
    }
}
