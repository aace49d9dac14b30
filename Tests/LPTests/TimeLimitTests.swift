import LP
import Testing

/// Time limits: whatever the solver reaches, what it reports must be true.
@Suite struct TimeLimitTests {
    /// Jeroslow's program: min z, 2(x_1 + ... + x_n) + z = n (n odd), all binary. The optimum is 1
    /// (z = 0 needs an even left side), the relaxation's is 0, and branch-and-bound needs exponentially
    /// many nodes to close the gap — so a short time limit always runs out.
    static func jeroslow(n: Int, sense: LinearProgram.Sense) -> LinearProgram {
        var lp = LinearProgram(sense: sense)
        for _ in 0..<n { lp.addBinaryVariable() }
        let z = lp.addBinaryVariable(objective: sense == .minimise ? 1 : -1, name: "z")
        lp.addConstraint((0..<n).map { (variable: $0, coefficient: 2.0) } + [(variable: z, coefficient: 1)], equals: Double(n))
        return lp
    }

    @Test func zeroTimeLimitReturnsAtOnce() throws {
        let lp = randomCoveringLP(rows: 5, cols: 5, seed: 3)
        #expect(try lp.solve(timeLimitSeconds: 0) == .timeLimit(bestSoFar: nil, bound: nil))
        #expect(try lp.solveMILP(timeLimitSeconds: 0) == .timeLimit(bestSoFar: nil, bound: nil))
    }

    @Test func generousTimeLimitDoesNotChangeTheAnswer() throws {
        let lp = randomCoveringLP(rows: 20, cols: 10, seed: 4)
        #expect(try lp.solve(timeLimitSeconds: 60) == lp.solve())
        let knapsack = randomKnapsack(items: 10, seed: 4).lp
        #expect(try knapsack.solveMILP(timeLimitSeconds: 60) == knapsack.solveMILP())
    }

    @Test(arguments: [LinearProgram.Sense.minimise, .maximise])
    func branchAndBoundStoppedByTheLimitReportsASoundBound(sense: LinearProgram.Sense) throws {
        let lp = Self.jeroslow(n: 35, sense: sense)
        let optimum = sense == .minimise ? 1.0 : -1.0
        expectOptimal(try lp.solve(), objective: 0)
        let solution = try lp.solveMILP(timeLimitSeconds: 0.3)
        guard case .timeLimit(let best, let bound) = solution else {
            Issue.record("expected .timeLimit on Jeroslow's program, got \(solution)")
            return
        }
        let bound_ = try #require(bound, "the root relaxation alone gives a bound")
        if sense == .minimise {
            #expect(bound_ <= optimum + 1e-9 && bound_ >= -1e-9, "lower bound \(bound_)")
        } else {
            #expect(bound_ >= optimum - 1e-9 && bound_ <= 1e-9, "upper bound \(bound_)")
        }
        if let best {
            #expect(best.objective == optimum)
            #expect(lp.maximumViolation(at: best.values) <= 1e-9)
            #expect(best.values.allSatisfy { $0 == 0 || $0 == 1 })
        }
    }

    /// `stop` (asked from GLPK's branch-and-cut callback) ends Jeroslow's search like the time limit: within a
    /// second although no time limit is set, with a bound that is still true.
    @Test func branchAndBoundEndedByStopReportsASoundBound() throws {
        let lp = Self.jeroslow(n: 35, sense: .minimise)
        let started = ContinuousClock.now
        let solution = try lp.solveMILP(stop: { ContinuousClock.now - started > .milliseconds(200) })
        #expect(ContinuousClock.now - started < .seconds(30), "the stop must end a search that would take hours")
        guard case .timeLimit(let best, let bound) = solution else {
            Issue.record("expected .timeLimit on Jeroslow's program, got \(solution)")
            return
        }
        let bound_ = try #require(bound, "the root relaxation alone gives a bound")
        #expect(bound_ <= 1 + 1e-9 && bound_ >= -1e-9, "lower bound \(bound_)")
        if let best { #expect(best.objective == 1) }
    }

    @Test func simplexStoppedByTheLimitReportsOnlyTrueFacts() throws {
        // A dense LP that takes GLPK far longer than 1 ms; the answer, limited or not, must agree with the
        // unlimited optimum: a feasible point is no better than it, a bound no worse.
        let lp = randomCoveringLP(rows: 400, cols: 200, seed: 11)
        let reference = try lp.solve()
        let optimum = try #require(reference.objective)
        let tolerance = 1e-7 * max(1, abs(optimum))
        let limited = try lp.solve(timeLimitSeconds: 0.001)
        switch limited {
        case .optimal(let objective, _):
            #expect(abs(objective - optimum) <= tolerance)
        case .timeLimit(let best, let bound):
            if let bound { #expect(bound <= optimum + tolerance, "bound \(bound) above the optimum \(optimum)") }
            if let best {
                #expect(best.objective >= optimum - tolerance)
                #expect(lp.maximumViolation(at: best.values) <= 1e-7)
            }
        default:
            Issue.record("unexpected \(limited)")
        }
    }
}
