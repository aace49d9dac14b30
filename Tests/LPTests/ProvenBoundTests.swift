@testable import LP
import TestSupport
import Testing

/// Bounds proven from GLPK's answers that hold in exact arithmetic (see `ProvenLPBound`).
@Suite struct ProvenBoundTests {
    @Test func provenBoundIsBelowTheOptimumAndTight() throws {
        for seed in UInt64(1)...8 {
            var lp = randomCoveringLP(rows: 15, cols: 10, seed: seed)
            for j in lp.variables.indices { lp.variables[j].upper = 100 }  // boxed, as the verifier's LPs are
            let proven = try lp.solveForProvenBound()
            let optimum = try #require(proven.solution.objective)
            let bound = try #require(proven.bound)
            #expect(bound <= optimum, "seed \(seed): proven \(bound) above GLPK's optimum \(optimum)")
            #expect(optimum - bound < 1e-9 * (1 + abs(optimum)), "seed \(seed): proven \(bound) far below \(optimum)")
        }
    }

    @Test func roundingErrorIsSubtractedFromTheLagrangianBound() {
        // The bound with exact optimal duals is the optimum minus a rounding allowance, never above it.
        var lp = LinearProgram(sense: .minimise)
        let x = lp.addVariable(upper: 10, objective: 2)
        let y = lp.addVariable(upper: 10, objective: 3)
        lp.addConstraint([(x, 1), (y, 1)], lower: 4)
        lp.addConstraint([(x, 1), (y, 3)], lower: 6)
        let bound = lp.provenLagrangianBound(multipliers: [1.5, 0.5])!
        #expect(bound < 9 && bound > 9 - 1e-12)
        // Maximising: the allowance goes the other way.
        lp.sense = .maximise
        for j in lp.variables.indices { lp.variables[j].objective = -lp.variables[j].objective }
        let upper = lp.provenLagrangianBound(multipliers: [-1.5, -0.5])!
        #expect(upper > -9 && upper < -9 + 1e-12)
    }

    @Test func infeasibilityIsCertifiedOnlyWhenItHolds() throws {
        // x + y >= 3 with x, y in [0, 1]: infeasible, certified.
        var infeasible = LinearProgram(sense: .minimise)
        let x = infeasible.addVariable(upper: 1, objective: 1)
        let y = infeasible.addVariable(upper: 1, objective: 1)
        infeasible.addConstraint([(x, 1), (y, 1)], lower: 3)
        let proven = try infeasible.solveForProvenBound()
        #expect(proven.solution == .infeasible)
        #expect(proven.bound == .infinity)
        // x + y >= 2 is feasible at exactly one point, (1, 1): the phase-one optimum is 0, so a
        // certificate must fail there.
        var tight = LinearProgram(sense: .minimise)
        let a = tight.addVariable(upper: 1)
        let b = tight.addVariable(upper: 1)
        tight.addConstraint([(a, 1), (b, 1)], lower: 2)
        #expect(try !tight.certifiesInfeasibility(try #require(try Deadline(seconds: 10))))
    }

    @Test func anUnboundedVariableWithUncertainCostGivesNoBound() {
        var lp = LinearProgram(sense: .minimise)
        let x = lp.addVariable(lower: -.infinity, upper: .infinity, objective: 1)
        lp.addConstraint([(x, 1)], lower: 1)
        // y = 1 cancels x's cost exactly in real arithmetic, but the error allowance on the reduced
        // cost meets an infinite bound: nothing can be proven.
        #expect(lp.provenLagrangianBound(multipliers: [1]) == nil)
    }
}
