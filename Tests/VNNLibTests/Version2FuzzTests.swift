import Testing
import TestSupport
@testable import VNNLib

/// Randomly damaged VNN-LIB 2.0 queries either parse to a well-formed specification over the joint
/// variables or throw a `VNNLibError` located inside the file; they never crash or hang.
@Suite struct Version2FuzzTests {
    static let valid = """
        (vnnlib-version <2.0>)
        ; fuzz base: two networks, tensors, every 2.0 operator
        (declare-network f
            (declare-input X float32 [1,2])
            (declare-hidden H real [3] "h")
            (declare-output Y float32 [2])
        )
        (declare-network g (equal-to f) (declare-input A float32 [1,2]) (declare-output B float32 [2]))
        (assert (or (and (<= X[0,0] 0.5) (>= X[0,0] -0.5)) (and (< X[0,0] 1.5) (> X[0,0] 1.0))))
        (assert (>= X[0,1] -1.0)) (assert (<= X[0,1] 1.0))
        (assert (== A[0,0] X[0,0])) (assert (== A[0,1] X[0,1]))
        (assert (<= (+ X[0,0] (* 2.0 X[0,1])) 2.5))
        (assert (or (!= Y[0] B[1]) (and (<= (- Y[1] 0.25) B[0]) (> (* -1.0 Y[0]) 3.25))))
        """

    static let vocabulary: [String] = [
        "[", "]", ",", "[0,0]", "[1]", "[]", "==", "!=", "<", ">", "X[0,0]", "Y[1]", "A[5]", "H[0]", "(equal-to f)",
        "(isomorphic-to g)", "declare-network", "declare-input", "declare-hidden", "declare-output", "real", "Real",
        "int8", "<2.0>", "<3.0>", "vnnlib-version", "1", "1.0e3", "-", "*", "\"", "initialized",
    ]

    @Test func baseFileIsValid() throws {
        let q = try VNNLibParser.parseQuery(bytes: Array(Self.valid.utf8), fileName: "fuzz.vnnlib")
        #expect(q.networks.count == 2 && q.specification.inputCount == 4 && q.specification.outputCount == 4 + 3, "outputs, then the hidden H")
        #expect(q.specification.cases.count == 2)
    }

    @Test func mutatedQueriesParseOrThrowLocatedErrors() {
        var rng = SeededGenerator(seed: 0x2_0F_F022)
        let base = Array(Self.valid.utf8)
        var parsed = 0, failed = 0
        for iteration in 0..<600 {
            var bytes = FuzzTests.mutate(base, &rng)
            if Int.random(in: 0..<4, using: &rng) == 0 {
                bytes.insert(contentsOf: Array(Self.vocabulary.randomElement(using: &rng)!.utf8),
                             at: Int.random(in: 0...bytes.count, using: &rng))
            }
            do {
                let q = try VNNLibParser.parseQuery(bytes: bytes, fileName: "fuzz.vnnlib")
                parsed += 1
                let spec = q.specification
                for c in spec.cases {
                    #expect(c.box.lower.count == spec.inputCount && c.box.upper.count == spec.inputCount, "iteration \(iteration)")
                    #expect(zip(c.box.lower, c.box.upper).allSatisfy { $0.isFinite && $1.isFinite && $0 <= $1 })
                    #expect(c.inputConstraints.allSatisfy { $0.coefficients.count == spec.inputCount })
                    #expect(c.disjuncts.allSatisfy { $0.allSatisfy { $0.coefficients.count == spec.outputCount } })
                }
            } catch {
                failed += 1
                #expect(error.description.hasPrefix("fuzz.vnnlib:"), "iteration \(iteration): \(error)")
                #expect(error.line != nil && error.caretLine?.hasSuffix("^") == true, "iteration \(iteration): \(error)")
            }
        }
        #expect(parsed >= 5 && failed >= 200, "parsed \(parsed), failed \(failed)")
    }
}
