import Testing
@testable import VNNLib

/// VNN-LIB 2.0 queries: declarations, joint variables, linear input constraints, strictness, errors.
@Suite struct Version2Tests {
    static let header = "(vnnlib-version <2.0>)\n"
    static let acas = """
        (vnnlib-version <2.0>)
        (declare-network f
            (declare-input X float32 [1,2])
            (declare-output Y float32 [1,2])
        )
        (assert (>= X[0,0] -1.0))
        (assert (<= X[0,0] 1.0))
        (assert (>= X[0,1] 0.0))
        (assert (<= X[0,1] 0.5))
        (assert (<= (- Y[0,0] Y[0,1]) 0.0))

        """

    func query(_ text: String) throws -> Query { try VNNLibParser.parseQuery(text, fileName: "q.vnnlib") }

    func error(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> VNNLibError? {
        do {
            let q = try query(text)
            Issue.record("expected an error, parsed \(q)", sourceLocation: sourceLocation)
        } catch let e as VNNLibError {
            return e
        } catch {
            Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
        }
        return nil
    }

    @Test func aSingleNetworkQueryBecomesABoxAndOutputConstraints() throws {
        let q = try query(Self.acas)
        #expect(q.version == "2.0")
        #expect(q.networks.map(\.name) == ["f"])
        #expect(q.declarations.map(\.name) == ["X", "Y"])
        #expect(q.specification == Specification(inputCount: 2, outputCount: 2, cases: [
            SpecCase(box: InputBox(lower: [-1, 0], upper: [1, 0.5]), disjuncts: [[LinearConstraint(coefficients: [1, -1], constant: 0)]]),
        ]))
        // The same property in VNN-LIB 1.0.
        let v1 = declarations(inputs: 2, outputs: 2) + boxAsserts([(-1, 1), (0, 0.5)]) + "(assert (<= (- Y_0 Y_1) 0))\n"
        #expect(try parse(v1) == q.specification)
        #expect(try VNNLibParser.parse(Self.acas, fileName: "q.vnnlib") == q.specification)
    }

    @Test func twoNetworksShareJointVariablesAndCoupledInputsAreConstraints() throws {
        let q = try query(Self.header + """
            (declare-network f (declare-input A real [2]) (declare-output B real [1]))
            (declare-network g (equal-to f) (declare-input C real [2]) (declare-output D real [1]))
            (assert (>= A[0] 0.0)) (assert (<= A[0] 1.0)) (assert (>= A[1] 0.0)) (assert (<= A[1] 1.0))
            (assert (== C[1] A[1]))
            (assert (>= A[0] C[0]))
            (assert (>= C[0] 0.0))
            (assert (> D[0] B[0]))
            """)
        #expect(q.networks[1].relation == .equalTo("f"))
        #expect(q.declarations.map(\.offset) == [0, 0, 2, 1])
        let c = try #require(q.specification.cases.first)
        // C is bounded through the constraints: C[1] == A[1] in [0,1], 0 <= C[0] <= A[0] <= 1.
        #expect(c.box.lower.map { $0.rounded() } == [0, 0, 0, 0])
        #expect(c.box.upper.map { ($0 * 1e6).rounded() / 1e6 } == [1, 1, 1, 1])
        #expect(c.box.upper[2] >= 1 && c.box.upper[3] >= 1, "tightened bounds are rounded outward")
        #expect(c.inputConstraints.count == 3)
        #expect(c.disjuncts == [[LinearConstraint(coefficients: [1, -1], constant: 0, isStrict: true)]])
        #expect(c.contains([0.5, 0.5, 0.25, 0.5]))
        #expect(!c.contains([0.5, 0.5, 0.75, 0.5]), "C[0] > A[0]")
        #expect(!c.contains([0.5, 0.5, 0.25, 0.4]), "C[1] != A[1]")
        #expect(c.isViolated(by: [0, 1]) && !c.isViolated(by: [1, 1]), "D > B is strict")
    }

    @Test func strictAndNotEqualAreExactForWitnessesAndClosedForBounds() throws {
        let q = try query(Self.header + """
            (declare-network f (declare-input X real [1]) (declare-output Y real []))
            (assert (> X[0] 0.0)) (assert (<= X[0] 1.0))
            (assert (!= Y 0.5))
            """)
        let c = try #require(q.specification.cases.first)
        #expect(c.box == InputBox(lower: [0], upper: [1]), "the closure bounds the region")
        #expect(!c.contains([0]) && c.contains([1e-300]))
        #expect(c.disjuncts.count == 2)
        #expect(!c.isViolated(by: [0.5]) && c.isViolated(by: [0.4]) && c.isViolated(by: [0.6]))
    }

    @Test func standardTestFilesParse() throws {
        let q = try query("""
            (vnnlib-version <2.0>)
            (declare-network acc
                (declare-input X real [3])
                (declare-output Y real [])
            )
            (assert (<= (* -1.0 X[0]) 0.0))
            (assert (<= X[0] 50.0))
            (assert (<= (* -1.0 X[1]) 50.0))
            (assert (<= X[1] 50.0))
            (assert (<= (* -1.0 X[2]) 0.0))
            (assert (<= X[2] 150.0))
            (assert (<= (+ (* -1.5 X[1]) X[2]) -15.0))
            (assert (or (<= Y -3.0) (>= Y 0.0)))
            """)
        let c = try #require(q.specification.cases.first)
        #expect(q.specification.cases.count == 1 && c.disjuncts.count == 2)
        #expect(c.inputConstraints == [LinearConstraint(coefficients: [0, -1.5, 1], constant: 15)])
        // X[2] <= 1.5 X[1] - 15 <= 60 tightens the box.
        #expect(c.box.upper[2] < 60.001 && c.box.upper[2] >= 60)
        #expect(c.box.lower[1] > 9.999 && c.box.lower[1] <= 10)
    }

    @Test func errorsNameTheProblemAndThePlace() {
        let net = "(declare-network f (declare-input X real [2]) (declare-output Y real [1]))\n"
        let bounds = "(assert (>= X[0] 0.0)) (assert (<= X[0] 1.0)) (assert (>= X[1] 0.0)) (assert (<= X[1] 1.0))\n"
        let cases: [(String, VNNLibError.Kind, String)] = [
            ("(vnnlib-version <3.0>)\n" + net + bounds, .badVersion, "q.vnnlib:1:17: error: unsupported VNN-LIB version <3.0>"),
            ("(vnnlib-version 2.0)\n" + net + bounds, .badVersion, "q.vnnlib:1:17: error: malformed version '2.0'"),
            (net + bounds, .badVersion, "q.vnnlib:1:2: error: 'declare-network' is VNN-LIB 2.0"),
            (Self.header + net + bounds + "(assert (<= Z[0] 0.0))", .unknownVariable, "q.vnnlib:4:13: error: unknown variable 'Z'"),
            (Self.header + net + bounds + "(assert (<= Y[1] 0.0))", .indexOutOfRange,
             "q.vnnlib:4:13: error: index out of range: 'Y[1]' has 1 index [1] but Y has shape [1]"),
            (Self.header + net + bounds + "(assert (<= Y[0,0] 0.0))", .indexOutOfRange, "has 2 indices [0, 0] but Y has shape [1]"),
            (Self.header + net + "(declare-network g (declare-input X real [2]) (declare-output Z real [1]))\n" + bounds,
             .redeclaration, "q.vnnlib:3:35: error: redeclaration of 'X' (first declared at 2:35)"),
            (Self.header + net + bounds + "(assert (<= (* Y[0] Y[0]) 0.0))", .nonLinearTerm, "polynomial arithmetic (VNN-LIB theory POLY)"),
            (Self.header + net + bounds + "(assert (<= Y[0] 0))", .badNumber, "an integer literal where a real is expected"),
            (Self.header + net + bounds + "(assert (<= Y[0] 1e-5))", .badNumber, "without exponent"),
            (Self.header + net + bounds + "(assert (<= Y[0] X[0]))", .unsupportedInputConstraint, "mixes network inputs and outputs"),
            (Self.header + "(declare-network f (declare-input X Float32 [2]) (declare-output Y real [1]))\n" + bounds,
             .unsupportedConstruct, "unsupported element type 'Float32' (did you mean float32?)"),
            (Self.header + "(declare-network f (declare-input X int32 [2]) (declare-output Y real [1]))\n" + bounds,
             .unsupportedConstruct, "unsupported element type 'int32'"),
            (Self.header + net + "(declare-network g (equal-to h) (declare-input A real [2]) (declare-output B real [1]))\n" + bounds,
             .badNetwork, "'equal-to' names 'h', which is not a network declared before 'g'"),
            (Self.header + net + "(declare-network g (equal-to f) (declare-input A real [3]) (declare-output B real [1]))\n" + bounds,
             .badNetwork, "shape mismatch: 'g' is related to 'f'"),
            (Self.header + net + "(assert (>= X[0] 0.0)) (assert (<= X[0] 1.0)) (assert (<= Y[0] 0.0))", .missingBound,
             "missing bound: X[1] has no lower bound"),
            (Self.header + net, .badDeclarations, "no assertion"),
            (Self.header + "(declare-network f (declare-input X real [10000,10000]) (declare-output Y real [1]))\n(assert (<= Y[0] 0.0))",
             .tooLarge, "q.vnnlib:2:35: error: specification too large: the tensors declared so far hold more than 10000000 elements"),
        ]
        for (text, kind, needle) in cases {
            let e = error(text)
            #expect(e?.kind == kind, "\(text)")
            #expect(e?.description.contains(needle) == true, "\(e?.description ?? "no error") lacks \(needle)")
        }
    }
}
