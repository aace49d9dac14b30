import LP
import Testing

/// Small LPs whose optima were worked out by hand (vertex enumeration in the comments).
@Suite struct SmallLPTests {
    @Test func maximisationTextbookExample() throws {
        // max 3x + 5y; x <= 4, 2y <= 12, 3x + 2y <= 18, x, y >= 0. Vertices: (0,0)=0, (4,0)=12, (4,3)=27,
        // (2,6)=36, (0,6)=30.
        var lp = LinearProgram(sense: .maximise)
        let x = lp.addVariable(objective: 3)
        let y = lp.addVariable(objective: 5)
        lp.addConstraint([(x, 1)], upper: 4)
        lp.addConstraint([(y, 2)], upper: 12)
        lp.addConstraint([(x, 3), (y, 2)], upper: 18)
        expectOptimal(try lp.solve(), objective: 36, values: [2, 6])
    }

    @Test func minimisationWithGreaterOrEqualRows() throws {
        // min 2x + 3y; x + y >= 4, x + 3y >= 6, x, y >= 0. Vertices: (0,4)=12, (3,1)=9, (6,0)=12.
        var lp = LinearProgram(sense: .minimise)
        let x = lp.addVariable(objective: 2)
        let y = lp.addVariable(objective: 3)
        lp.addConstraint([(x, 1), (y, 1)], lower: 4)
        lp.addConstraint([(x, 1), (y, 3)], lower: 6)
        expectOptimal(try lp.solve(), objective: 9, values: [3, 1])
    }

    @Test func equalityRow() throws {
        // min x + y; x - y = 1, x, y in [0, 10]: x = 1 + y, so the objective 1 + 2y is least at y = 0.
        var lp = LinearProgram(sense: .minimise)
        let x = lp.addVariable(lower: 0, upper: 10, objective: 1)
        let y = lp.addVariable(lower: 0, upper: 10, objective: 1)
        lp.addConstraint([(x, 1), (y, -1)], equals: 1)
        expectOptimal(try lp.solve(), objective: 1, values: [1, 0])
    }

    @Test func rangedRowBothSidesActive() throws {
        // 1 <= x + 2y <= 4, x in [0, 3], y >= 0. x + y = (x + 2y) - y.
        // max x + y: upper side active with x = 3, y = 0.5 -> 3.5. min x + y: lower side with x = 0, y = 0.5 -> 0.5.
        var lp = LinearProgram(sense: .maximise)
        let x = lp.addVariable(lower: 0, upper: 3, objective: 1)
        let y = lp.addVariable(objective: 1)
        lp.addConstraint([(x, 1), (y, 2)], lower: 1, upper: 4)
        expectOptimal(try lp.solve(), objective: 3.5, values: [3, 0.5])
        lp.sense = .minimise
        expectOptimal(try lp.solve(), objective: 0.5, values: [0, 0.5])
    }

    @Test func freeVariables() throws {
        // min t; t >= x - 3, t >= 3 - x, x and t free: t = |x - 3| is least (0) exactly at x = 3.
        var lp = LinearProgram(sense: .minimise)
        let x = lp.addVariable(lower: -.infinity, upper: .infinity)
        let t = lp.addVariable(lower: -.infinity, upper: .infinity, objective: 1)
        lp.addConstraint([(t, 1), (x, -1)], lower: -3)
        lp.addConstraint([(t, 1), (x, 1)], lower: 3)
        expectOptimal(try lp.solve(), objective: 0, values: [3, 0])
    }

    @Test func freeVariableReachesNegativeRowBound() throws {
        // min x + y; x free, y <= 2 (no lower bound), x >= -5 as a row, x + y >= -6: x = -5, y = -1 -> -6
        // (any split with x >= -5 on x + y = -6 is optimal, so only the objective is checked).
        var lp = LinearProgram(sense: .minimise)
        let x = lp.addVariable(lower: -.infinity, upper: .infinity, objective: 1)
        let y = lp.addVariable(lower: -.infinity, upper: 2, objective: 1)
        lp.addConstraint([(x, 1)], lower: -5)
        lp.addConstraint([(x, 1), (y, 1)], lower: -6)
        let solution = try lp.solve()
        expectOptimal(solution, objective: -6)
        #expect(lp.maximumViolation(at: solution.values ?? []) <= 1e-9)
    }

    @Test func boundsOnlyAndObjectiveConstant() throws {
        // max 2x - y + 10, x in [-1, 4], y in [1, 3]: x = 4, y = 1 -> 17. No constraint rows at all.
        var lp = LinearProgram(sense: .maximise, objectiveConstant: 10)
        lp.addVariable(lower: -1, upper: 4, objective: 2)
        lp.addVariable(lower: 1, upper: 3, objective: -1)
        expectOptimal(try lp.solve(), objective: 17, values: [4, 1])
    }

    @Test func fixedVariable() throws {
        // max x + y, x fixed at 2.5 (lower == upper), x + y <= 4 -> y = 1.5, objective 4.
        var lp = LinearProgram(sense: .maximise)
        let x = lp.addVariable(lower: 2.5, upper: 2.5, objective: 1)
        let y = lp.addVariable(objective: 1)
        lp.addConstraint([(x, 1), (y, 1)], upper: 4)
        expectOptimal(try lp.solve(), objective: 4, values: [2.5, 1.5])
    }

    @Test func zeroCoefficientsAndEmptyRows() throws {
        // An empty row has activity 0: [-1, 1] is harmless, [1, 2] makes the program infeasible.
        var lp = LinearProgram(sense: .maximise)
        let x = lp.addVariable(lower: 0, upper: 1, objective: 1)
        lp.addConstraint([(x, 0)], lower: -1, upper: 1)
        lp.addConstraint([], lower: -1, upper: 1)
        lp.addConstraint([], lower: -.infinity, upper: .infinity)
        expectOptimal(try lp.solve(), objective: 1, values: [1])
        lp.addConstraint([], lower: 1, upper: 2)
        #expect(try lp.solve() == .infeasible)
    }

    @Test func infeasibleRows() throws {
        // x + y <= 1 and x + y >= 2 cannot both hold.
        var lp = LinearProgram(sense: .minimise)
        let x = lp.addVariable(objective: 1)
        let y = lp.addVariable(objective: 1)
        lp.addConstraint([(x, 1), (y, 1)], upper: 1)
        lp.addConstraint([(x, 1), (y, 1)], lower: 2)
        #expect(try lp.solve() == .infeasible)
        #expect(try lp.solveMILP() == .infeasible)
    }

    @Test func rowConflictsWithVariableBounds() throws {
        // x in [0, 1] but the row demands x >= 2.
        var lp = LinearProgram(sense: .maximise)
        let x = lp.addVariable(lower: 0, upper: 1, objective: 1)
        lp.addConstraint([(x, 1)], lower: 2)
        #expect(try lp.solve() == .infeasible)
    }

    @Test func unboundedRay() throws {
        // max x + y; x - y <= 1, x, y >= 0: (t, t) is feasible for every t >= 0.
        var lp = LinearProgram(sense: .maximise)
        let x = lp.addVariable(objective: 1)
        let y = lp.addVariable(objective: 1)
        lp.addConstraint([(x, 1), (y, -1)], upper: 1)
        #expect(try lp.solve() == .unbounded)
    }

    @Test func unboundedFreeVariable() throws {
        var lp = LinearProgram(sense: .minimise)
        lp.addVariable(lower: -.infinity, upper: .infinity, objective: 1)
        #expect(try lp.solve() == .unbounded)
        lp.sense = .maximise
        #expect(try lp.solve() == .unbounded)
    }

    @Test func infeasibleWithUnboundedDirectionIsInfeasible() throws {
        // The rows contradict each other, and the objective grows along x = y forever: no feasible point,
        // so the answer is .infeasible (not .unbounded).
        var lp = LinearProgram(sense: .maximise)
        let x = lp.addVariable(lower: -.infinity, upper: .infinity, objective: 1)
        let y = lp.addVariable(lower: -.infinity, upper: .infinity, objective: 1)
        lp.addConstraint([(x, 1), (y, -1)], upper: -1)
        lp.addConstraint([(x, 1), (y, -1)], lower: 1)
        #expect(try lp.solve() == .infeasible)
        #expect(try lp.solveMILP() == .infeasible)
    }

    @Test func relaxationIgnoresIntegrality() throws {
        // max x, 2x <= 3, x integer >= 0: relaxation 1.5, integer optimum 1.
        var lp = LinearProgram(sense: .maximise)
        let x = lp.addVariable(objective: 1, isInteger: true)
        lp.addConstraint([(x, 2)], upper: 3)
        expectOptimal(try lp.solve(), objective: 1.5, values: [1.5])
        expectOptimal(try lp.solveMILP(), objective: 1, values: [1])
    }

    @Test func randomLPOptimaAreFeasibleAndSatisfyWeakDuality() throws {
        // For min cᵀx, Ax >= b, 0 <= x <= 10: every feasible point (here x = 10) bounds the optimum from
        // above, and the optimum itself must be feasible.
        for seed in UInt64(1)...5 {
            let lp = randomCoveringLP(rows: 30, cols: 20, seed: seed)
            let solution = try lp.solve()
            guard case .optimal(let objective, let values) = solution else {
                Issue.record("seed \(seed): \(solution)")
                continue
            }
            #expect(lp.maximumViolation(at: values) <= 1e-7)
            #expect(abs(lp.objectiveValue(at: values) - objective) <= 1e-9)
            #expect(objective <= lp.objectiveValue(at: [Double](repeating: 10, count: 20)))
            #expect(objective >= 0)
        }
    }
}
