import Testing
@testable import VNNLib

/// Normalisation of linear terms and comparisons into boxes and `c·y + d <= 0` constraints.
@Suite struct LinearTermTests {
    /// The box of a one-case spec with inputs `X_0`, `X_1` whose bounds are given as assert bodies.
    func boxOf(_ atoms: [String]) throws -> InputBox {
        let spec = try parse(declarations(inputs: 2, outputs: 1) + atoms.map { "(assert \($0))\n" }.joined())
        try #require(spec.cases.count == 1)
        return spec.cases[0].box
    }

    /// The single output constraint produced by `atom` over outputs `Y_0...Y_2`.
    func outputConstraint(_ atom: String) throws -> LinearConstraint {
        let spec = try parse(declarations(inputs: 1, outputs: 3) + boxAsserts([(0, 1)]) + "(assert \(atom))")
        try #require(spec.cases.count == 1 && spec.cases[0].disjuncts.count == 1)
        try #require(spec.cases[0].disjuncts[0].count == 1)
        return spec.cases[0].disjuncts[0][0]
    }

    @Test func scaledAndShiftedInputBounds() throws {
        #expect(try boxOf(["(<= (* 2 X_0) 1)", "(>= (* X_0 4) -1)", "(<= (+ X_1 1) 3)", "(>= (- X_1 0.5) 0)"])
            == box([(-0.25, 0.5), (0.5, 2)]))
    }

    @Test func negatedInputFlipsTheBound() throws {
        // -X_0 <= 1 is X_0 >= -1; (- 3 X_1) >= 1 is X_1 <= 2.
        #expect(try boxOf(["(<= (- X_0) 1)", "(<= X_0 0)", "(>= (- 3 X_1) 1)", "(>= X_1 -2)"])
            == box([(-1, 0), (-2, 2)]))
    }

    @Test func constantOnTheLeftAndDivision() throws {
        // X_1 / -2 <= 1 is X_1 >= -2.
        #expect(try boxOf(["(>= 1 X_0)", "(<= -1 X_0)", "(<= (/ X_1 4) 0.5)", "(<= (/ X_1 -2) 1)"])
            == box([(-1, 1), (-2, 2)]))
    }

    @Test func repeatedVariableIsCombined() throws {
        // X_0 + X_0 - 0.5·X_0 = 1.5·X_0.
        #expect(try boxOf(["(<= (+ X_0 X_0 (* -0.5 X_0)) 3)", "(>= X_0 0)", "(= X_1 0.25)"])
            == box([(0, 2), (0.25, 0.25)]))
    }

    @Test func strictComparisonsAreNonStrictAndChainsSplit() throws {
        #expect(try boxOf(["(< X_0 1)", "(> X_0 0)", "(<= 0.5 X_1 0.75)"]) == box([(0, 1), (0.5, 0.75)]))
    }

    @Test func cancelledVariableLeavesAConstantAtom() throws {
        // (X_0 - X_0) <= 1 is 0 <= 1: true, dropped; the bounds still come from the other asserts.
        #expect(try boxOf(["(<= (- X_0 X_0) 1)", "(>= X_0 0)", "(<= X_0 1)", "(>= X_1 0)", "(<= X_1 1)"])
            == box([(0, 1), (0, 1)]))
    }

    @Test func outputTermsBecomeDenseConstraints() throws {
        // Y_0 + 2·Y_1 <= Y_2 - 3  ⇔  Y_0 + 2·Y_1 - Y_2 + 3 <= 0.
        #expect(try outputConstraint("(<= (+ Y_0 (* 2 Y_1)) (- Y_2 3))") == constraint([1, 2, -1], 3))
        #expect(try outputConstraint("(>= (* 2 3 Y_0) 1.5e1)") == constraint([-6, 0, 0], 15))
        #expect(try outputConstraint("(> (- Y_1) (* Y_2 0.5))") == constraint([0, 1, 0.5], 0))
        #expect(try outputConstraint("(<= (/ (+ Y_0 Y_1) 2) 0)") == constraint([0.5, 0.5, 0], 0))
        #expect(try outputConstraint("(<= (+ Y_0 Y_1 (- Y_1)) 0)") == constraint([1, 0, 0], 0))
    }

    @Test func equalityOnOutputsIsTwoConstraints() throws {
        let spec = try parse(declarations(inputs: 1, outputs: 2) + boxAsserts([(0, 1)]) + "(assert (= Y_0 Y_1))")
        #expect(spec.cases[0].disjuncts == [[constraint([1, -1]), constraint([-1, 1])]])
    }

    @Test func numberSpellings() throws {
        let values = ["5", "-5", "+5", "0.25", "-0.25", ".5", "-.5", "5.", "1e3", "1E-3", "-2.5e+2", "0", "-0", "007"]
        let expected: [Double] = [5, -5, 5, 0.25, -0.25, 0.5, -0.5, 5, 1000, 0.001, -250, 0, 0, 7]
        for (text, value) in zip(values, expected) {
            let spec = try parse(declarations(inputs: 1, outputs: 1) + "(assert (= X_0 \(text)))")
            #expect(spec.cases[0].box == InputBox(lower: [value], upper: [value]), "\(text)")
            // No negative zero sneaks into a bound or constant.
            #expect(spec.cases[0].box.lower[0].sign == .plus || value < 0, "\(text)")
        }
    }

    @Test func residualMatchesTheWrittenInequality() throws {
        // Y_0 + 2·Y_1 <= Y_2 - 3 checked by evaluating the constraint on concrete outputs.
        let c = try outputConstraint("(<= (+ Y_0 (* 2 Y_1)) (- Y_2 3))")
        #expect(c.residual([1, 1, 6]) <= 0)  // 3 <= 3
        #expect(c.residual([1, 1.5, 6]) > 0)  // 4 > 3
    }

    @Test func nestingUpToTheDepthLimitParses() throws {
        // assert (1) and <= (2) around 98 nested negations: 100 levels, the maximum.
        let negations = SyntaxTree.maximumDepth - 2
        let term = String(repeating: "(- ", count: negations) + "Y_0" + String(repeating: ")", count: negations)
        #expect(try outputConstraint("(<= \(term) 1)") == constraint([1, 0, 0], -1))
        let ands = String(repeating: "(and ", count: negations - 1) + "(<= Y_1 2)" + String(repeating: ")", count: negations - 1)
        #expect(try outputConstraint(ands) == constraint([0, 1, 0], -2))
    }
}
