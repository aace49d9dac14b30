import LP
import Testing

/// Invalid programs throw a precise `LPError` from `solve` and `solveMILP` (GLPK itself would abort).
@Suite struct InvalidInputTests {
    /// A valid two-variable program to break in one place at a time.
    static func valid() -> LinearProgram {
        var lp = LinearProgram(sense: .maximise)
        lp.addVariable(lower: 0, upper: 1, objective: 1, name: "x")
        lp.addVariable(lower: -.infinity, upper: .infinity, objective: 0, isInteger: true, name: "n")
        lp.addConstraint([(0, 1), (1, 1)], lower: -5, upper: 5, name: "sum")
        return lp
    }

    /// Expects both solvers to throw an error that `matches` and whose description mentions `words`.
    func expectRejected(_ lp: LinearProgram, mentioning words: [String], sourceLocation: SourceLocation = #_sourceLocation,
                        _ matches: (LPError) -> Bool) {
        for milp in [false, true] {
            let error = #expect(throws: LPError.self, sourceLocation: sourceLocation) {
                _ = milp ? try lp.solveMILP() : try lp.solve()
            }
            guard let error else { continue }
            #expect(matches(error), "unexpected error \(error)", sourceLocation: sourceLocation)
            for word in words {
                #expect(error.description.contains(word), "\"\(error)\" does not mention \(word)", sourceLocation: sourceLocation)
            }
        }
    }

    @Test func theValidProgramSolves() throws {
        expectOptimal(try Self.valid().solveMILP(), objective: 1)
    }

    @Test func emptyProgram() {
        expectRejected(LinearProgram(sense: .minimise), mentioning: ["no variables"]) { $0 == .emptyProblem }
    }

    @Test func variableBounds() {
        for (lower, upper) in [(2.0, 1.0), (.nan, 1), (0, .nan), (.infinity, .infinity), (-.infinity, -.infinity)] {
            var lp = Self.valid()
            lp.variables[1].lower = lower
            lp.variables[1].upper = upper
            expectRejected(lp, mentioning: ["variable 1", "\"n\"", "bounds"]) {
                if case .invalidVariableBounds(1, "n", _, _) = $0 { return true }
                return false
            }
        }
    }

    @Test func objectiveCoefficients() {
        for value in [Double.nan, .infinity, -.infinity] {
            var lp = Self.valid()
            lp.variables[0].objective = value
            expectRejected(lp, mentioning: ["variable 0", "objective"]) {
                if case .invalidObjectiveCoefficient(0, "x", _) = $0 { return true }
                return false
            }
        }
        var lp = Self.valid()
        lp.objectiveConstant = .nan
        expectRejected(lp, mentioning: ["objective constant"]) {
            if case .invalidObjectiveConstant = $0 { return true }
            return false
        }
    }

    @Test func constraintBounds() {
        for (lower, upper) in [(6.0, 5.0), (.nan, 1), (0, .nan), (.infinity, .infinity), (-.infinity, -.infinity)] {
            var lp = Self.valid()
            lp.constraints[0].lower = lower
            lp.constraints[0].upper = upper
            expectRejected(lp, mentioning: ["constraint 0", "\"sum\"", "bounds"]) {
                if case .invalidConstraintBounds(0, "sum", _, _) = $0 { return true }
                return false
            }
        }
    }

    @Test func constraintCoefficients() {
        for value in [Double.nan, .infinity, -.infinity] {
            var lp = Self.valid()
            lp.addConstraint([(0, 1), (1, value)], upper: 3)
            expectRejected(lp, mentioning: ["constraint 1", "variable 1"]) {
                if case .invalidCoefficient(1, nil, 1, _) = $0 { return true }
                return false
            }
        }
    }

    @Test func variableIndexOutOfRange() {
        for index in [-1, 2, 1_000_000] {
            var lp = Self.valid()
            lp.addConstraint([(index, 1)], upper: 3, name: "bad")
            expectRejected(lp, mentioning: ["constraint 1", "\"bad\"", "\(index)", "0..<2"]) {
                $0 == .variableOutOfRange(constraint: 1, name: "bad", variable: index, variableCount: 2)
            }
        }
    }

    @Test func duplicateVariableInARow() {
        var lp = Self.valid()
        lp.addConstraint([(1, 1), (0, 2), (1, -1)], upper: 3)
        expectRejected(lp, mentioning: ["constraint 1", "variable 1", "more than once"]) {
            $0 == .duplicateVariable(constraint: 1, name: nil, variable: 1)
        }
    }

    @Test func magnitudesBeyondWhatGLPKResolves() {
        var bound = Self.valid()
        bound.variables[0].upper = 2e15
        expectRejected(bound, mentioning: ["variable 0", "\"x\"", "upper bound", "1000000000000000"]) {
            $0 == .valueTooLarge(location: "variable 0 (\"x\") upper bound", value: 2e15)
        }
        var row = Self.valid()
        row.constraints[0].lower = -1e16
        expectRejected(row, mentioning: ["constraint 0", "lower bound"]) {
            if case .valueTooLarge = $0 { return true }
            return false
        }
        var coefficient = Self.valid()
        coefficient.addConstraint([(0, 1e20)], upper: 1)
        expectRejected(coefficient, mentioning: ["constraint 1", "coefficient of variable 0"]) {
            if case .valueTooLarge = $0 { return true }
            return false
        }
        var objective = Self.valid()
        objective.variables[1].objective = -3e15
        expectRejected(objective, mentioning: ["variable 1", "objective coefficient"]) {
            if case .valueTooLarge = $0 { return true }
            return false
        }
        var tiny = Self.valid()
        tiny.addConstraint([(1, 1), (0, 1e-31)], upper: 1, name: "tiny")
        expectRejected(tiny, mentioning: ["constraint 1", "\"tiny\"", "variable 0", "1e-30"]) {
            $0 == .coefficientTooSmall(constraint: 1, name: "tiny", variable: 0, value: 1e-31)
        }
    }

    @Test func timeLimit() {
        for seconds in [-1.0, .nan, -.infinity] {
            let lp = Self.valid()
            for milp in [false, true] {
                let error = #expect(throws: LPError.self) {
                    _ = milp ? try lp.solveMILP(timeLimitSeconds: seconds) : try lp.solve(timeLimitSeconds: seconds)
                }
                if let error, case .invalidTimeLimit = error {} else { Issue.record("got \(String(describing: error))") }
            }
        }
        #expect(throws: Never.self) { try Self.valid().solve(timeLimitSeconds: .infinity) }
    }

    @Test func solverFailureMessageNamesTheGLPKCode() {
        let error = LPError.solverFailed(routine: "glp_simplex", code: 2, meaning: "singular basis matrix")
        #expect(error.description == "linear program: GLPK glp_simplex failed with code 2: singular basis matrix")
    }
}
