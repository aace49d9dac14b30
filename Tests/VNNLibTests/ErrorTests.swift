import Foundation
import Testing
@testable import VNNLib

/// Every error case, asserting the whole rendered diagnostic (location, message, source line, caret).
@Suite struct ErrorTests {
    /// Lines 1-3 of most inputs below: one input in [0, 1], one output; the error is on line 4.
    let header = "(declare-const X_0 Real)\n(declare-const Y_0 Real)\n(assert (>= X_0 0)) (assert (<= X_0 1))\n"

    @Test func unexpectedEndOfFile() {
        expectError(
            "(declare-const X_0 Real)\n(assert (<= X_0 1)\n\n", .unexpectedEndOfFile,
            """
            test.vnnlib:2:19: error: unexpected end of file: expected ')' to close the '(' at 2:1
            (assert (<= X_0 1)
                              ^
            """)
    }

    @Test func unmatchedClosingParenthesis() {
        expectError(
            "(declare-const X_0 Real)\n(declare-const Y_0 Real))\n", .unbalancedParenthesis,
            """
            test.vnnlib:2:25: error: unexpected ')' without a matching '('
            (declare-const Y_0 Real))
                                    ^
            """)
    }

    @Test func unknownCommand() {
        expectError(
            "(declare-const X_0 Real)\n(declare-fun Y_0 () Real)\n", .unknownCommand,
            """
            test.vnnlib:2:2: error: unknown command 'declare-fun' (expected declare-const or assert)
            (declare-fun Y_0 () Real)
             ^
            """)
        expectError(
            "(declare-const X_0 Real)\nassert\n", .unknownCommand,
            """
            test.vnnlib:2:1: error: expected a command in parentheses, found 'assert'
            assert
            ^
            """)
    }

    @Test func unknownVariable() {
        expectError(
            header + "(assert (<= Z_1 0.5))\n", .unknownVariable,
            """
            test.vnnlib:4:13: error: unknown variable 'Z_1'
            (assert (<= Z_1 0.5))
                        ^
            """)
        // Declared too late (after its use) counts as not declared.
        expectError(
            header + "(assert (<= X_1 0.5))\n(declare-const X_1 Real)\n", .unknownVariable,
            """
            test.vnnlib:4:13: error: unknown variable 'X_1'
            (assert (<= X_1 0.5))
                        ^
            """)
    }

    @Test func redeclaration() {
        expectError(
            "(declare-const X_0 Real)\n(declare-const X_0 Real)\n", .redeclaration,
            """
            test.vnnlib:2:16: error: redeclaration of 'X_0' (first declared at 1:16)
            (declare-const X_0 Real)
                           ^
            """)
    }

    @Test func badNumbers() {
        expectError(
            header + "(assert (<= X_0 1.2.3))\n", .badNumber,
            """
            test.vnnlib:4:17: error: bad number '1.2.3'
            (assert (<= X_0 1.2.3))
                            ^
            """)
        expectError(
            header + "(assert (<= Y_0 2e))\n", .badNumber,
            """
            test.vnnlib:4:17: error: bad number '2e': exponent has no digits
            (assert (<= Y_0 2e))
                            ^
            """)
        expectError(
            header + "(assert (<= Y_0 NaN))\n", .badNumber,
            """
            test.vnnlib:4:17: error: bad number 'NaN': constants must be finite
            (assert (<= Y_0 NaN))
                            ^
            """)
        expectError(
            header + "(assert (<= Y_0 -inf))\n", .badNumber,
            """
            test.vnnlib:4:17: error: bad number '-inf': constants must be finite
            (assert (<= Y_0 -inf))
                            ^
            """)
        expectError(
            header + "(assert (<= Y_0 1e999))\n", .badNumber,
            """
            test.vnnlib:4:17: error: bad number '1e999': out of the range of Double
            (assert (<= Y_0 1e999))
                            ^
            """)
        expectError(
            header + "(assert (<= Y_0 0x1F))\n", .badNumber,
            """
            test.vnnlib:4:17: error: bad number '0x1F'
            (assert (<= Y_0 0x1F))
                            ^
            """)
    }

    @Test func arithmeticErrors() {
        expectError(
            header + "(assert (<= (/ Y_0 0) 1))\n", .badNumber,
            """
            test.vnnlib:4:13: error: bad number: division by zero
            (assert (<= (/ Y_0 0) 1))
                        ^
            """)
        expectError(
            header + "(assert (<= (* 1e200 1e200 Y_0) 1))\n", .badNumber,
            """
            test.vnnlib:4:13: error: bad number: arithmetic overflow in this term
            (assert (<= (* 1e200 1e200 Y_0) 1))
                        ^
            """)
    }

    @Test func wrongArity() {
        expectError(
            header + "(assert (<= X_0))\n", .wrongArity,
            """
            test.vnnlib:4:9: error: wrong number of arguments: '<=' expects at least 2 arguments, found 1 argument
            (assert (<= X_0))
                    ^
            """)
        expectError(
            "(declare-const X_0)\n", .wrongArity,
            """
            test.vnnlib:1:1: error: wrong number of arguments: 'declare-const' expects 2 arguments (a name and a sort), found 1 argument
            (declare-const X_0)
            ^
            """)
        expectError(
            header + "(assert (<= Y_0 1) (<= Y_0 2))\n", .wrongArity,
            """
            test.vnnlib:4:1: error: wrong number of arguments: 'assert' expects 1 argument, found 2 arguments
            (assert (<= Y_0 1) (<= Y_0 2))
            ^
            """)
        expectError(
            header + "(assert (or))\n", .wrongArity,
            """
            test.vnnlib:4:9: error: wrong number of arguments: 'or' expects at least 1 argument, found 0 arguments
            (assert (or))
                    ^
            """)
        expectError(
            header + "(assert (<= (-) 1))\n", .wrongArity,
            """
            test.vnnlib:4:13: error: wrong number of arguments: '-' expects at least 1 argument, found 0 arguments
            (assert (<= (-) 1))
                        ^
            """)
    }

    @Test func unsupportedConstructs() {
        expectError(
            header + "(assert (not (<= Y_0 1)))\n", .unsupportedConstruct,
            """
            test.vnnlib:4:10: error: unsupported operator 'not' in a formula (expected and, or, <=, >=, <, >, =)
            (assert (not (<= Y_0 1)))
                     ^
            """)
        expectError(
            header + "(assert (<= (max Y_0 1) 1))\n", .unsupportedConstruct,
            """
            test.vnnlib:4:14: error: unsupported operator 'max' in a term (expected +, -, *, /)
            (assert (<= (max Y_0 1) 1))
                         ^
            """)
        expectError(
            "(declare-const X_0 Int)\n", .unsupportedConstruct,
            """
            test.vnnlib:1:20: error: unsupported sort 'Int' (only Real is supported)
            (declare-const X_0 Int)
                               ^
            """)
        expectError(
            "(declare-const x0 Real)\n", .unsupportedConstruct,
            """
            test.vnnlib:1:16: error: unsupported variable name 'x0' (expected X_<i> for inputs or Y_<j> for outputs)
            (declare-const x0 Real)
                           ^
            """)
        expectError(
            header + "(assert Y_0)\n", .unsupportedConstruct,
            """
            test.vnnlib:4:9: error: expected a formula, found 'Y_0'
            (assert Y_0)
                    ^
            """)
    }

    @Test func nestingTooDeep() {
        let depth = SyntaxTree.maximumDepth + 1
        let text = String(repeating: "(", count: depth) + "\n" + String(repeating: ")", count: depth)
        let caret = String(repeating: " ", count: depth - 1) + "^"
        expectError(
            text, .unsupportedConstruct,
            "test.vnnlib:1:\(depth): error: unsupported construct: parentheses nested deeper than 100 levels\n"
                + String(repeating: "(", count: depth) + "\n" + caret)
    }

    @Test func nonLinearTerm() {
        expectError(
            header + "(assert (<= (* X_0 Y_0) 1))\n", .nonLinearTerm,
            """
            test.vnnlib:4:13: error: non-linear term: '*' needs all factors but one to be constants
            (assert (<= (* X_0 Y_0) 1))
                        ^
            """)
        expectError(
            header + "(assert (<= (/ 1 Y_0) 1))\n", .nonLinearTerm,
            """
            test.vnnlib:4:13: error: non-linear term: '/' needs constant divisors
            (assert (<= (/ 1 Y_0) 1))
                        ^
            """)
    }

    @Test func unsupportedInputConstraint() {
        let twoInputs = "(declare-const X_0 Real)\n(declare-const X_1 Real)\n(declare-const Y_0 Real)\n"
        expectError(
            twoInputs + "(assert (<= X_0 X_1))\n", .unsupportedInputConstraint,
            """
            test.vnnlib:4:9: error: unsupported input constraint: an atom over inputs must bound one X_i by a constant, but this one involves X_0 and X_1
            (assert (<= X_0 X_1))
                    ^
            """)
        expectError(
            twoInputs + "(assert (or (<= Y_0 0)\n\t(>= (+ X_0 Y_0) 1)))\n", .unsupportedInputConstraint,
            """
            test.vnnlib:5:2: error: unsupported input constraint: an atom over inputs must bound one X_i by a constant, but this one involves X_0 and Y_0
            \t(>= (+ X_0 Y_0) 1)))
            \t^
            """)
    }

    @Test func missingBound() {
        let text = "(declare-const X_0 Real)\n(declare-const X_1 Real)\n(declare-const Y_0 Real)\n"
            + "(assert (>= X_0 0)) (assert (<= X_0 1)) (assert (>= X_1 0))\n"
        expectError(
            text, .missingBound,
            """
            test.vnnlib:2:16: error: missing bound: X_1 has no upper bound (every input needs (assert (>= X_1 lower)) and (assert (<= X_1 upper)))
            (declare-const X_1 Real)
                           ^
            """)
        let twoRegions = "(declare-const X_0 Real)\n(declare-const Y_0 Real)\n"
            + "(assert (or (and (>= X_0 0) (<= X_0 1)) (>= X_0 2)))\n"
        expectError(
            twoRegions, .missingBound,
            """
            test.vnnlib:1:16: error: missing bound: X_0 has no upper bound in input region 2 of 2 (every input needs (assert (>= X_0 lower)) and (assert (<= X_0 upper)))
            (declare-const X_0 Real)
                           ^
            """)
    }

    @Test func emptyInputSet() {
        expectError(
            "(declare-const X_0 Real)\n(declare-const Y_0 Real)\n(assert (>= X_0 2))\n(assert (<= X_0 1))\n",
            .emptyInputSet,
            """
            test.vnnlib:4:9: error: empty input set: X_0 >= 2.0 contradicts X_0 <= 1.0
            (assert (<= X_0 1))
                    ^
            """)
        // Two regions, both empty.
        expectError(
            "(declare-const X_0 Real)\n(declare-const Y_0 Real)\n"
                + "(assert (or (and (<= X_0 -1) (>= X_0 0)) (and (>= X_0 3) (<= X_0 2))))\n",
            .emptyInputSet,
            """
            test.vnnlib:3:30: error: empty input set: X_0 >= 0.0 contradicts X_0 <= -1.0
            (assert (or (and (<= X_0 -1) (>= X_0 0)) (and (>= X_0 3) (<= X_0 2))))
                                         ^
            """)
    }

    @Test func declarationProblems() {
        expectError(
            "(declare-const X_0 Real)\n(declare-const X_2 Real)\n(declare-const Y_0 Real)\n", .badDeclarations,
            """
            test.vnnlib:2:16: error: input indices have a gap: X_2 is declared but X_1 is not
            (declare-const X_2 Real)
                           ^
            """)
        expectError(
            "(declare-const X_0 Real)\n(declare-const Y_1 Real)\n", .badDeclarations,
            """
            test.vnnlib:2:16: error: output indices have a gap: Y_1 is declared but Y_0 is not
            (declare-const Y_1 Real)
                           ^
            """)
        expectError(
            "; no outputs\n(declare-const X_0 Real)\n", .badDeclarations,
            """
            test.vnnlib:1:1: error: no output variables declared (expected (declare-const Y_0 Real) ...)
            ; no outputs
            ^
            """)
        expectError(
            "", .badDeclarations,
            "test.vnnlib:1:1: error: no input variables declared (expected (declare-const X_0 Real) ...)\n\n^")
    }

    @Test func alwaysFalse() {
        expectError(
            header + "(assert (or (and (<= Y_0 1) (<= 1 0)) false))\n", .alwaysFalse,
            """
            test.vnnlib:4:29: error: the assertions can never hold (a comparison without variables is false), so nothing is unsafe
            (assert (or (and (<= Y_0 1) (<= 1 0)) false))
                                        ^
            """)
    }

    @Test func dnfTooLarge() {
        // 2^17 = 131072 terms > 100000: the 17th disjunction overflows.
        let ors = (0..<17).map { "(assert (or (<= Y_0 \($0)) (>= Y_0 \($0 + 100))))\n" }.joined()
        expectError(
            header + ors, .tooLarge,
            """
            test.vnnlib:20:1: error: specification too large: its disjunctive normal form exceeds 100000 terms (or 20000000 atom occurrences)
            (assert (or (<= Y_0 16) (>= Y_0 116)))
            ^
            """)
        // 16 of them (65536 terms) are fine.
        let ok = (0..<16).map { "(assert (or (<= Y_0 \($0)) (>= Y_0 \($0 + 100))))\n" }.joined()
        #expect((try? parse(header + ok))?.cases.first?.disjuncts.count == 65536)
    }

    @Test func longLinesAreShownAsAWindowAroundTheColumn() {
        let asserts = (0..<20).map { _ in "(assert (>= X_0 0))" }.joined(separator: " ")
        let prefix = "(declare-const X_0 Real) (declare-const Y_0 Real) " + asserts + " (assert (<= "
        let text = prefix + "Q 1)) " + asserts
        guard let error = parseError(text) else { return }
        let column = prefix.count + 1
        #expect(error.line == 1 && error.column == column)
        let window = Array(text)[(column - 1 - 80)...].prefix(160)
        #expect(error.sourceLine == "..." + String(window) + "...")
        #expect(error.caretLine == String(repeating: " ", count: 83) + "^")
        #expect(window[window.startIndex + 80] == "Q")
    }

    @Test func fileErrors() throws {
        let missing = "/nonexistent-dir-for-vnnlib-tests/prop.vnnlib"
        do {
            _ = try VNNLibParser.parse(contentsOf: missing)
            Issue.record("a missing file parsed")
        } catch let error as VNNLibError {
            #expect(error.kind == .fileNotFound)
            #expect(error.description == "/nonexistent-dir-for-vnnlib-tests/prop.vnnlib: error: file not found")
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vnnlib-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        do {
            _ = try VNNLibParser.parse(contentsOf: dir.path)
            Issue.record("a directory parsed")
        } catch let error as VNNLibError {
            #expect(error.kind == .unreadableFile)
            #expect(error.description == "\(dir.path): error: cannot read the file: it is a directory")
        }
        let file = dir.appendingPathComponent("latin1.vnnlib")
        var bytes = Array("(declare-const X_0 Real)\n; Gr".utf8)
        bytes += [0xFC, 0x6E] + Array("e\n".utf8)  // "Grüne" in Latin-1
        try Data(bytes).write(to: file)
        do {
            _ = try VNNLibParser.parse(contentsOf: file.path)
            Issue.record("invalid UTF-8 parsed")
        } catch let error as VNNLibError {
            #expect(error.kind == .invalidUTF8)
            #expect(error.description == "\(file.path):2:5: error: the file is not valid UTF-8 (invalid byte 0xFC)\n; Gr\u{FFFD}ne\n    ^")
        }
    }

    @Test func parsesAValidFileFromDisk() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("vnnlib-\(UUID().uuidString).vnnlib")
        try Data(("; Grün ✓\n" + header + "(assert (<= Y_0 1))\n").utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        #expect(try VNNLibParser.parse(contentsOf: file.path) == Specification(
            inputCount: 1, outputCount: 1, cases: [SpecCase(box: box([(0, 1)]), disjuncts: [[constraint([1], -1)]])]))
    }

    @Test func incompatibleModel() throws {
        let spec = try parse(header + "(assert (<= Y_0 1))\n")
        #expect(throws: Never.self) { try spec.checkCompatible(inputCount: 1, outputCount: 1) }
        do {
            try spec.checkCompatible(inputCount: 784, outputCount: 1)
            Issue.record("accepted 784 inputs")
        } catch let error as VNNLibError {
            #expect(error.kind == .incompatibleModel)
            #expect(error.description == "error: the model has 784 inputs but the specification declares 1 (X_0 ... X_0)")
        }
        do {
            try spec.checkCompatible(inputCount: 1, outputCount: 10)
            Issue.record("accepted 10 outputs")
        } catch let error as VNNLibError {
            #expect(error.description == "error: the model has 10 outputs but the specification declares 1 (Y_0 ... Y_0)")
        }
    }
}
