import Planting
import Testing
import VNNLib

/// VNN-LIB text written by the planting tools reads back to the same specification.
@Suite struct WriterTests {
    @Test(arguments: [0.1, -0.0078125, 1e-5, -3.25e-12, 123456789.125, 1e21, 5, 0, 0.30000000000000004, 2.2250738585072014e-308])
    func decimalsRoundTripWithoutExponent(value: Double) {
        let text = VNNLibWriter.decimal(value)
        #expect(Double(text) == value)
        if abs(value) >= 1e-30 && abs(value) < 1e30 { #expect(!text.contains("e")) }
    }

    @Test func specificationsRoundTrip() throws {
        let box1 = InputBox(lower: [0, -0.5], upper: [1e-7, 0.5]), box2 = InputBox(lower: [2, 2], upper: [3, 3])
        let disjuncts: [[LinearConstraint]] = [
            [LinearConstraint(coefficients: [1, -1, 0], constant: 0)],
            [LinearConstraint(coefficients: [0, -1, 0], constant: 3.99), LinearConstraint(coefficients: [0, 0, 1], constant: -0.25)],
            [LinearConstraint(coefficients: [0.5, 2, -1.5], constant: 1e-3)],
        ]
        for cases in [[SpecCase(box: box1, disjuncts: [disjuncts[1]])],
                      [SpecCase(box: box1, disjuncts: disjuncts)],
                      [SpecCase(box: box1, disjuncts: disjuncts), SpecCase(box: box2, disjuncts: [disjuncts[0]])]] {
            let spec = Specification(inputCount: 2, outputCount: 3, cases: cases)
            let text = VNNLibWriter.text(spec, comment: ["round trip"])
            #expect(try VNNLibParser.parse(text, fileName: "test.vnnlib") == spec, "\(text)")
        }
    }
}
