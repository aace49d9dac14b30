import Testing
@testable import VNNLib

/// The shapes of VNN-LIB found in the benchmark files (see shared/benchmarks/README.md), written
/// inline, each with the exact expected `Specification`.
@Suite struct SpecificationShapeTests {
    let acasBox: [(Double, Double)] = [(0.6, 0.679857769), (-0.5, 0.5), (-0.5, 0.5), (0.45, 0.5), (-0.5, -0.45)]

    @Test func acasProperty1SingleOutputAtomAgainstConstant() throws {
        let text = """
            ; ACAS Xu property 1
            \(declarations(inputs: 5, outputs: 5))
            ; Unscaled Input 0: (55947.691, 60760)
            (assert (<= X_0 0.679857769))
            (assert (>= X_0 0.6))
            (assert (<= X_1 0.5))
            (assert (>= X_1 -0.5))
            (assert (<= X_2 0.5))
            (assert (>= X_2 -0.5))
            (assert (<= X_3 0.5))
            (assert (>= X_3 0.45))
            (assert (<= X_4 -0.45))
            (assert (>= X_4 -0.5))
            ; Unsafe if COC >= 1500.
            (assert (>= Y_0 3.991125645861615))
            """
        let expected = Specification(
            inputCount: 5, outputCount: 5,
            cases: [SpecCase(box: box(acasBox), disjuncts: [[constraint([-1, 0, 0, 0, 0], 3.991125645861615)]])])
        #expect(try parse(text) == expected)
    }

    @Test func acasProperty2ConjunctionOfOutputComparisons() throws {
        let text = declarations(inputs: 5, outputs: 5) + boxAsserts(acasBox) + """
            ; Unsafe if COC is maximal
            (assert (<= Y_1 Y_0))
            (assert (<= Y_2 Y_0))
            (assert (<= Y_3 Y_0))
            (assert (<= Y_4 Y_0))
            """
        let conjunction = [
            constraint([-1, 1, 0, 0, 0]), constraint([-1, 0, 1, 0, 0]),
            constraint([-1, 0, 0, 1, 0]), constraint([-1, 0, 0, 0, 1]),
        ]
        let expected = Specification(
            inputCount: 5, outputCount: 5, cases: [SpecCase(box: box(acasBox), disjuncts: [conjunction])])
        #expect(try parse(text) == expected)
    }

    @Test func acasProperty3StyleAndDisjunctionOfSingleAtoms() throws {
        // Property 3 proper is a conjunction like property 2; props 3-10 in VNN-COMP form also
        // use (or (and ...) ...) of single atoms, covered here.
        let text = declarations(inputs: 5, outputs: 5) + boxAsserts(acasBox) + """
            (assert (<= Y_0 Y_1))
            (assert (<= Y_0 Y_2))
            (assert (or
                (and (<= Y_0 Y_3))
                (and (<= Y_0 Y_4))
            ))
            """
        let common = [constraint([1, -1, 0, 0, 0]), constraint([1, 0, -1, 0, 0])]
        let expected = Specification(
            inputCount: 5, outputCount: 5,
            cases: [
                SpecCase(
                    box: box(acasBox),
                    disjuncts: [common + [constraint([1, 0, 0, -1, 0])], common + [constraint([1, 0, 0, 0, -1])]])
            ])
        #expect(try parse(text) == expected)
    }

    @Test func acasProperty6UnionOfTwoBoxes() throws {
        let text = declarations(inputs: 2, outputs: 3) + """
            (assert (or
                (and (<= X_0 0.7) (>= X_0 -0.1) (<= X_1 0.5) (>= X_1 0.1))
                (and (<= X_0 0.7) (>= X_0 -0.1) (<= X_1 -0.1) (>= X_1 -0.5))
            ))
            ; unsafe if coc is not minimal
            (assert (or
                (and (<= Y_1 Y_0))
                (and (<= Y_2 Y_0))
            ))
            """
        let disjuncts = [[constraint([-1, 1, 0])], [constraint([-1, 0, 1])]]
        let expected = Specification(
            inputCount: 2, outputCount: 3,
            cases: [
                SpecCase(box: box([(-0.1, 0.7), (0.1, 0.5)]), disjuncts: disjuncts),
                SpecCase(box: box([(-0.1, 0.7), (-0.5, -0.1)]), disjuncts: disjuncts),
            ])
        #expect(try parse(text) == expected)
    }

    @Test func mnistRobustnessOneBoxNineWayDisjunction() throws {
        let pixels = (0..<4).map { Double($0) / 10 }
        let bounds = pixels.map { ($0 - 0.03 < 0 ? 0 : $0 - 0.03, $0 + 0.03) }
        let text = "; Mnist property with label: 0.\n" + declarations(inputs: 4, outputs: 10)
            + "; Input constraints:\n" + boxAsserts(bounds)
            + "; Output constraints:\n(assert (or\n"
            + (1..<10).map { "    (and (>= Y_\($0) Y_0))\n" }.joined() + "))\n"
        let disjuncts = (1..<10).map { j -> [LinearConstraint] in
            var c = Array(repeating: 0.0, count: 10)
            c[0] = 1
            c[j] = -1
            return [constraint(c)]
        }
        let expected = Specification(
            inputCount: 4, outputCount: 10, cases: [SpecCase(box: box(bounds), disjuncts: disjuncts)])
        let spec = try parse(text)
        #expect(spec == expected)
        #expect(spec.cases[0].disjuncts.count == 9)
    }

    @Test func collinsIfThenOutputAgainstConstants() throws {
        // Part of the inputs are fixed points (lower == upper), part are intervals.
        let bounds: [(Double, Double)] = [(-0.4373114872374232, -0.4373114872374232), (0.2, 0.3), (0.25, 0.25)]
        let text = "; RUL monotonicity property.\n" + declarations(inputs: 3, outputs: 1) + boxAsserts(bounds) + """
            ; Output constraints:
            (assert (or
            \t(and (<= Y_0 41))
            \t(and (>= Y_0 236))
            ))
            """
        let expected = Specification(
            inputCount: 3, outputCount: 1,
            cases: [SpecCase(box: box(bounds), disjuncts: [[constraint([1], -41)], [constraint([-1], 236)]])])
        #expect(try parse(text) == expected)
    }

    @Test func distShiftSingleOutputVersusOutputAtom() throws {
        let bounds: [(Double, Double)] = [(0.5, 0.5), (-3, 3)]
        let text = declarations(inputs: 2, outputs: 7) + boxAsserts(bounds) + "(assert (>= Y_5 Y_6))\n"
        let expected = Specification(
            inputCount: 2, outputCount: 7,
            cases: [SpecCase(box: box(bounds), disjuncts: [[constraint([0, 0, 0, 0, 0, -1, 1])]])])
        #expect(try parse(text) == expected)
    }

    @Test func noOutputConstraintMeansOneEmptyDisjunct() throws {
        let text = declarations(inputs: 1, outputs: 2) + boxAsserts([(0, 1)])
        #expect(try parse(text) == Specification(
            inputCount: 1, outputCount: 2, cases: [SpecCase(box: box([(0, 1)]), disjuncts: [[]])]))
    }

    @Test func constantAtomsAreEvaluated() throws {
        // A true constant atom is dropped; a false one drops its conjunction.
        let text = declarations(inputs: 1, outputs: 2) + boxAsserts([(0, 1)]) + """
            (assert (<= 1 2))
            (assert (or (and (<= Y_0 1) (>= 1 2)) (and (<= Y_1 3) (<= -1 -1)) (and (> 4 3) (<= Y_0 Y_1))))
            """
        #expect(try parse(text) == Specification(
            inputCount: 1, outputCount: 2,
            cases: [SpecCase(box: box([(0, 1)]), disjuncts: [[constraint([0, 1], -3)], [constraint([1, -1])]])]))
    }

    @Test func trueOutputDisjunctSubsumesTheOthers() throws {
        let text = declarations(inputs: 1, outputs: 1) + boxAsserts([(0, 1)]) + "(assert (or (<= Y_0 1) (<= 0 1)))"
        #expect(try parse(text).cases[0].disjuncts == [[]])
        let withTrue = declarations(inputs: 1, outputs: 1) + boxAsserts([(0, 1)]) + "(assert (or (<= Y_0 1) true))"
        #expect(try parse(withTrue).cases[0].disjuncts == [[]])
    }

    @Test func emptyBoxIsDroppedWhenAnotherCaseRemains() throws {
        let text = declarations(inputs: 1, outputs: 1) + """
            (assert (or (and (>= X_0 2) (<= X_0 1)) (and (>= X_0 0) (<= X_0 1))))
            (assert (<= Y_0 0))
            """
        #expect(try parse(text) == Specification(
            inputCount: 1, outputCount: 1, cases: [SpecCase(box: box([(0, 1)]), disjuncts: [[constraint([1])]])]))
    }

    @Test func termsWithEqualBoxesShareOneCase() throws {
        // Different atoms, same box (a redundant looser bound in the second branch).
        let text = declarations(inputs: 1, outputs: 2) + """
            (assert (or (and (>= X_0 0) (<= X_0 1) (<= Y_0 0))
                        (and (>= X_0 0) (<= X_0 1) (<= X_0 5) (<= Y_1 0))
                        (and (>= X_0 0) (<= X_0 1) (<= Y_0 0))))
            """
        #expect(try parse(text) == Specification(
            inputCount: 1, outputCount: 2,
            cases: [SpecCase(box: box([(0, 1)]), disjuncts: [[constraint([1, 0])], [constraint([0, 1])]])]))
    }

    @Test func tighterOfRepeatedBoundsWins() throws {
        let text = declarations(inputs: 1, outputs: 1) + """
            (assert (>= X_0 0)) (assert (>= X_0 0.25)) (assert (<= X_0 1)) (assert (<= X_0 0.75))
            (assert (<= Y_0 0)) (assert (<= Y_0 0))
            """
        #expect(try parse(text) == Specification(
            inputCount: 1, outputCount: 1, cases: [SpecCase(box: box([(0.25, 0.75)]), disjuncts: [[constraint([1])]])]))
    }

    @Test func distributesConjunctionOverDisjunctions() throws {
        let text = declarations(inputs: 1, outputs: 2) + boxAsserts([(0, 1)]) + """
            (assert (or (<= Y_0 1) (<= Y_0 2)))
            (assert (or (<= Y_1 3) (<= Y_1 4)))
            """
        let y0 = [constraint([1, 0], -1), constraint([1, 0], -2)]
        let y1 = [constraint([0, 1], -3), constraint([0, 1], -4)]
        #expect(try parse(text).cases[0].disjuncts == [[y0[0], y1[0]], [y0[0], y1[1]], [y0[1], y1[0]], [y0[1], y1[1]]])
    }

    @Test func lexicalDetailsCommentsCRLFTabsBOMAndIgnoredCommands() throws {
        let text = "\u{FEFF}; comment (with parens\r\n(declare-const X_0 Real);trailing\r\n\t(declare-const Y_0 Real)\r\n"
            + "(assert\t(>= X_0 -1e-1)) (assert (<= X_0 +2.5E+0))\r\n(assert (>= Y_0 .5))\r\n(check-sat)\r\n(get-model)"
        #expect(try parse(text) == Specification(
            inputCount: 1, outputCount: 1,
            cases: [SpecCase(box: box([(-0.1, 2.5)]), disjuncts: [[constraint([-1], 0.5)]])]))
    }

    @Test func unicodeInCommentsIsFine() throws {
        let text = "; Eingänge – 入力\n" + declarations(inputs: 1, outputs: 1) + boxAsserts([(0, 1)])
        #expect(try parse(text).cases.count == 1)
    }
}
