import LP
import Testing

/// Regression tests for wrong answers and process aborts that GLPK 5.0 produced on badly scaled programs
/// (found by fuzzing against HiGHS); the wrapper must answer correctly or throw, never lie or crash.
@Suite struct NumericalSafetyTests {
    @Test func tinyCoefficientRowDoesNotMakeAFeasibleLPInfeasible() throws {
        // x in [-0.73, 6.74]; -624231.5·x <= 164956.5 (x >= -0.264); -9.66e-7·x <= 0 (x >= 0): x = 0 is
        // feasible. Unscaled, GLPK's simplex called this infeasible.
        var lp = LinearProgram(sense: .minimise)
        let x = lp.addVariable(lower: -0.7256611902942212, upper: 6.737234679992773, objective: 1)
        lp.addConstraint([(x, -624231.520966323)], upper: 164956.54450877913)
        lp.addConstraint([(x, -9.65934976228672e-07)], upper: 0)
        expectOptimal(try lp.solve(), objective: 0, values: [0], tolerance: 1e-9)
    }

    @Test func infeasibilityIsConfirmedBeforeItIsReported() throws {
        // GLPK's dual simplex called this feasible LP infeasible (from both the standard and the advanced
        // basis, with and without scaling). The optimum, -3432239.917557967, was confirmed with HiGHS.
        var lp = LinearProgram(sense: .maximise)
        lp.addVariable(lower: -0.8200977161820027, upper: -0.8200977161820027, objective: 90.58150773330526)
        lp.addVariable(lower: 0, upper: 0, objective: -370.0990991419335)
        lp.addVariable(lower: -.infinity, upper: 557.6721473318206, objective: -256.3379440073037)
        lp.addVariable(lower: -.infinity, upper: .infinity, objective: -0.013076961861960145)
        lp.addVariable(lower: -188.8110547107118, upper: 0, objective: 0.00015082047226033457)
        lp.addVariable(lower: -.infinity, upper: .infinity, objective: 0.9403852966690607)
        lp.addConstraint([(0, -328.3094595153574), (1, 0.02869877647829894), (4, 0.010479040651494085)])
        lp.addConstraint([(2, 0.0)], lower: -137.81396706264195, upper: 0)
        lp.addConstraint([(1, 0.001009784094608533), (3, 6295.916274579202), (4, 5.3369741302974445)],
                         lower: -161.70597808082)
        lp.addConstraint([(0, 457.26676196011795), (1, 1.0), (2, -1.0)], equals: 0.5048892233110842)
        lp.addConstraint([(0, 287.54502394478016), (2, -8800.062826571095), (4, 0.5763770601366722),
                          (5, 0.8974604284273289)], equals: -1899.5805547258828)
        lp.addConstraint([(0, 63.04264825317918), (1, -4.29968308963895), (3, -0.7498188734882294), (5, -1.0)],
                         equals: 0)
        let solution = try lp.solve()
        expectOptimal(solution, objective: -3432239.917557967, tolerance: 1e-6 * 3432239.917557967)
        #expect(lp.maximumViolation(at: solution.values ?? []) <= 1e-6 * 8800 * 4912831)
    }

    @Test(arguments: [1e10, 3.9e13])
    func unboundedLPWithWidelySpreadCostsIsNeverCalledOptimal(largeCost: Double) {
        // max 0.838·x (x >= 0, no upper bound) is unbounded. A second variable with a huge cost makes GLPK
        // treat 0.838 as zero (its optimality test is relative to the largest cost) and report 0 as optimal.
        var lp = LinearProgram(sense: .maximise)
        lp.addVariable(lower: 0, upper: .infinity, objective: 0.838)
        let y = lp.addVariable(lower: 0, upper: 1, objective: -largeCost)
        lp.addConstraint([(y, 1)], upper: 0.5)
        do {
            let solution = try lp.solve()
            #expect(solution == .unbounded)
        } catch let error as LPError {
            guard case .solverFailed = error else {
                Issue.record("unexpected \(error)")
                return
            }
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func hugeIntegerValueIsRefusedInsteadOfAbortingTheProcess() throws {
        // 2.37e-26·x = -1.64e-10 forces x ≈ -6.9e15. GLPK's branch-and-bound aborts the process on integer
        // values beyond 2^52; the wrapper must throw first.
        var lp = LinearProgram(sense: .maximise)
        let x = lp.addVariable(lower: -.infinity, upper: 0.4156340240052323, objective: -5.69e11, isInteger: true)
        lp.addConstraint([(x, 2.372303876715784e-26)], equals: -1.6439188524512025e-10)
        let error = #expect(throws: LPError.self) { try lp.solveMILP() }
        if let error, case .solverFailed(let routine, _, _) = error {
            #expect(routine == "glp_intopt")
        } else {
            Issue.record("expected .solverFailed, got \(String(describing: error))")
        }
        // With the integer variable bounded by ±1e15, the same equation has no solution in range.
        lp.variables[x].lower = -LinearProgram.largestMagnitude
        #expect(try lp.solveMILP() == .infeasible)
    }

    @Test func largestAllowedBoundsSolve() throws {
        // max x + y; x + y <= 2, x - y <= 1, x and y in [-1e15, 1e15]: optimum 2 (x = -1e15 + 2, y = 1e15).
        var lp = LinearProgram(sense: .maximise)
        let x = lp.addVariable(lower: -1e15, upper: 1e15, objective: 1)
        let y = lp.addVariable(lower: -1e15, upper: 1e15, objective: 1)
        lp.addConstraint([(x, 1), (y, 1)], upper: 2)
        lp.addConstraint([(x, 1), (y, -1)], upper: 1)
        expectOptimal(try lp.solve(), objective: 2, tolerance: 1e-6)
    }

    @Test func extremeDynamicRangeAnswersCorrectlyOrThrows() {
        // Adding the row 1e-30·x + y <= 1e15 changes nothing, but coefficients 45 orders of magnitude apart
        // defeat GLPK's scaling (it reports -2e15). The wrapper must not return that.
        var lp = LinearProgram(sense: .maximise)
        let x = lp.addVariable(lower: -1e15, upper: 1e15, objective: 1)
        let y = lp.addVariable(lower: -1e15, upper: 1e15, objective: 1)
        lp.addConstraint([(x, 1), (y, 1)], upper: 2)
        lp.addConstraint([(x, 1), (y, -1)], upper: 1)
        lp.addConstraint([(x, 1e-30), (y, 1)], upper: 1e15)
        do {
            expectOptimal(try lp.solve(), objective: 2, tolerance: 1e-6)
        } catch {
            guard case LPError.solverFailed = error else {
                Issue.record("unexpected \(error)")
                return
            }
        }
    }
}
