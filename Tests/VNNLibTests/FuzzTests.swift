import Testing
import TestSupport
@testable import VNNLib

/// Randomly damaged files either parse to a well-formed specification or throw a `VNNLibError`
/// located inside the file; they never crash or hang.
@Suite struct FuzzTests {
    static let valid = """
        ; fuzz base: two boxes, arithmetic, every operator
        (declare-const X_0 Real)
        (declare-const X_1 Real)
        (declare-const Y_0 Real)
        (declare-const Y_1 Real)
        (declare-const Y_2 Real)
        (assert (or
            (and (<= X_0 0.5) (>= X_0 -0.5) (<= (* 2 X_1) 1) (>= X_1 -1e-1))
            (and (<= X_0 1.5) (>= X_0 1) (< X_1 2) (<= (- X_1) 3))
        ))
        (assert (= (+ Y_0 Y_1) (- Y_2 1)))
        (assert (or (and (<= Y_0 Y_1) (>= Y_2 3.25)) (and (<= (/ Y_1 4) Y_0)) (>= (* -1 Y_2) .5)))
        (check-sat)
        """

    static let vocabulary: [String] = [
        "(", ")", " ", "\n", ";", "\t", "and", "or", "not", "<=", ">=", "=", "<", ">", "+", "-", "*", "/", "X_0",
        "X_1", "X_7", "Y_0", "Y_3", "Z", "assert", "declare-const", "Real", "0", "-1.5e3", "1e999", "nan", ".",
        "1.2.3", "true", "false", "\u{FEFF}", "é", "\r\n",
    ]

    static func mutate(_ bytes: [UInt8], _ rng: inout SeededGenerator) -> [UInt8] {
        var b = bytes
        for _ in 0..<Int.random(in: 1...3, using: &rng) {
            let at = Int.random(in: 0...b.count, using: &rng)
            switch Int.random(in: 0..<7, using: &rng) {
            case 0:  // truncate
                b = Array(b[..<at])
            case 1:  // delete a parenthesis
                let parens = b.indices.filter { b[$0] == UInt8(ascii: "(") || b[$0] == UInt8(ascii: ")") }
                if let p = parens.randomElement(using: &rng) { b.remove(at: p) }
            case 2:  // insert a parenthesis
                b.insert(Bool.random(using: &rng) ? UInt8(ascii: "(") : UInt8(ascii: ")"), at: at)
            case 3:  // garbage bytes
                for k in 0..<Int.random(in: 1...4, using: &rng) {
                    b.insert(garbageByte(&rng), at: min(at + k, b.count))
                }
            case 4:  // overwrite a byte
                if at < b.count { b[at] = garbageByte(&rng) }
            case 5:  // insert a token
                b.insert(contentsOf: Array(vocabulary.randomElement(using: &rng)!.utf8), at: at)
            default:  // delete a range
                let end = min(b.count, at + Int.random(in: 1...12, using: &rng))
                b.removeSubrange(at..<end)
            }
        }
        return b
    }

    /// Mostly printable ASCII (to reach the later stages), sometimes any byte (invalid UTF-8).
    static func garbageByte(_ rng: inout SeededGenerator) -> UInt8 {
        Int.random(in: 0..<4, using: &rng) == 0 ? UInt8.random(in: 0...255, using: &rng) : UInt8.random(in: 0x20...0x7E, using: &rng)
    }

    @Test func baseFileIsValid() throws {
        let spec = try VNNLibParser.parse(bytes: Array(Self.valid.utf8), fileName: "fuzz.vnnlib")
        #expect(spec.cases.count == 2)
        #expect(spec.cases[0].box == box([(-0.5, 0.5), (-0.1, 0.5)]))
        #expect(spec.cases[1].box == box([(1, 1.5), (-3, 2)]))
        #expect(spec.cases[0].disjuncts.map(\.count) == [4, 3, 3])
    }

    @Test func mutatedFilesParseOrThrowLocatedErrors() {
        var rng = SeededGenerator(seed: 0x5EED_0F_F022)
        let base = Array(Self.valid.utf8)
        var parsed = 0
        var failed = 0
        for iteration in 0..<600 {
            let bytes = Self.mutate(base, &rng)
            do {
                let spec = try VNNLibParser.parse(bytes: bytes, fileName: "fuzz.vnnlib")
                parsed += 1
                #expect(!spec.cases.isEmpty, "iteration \(iteration)")
                for c in spec.cases {
                    #expect(c.box.lower.count == spec.inputCount && c.box.upper.count == spec.inputCount)
                    #expect(zip(c.box.lower, c.box.upper).allSatisfy { $0.isFinite && $1.isFinite && $0 <= $1 })
                    #expect(!c.disjuncts.isEmpty)
                    #expect(c.disjuncts.allSatisfy { $0.allSatisfy { $0.coefficients.count == spec.outputCount } })
                }
            } catch {
                failed += 1
                #expect(error.description.hasPrefix("fuzz.vnnlib:"), "iteration \(iteration)")
                #expect(error.line != nil && error.line! >= 1, "iteration \(iteration)")
                let lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).count
                #expect((error.line ?? 0) <= lines, "iteration \(iteration)")
                #expect(error.caretLine?.hasSuffix("^") == true, "iteration \(iteration)")
            }
        }
        // Both outcomes occur (the mutations are neither all harmless nor all fatal).
        #expect(parsed >= 10 && failed >= 300, "parsed \(parsed), failed \(failed)")
    }
}
