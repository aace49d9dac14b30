import LP
import Testing

/// Mixed-integer programs: knapsacks checked against brute-force enumeration, and hand-solved cases.
@Suite struct MILPTests {
    /// The best knapsack value by trying all 2^n subsets.
    static func bruteForceKnapsack(weights: [Double], profits: [Double], capacity: Double) -> Double {
        var best = 0.0
        for mask in 0..<(1 << weights.count) {
            var weight = 0.0, profit = 0.0
            for i in weights.indices where mask & (1 << i) != 0 {
                weight += weights[i]
                profit += profits[i]
            }
            if weight <= capacity { best = max(best, profit) }
        }
        return best
    }

    @Test func knapsackMatchesBruteForceOnFiftySeededInstances() throws {
        for seed in UInt64(100)..<150 {
            let (lp, weights, profits, capacity) = randomKnapsack(items: 6, seed: seed)
            let expected = Self.bruteForceKnapsack(weights: weights, profits: profits, capacity: capacity)
            let solution = try lp.solveMILP()
            guard case .optimal(let objective, let values) = solution else {
                Issue.record("seed \(seed): expected .optimal, got \(solution)")
                continue
            }
            #expect(abs(objective - expected) <= 1e-9, "seed \(seed): GLPK \(objective), brute force \(expected)")
            #expect(values.allSatisfy { $0 == 0 || $0 == 1 }, "seed \(seed): values \(values) not binary")
            #expect(lp.maximumViolation(at: values) <= 0, "seed \(seed): chosen items exceed the capacity")
            #expect(abs(lp.objectiveValue(at: values) - objective) <= 1e-9)
        }
    }

    @Test func generalIntegerProgram() throws {
        // max 5x + 4y; 6x + 4y <= 24, x + 2y <= 6, x, y >= 0 integer. Relaxation optimum (3, 1.5) = 21;
        // integer candidates on the boundary: (4,0)=20, (3,1)=19, (2,2)=18, (0,3)=12 -> 20 at (4, 0).
        var lp = LinearProgram(sense: .maximise)
        let x = lp.addVariable(objective: 5, isInteger: true)
        let y = lp.addVariable(objective: 4, isInteger: true)
        lp.addConstraint([(x, 6), (y, 4)], upper: 24)
        lp.addConstraint([(x, 1), (y, 2)], upper: 6)
        expectOptimal(try lp.solve(), objective: 21, values: [3, 1.5])
        expectOptimal(try lp.solveMILP(), objective: 20, values: [4, 0])
    }

    @Test func mixedIntegerAndContinuous() throws {
        // max 2x + y; x integer in [0, 10], y in [0, 1.5], x + y <= 3.7.
        // x = 3 -> y = 0.7 -> 6.7; x = 2 -> y = 1.5 -> 5.5; so 6.7 at (3, 0.7).
        var lp = LinearProgram(sense: .maximise)
        let x = lp.addVariable(lower: 0, upper: 10, objective: 2, isInteger: true)
        let y = lp.addVariable(lower: 0, upper: 1.5, objective: 1)
        lp.addConstraint([(x, 1), (y, 1)], upper: 3.7)
        expectOptimal(try lp.solveMILP(), objective: 6.7, values: [3, 0.7])
    }

    @Test func fractionalBoundsOfIntegerVariablesAreRoundedInwards() throws {
        var lp = LinearProgram(sense: .maximise)
        lp.addVariable(lower: 0.5, upper: 3.7, objective: 1, isInteger: true)
        expectOptimal(try lp.solveMILP(), objective: 3, values: [3])
        lp.sense = .minimise
        expectOptimal(try lp.solveMILP(), objective: 1, values: [1])
        lp.variables[0].upper = 0.9  // no integer in [0.5, 0.9]
        #expect(try lp.solveMILP() == .infeasible)
        expectOptimal(try lp.solve(), objective: 0.5, values: [0.5])
    }

    @Test func integerInfeasibleWithFeasibleRelaxation() throws {
        // 2x = 1 has the relaxed solution x = 0.5 but no integer one.
        var lp = LinearProgram(sense: .minimise)
        let x = lp.addVariable(lower: 0, upper: 5, objective: 1, isInteger: true)
        lp.addConstraint([(x, 2)], equals: 1)
        expectOptimal(try lp.solve(), objective: 0.5)
        #expect(try lp.solveMILP() == .infeasible)
    }

    @Test func unboundedMILP() throws {
        // max x + y; x integer >= 0, y >= 0, x - y <= 0.5: (k, k) is feasible for every integer k.
        var lp = LinearProgram(sense: .maximise)
        let x = lp.addVariable(objective: 1, isInteger: true)
        let y = lp.addVariable(objective: 1)
        lp.addConstraint([(x, 1), (y, -1)], upper: 0.5)
        #expect(try lp.solveMILP() == .unbounded)
    }

    @Test func unboundedRelaxationButNoIntegerPoint() throws {
        // max y, y >= 0 unbounded above, but the integer x must satisfy 2x = 1: no feasible point at all.
        var lp = LinearProgram(sense: .maximise)
        let x = lp.addVariable(lower: 0, upper: 5, isInteger: true)
        lp.addVariable(objective: 1)
        lp.addConstraint([(x, 2)], equals: 1)
        #expect(try lp.solve() == .unbounded)
        #expect(try lp.solveMILP() == .infeasible)
    }

    @Test func withoutIntegerVariablesMILPEqualsLP() throws {
        let lp = randomCoveringLP(rows: 10, cols: 8, seed: 7)
        #expect(try lp.solveMILP() == lp.solve())
    }

    @Test func objectiveConstantInMILP() throws {
        // min 3b - 4, b binary, b >= 0.2 forces b = 1 -> 3 - 4 = -1.
        var lp = LinearProgram(sense: .minimise, objectiveConstant: -4)
        let b = lp.addBinaryVariable(objective: 3)
        lp.addConstraint([(b, 1)], lower: 0.2)
        expectOptimal(try lp.solveMILP(), objective: -1, values: [1])
    }
}
