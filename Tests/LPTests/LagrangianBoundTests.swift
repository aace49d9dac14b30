@testable import LP
import TestSupport
import Testing

/// The weak-duality helpers used to report bounds on time-out and to check GLPK's optima.
@Suite struct LagrangianBoundTests {
    @Test func optimalMultipliersGiveTheOptimum() {
        // min 2x + 3y; x + y >= 4, x + 3y >= 6, x, y >= 0: optimum 9 at (3, 1) with duals y = (1.5, 0.5)
        // (2 = y1 + y2, 3 = y1 + 3 y2).
        var lp = LinearProgram(sense: .minimise)
        let x = lp.addVariable(objective: 2)
        let y = lp.addVariable(objective: 3)
        lp.addConstraint([(x, 1), (y, 1)], lower: 4)
        lp.addConstraint([(x, 1), (y, 3)], lower: 6)
        #expect(lp.lagrangianBound(multipliers: [1.5, 0.5]) == 9)
        #expect(lp.lagrangianBound(multipliers: [0, 0]) == 0)  // c >= 0 on x >= 0
        #expect(lp.lagrangianBound(multipliers: [-1, 0]) == nil)  // needs the rows' missing upper bound
        #expect(lp.lagrangianBound(multipliers: [3, 0]) == nil)  // reduced cost -1 on y, unbounded above
    }

    @Test func everyMultiplierGivesAValidBound() throws {
        // Weak duality on random covering LPs: for any multipliers the bound is at most the optimum.
        var rng = SeededGenerator(seed: 21)
        for seed in UInt64(1)...5 {
            let lp = randomCoveringLP(rows: 15, cols: 10, seed: seed)
            let optimum = try #require(try lp.solve().objective)
            for _ in 0..<50 {
                let multipliers = (0..<15).map { _ in Double.random(in: 0...0.3, using: &rng) }
                let bound = try #require(lp.lagrangianBound(multipliers: multipliers))
                #expect(bound <= optimum + 1e-9, "seed \(seed): bound \(bound) above optimum \(optimum)")
            }
        }
    }

    @Test func dualFeasibilityCheck() {
        // max x, x in [0, inf), no rows. At x = 0 (at its lower bound) the reduced cost 1 says "increase x":
        // claiming optimality there is wrong, and the check must say so.
        var lp = LinearProgram(sense: .maximise)
        lp.addVariable(lower: 0, upper: .infinity, objective: 1)
        #expect(!lp.confirmsOptimum(objective: 0, values: [0], multipliers: [], columnStatus: [.atLower], rowStatus: []))
        // With an upper bound of 2, x = 2 at its upper bound is optimal.
        lp.variables[0].upper = 2
        #expect(lp.confirmsOptimum(objective: 2, values: [2], multipliers: [], columnStatus: [.atUpper], rowStatus: []))
        // A wrong sign towards a finite bound is tolerated only when the possible loss is negligible.
        #expect(!lp.confirmsOptimum(objective: 0, values: [0], multipliers: [], columnStatus: [.atLower], rowStatus: []))
        lp.variables[0].objective = 1e-12
        #expect(lp.confirmsOptimum(objective: 0, values: [0], multipliers: [], columnStatus: [.atLower], rowStatus: []))
    }
}
