import LP
import Testing
import TestSupport

/// ``LPSession``: one loaded problem re-solved for many objectives must prove what fresh problems prove.
@Suite struct LPSessionTests {
    /// Random objectives over a random covering LP, each bounded by a session (warm and cold) and by a
    /// fresh `solveForProvenBound`; the bounds must agree and lie below (above, when maximising) the
    /// objective at every sampled feasible point.
    @Test(arguments: [true, false])
    func reSolvesAgreeWithFreshSolves(warmStart: Bool) throws {
        var rng = SeededGenerator(seed: 1616)
        let base = randomCoveringLP(rows: 12, cols: 10, seed: 16)
        let points = (0..<400).map { _ in (0..<10).map { _ in rng.uniform(0, 10) } }.filter { x in
            base.constraints.allSatisfy { row in row.terms.reduce(0) { $0 + $1.coefficient * x[$1.variable] } >= row.lower }
        }
        #expect(points.count > 50)
        let session = try LPSession(base, warmStart: warmStart)
        for k in 0..<30 {
            let terms = (0..<10).map { ($0, rng.uniform(-1, 1)) }
            let constant = rng.uniform(-2, 2)
            let sense: LinearProgram.Sense = k % 3 == 0 ? .maximise : .minimise
            let warm = try session.solveForProvenBound(objective: terms, constant: constant, sense: sense)
            var fresh = base
            for j in fresh.variables.indices { fresh.variables[j].objective = terms[j].1 }
            fresh.objectiveConstant = constant
            fresh.sense = sense
            let cold = try fresh.solveForProvenBound()
            let a = try #require(warm.bound), b = try #require(cold.bound)
            #expect(abs(a - b) <= 1e-7 * (1 + abs(b)), "objective \(k): session \(a), fresh \(b)")
            for x in points {
                let value = constant + terms.reduce(0) { $0 + $1.1 * x[$1.0] }
                #expect(sense == .minimise ? a <= value : a >= value, "objective \(k): bound \(a) beyond feasible value \(value)")
            }
        }
        #expect(session.solves == 30)
    }

    @Test func infeasibilityIsCertifiedOnEveryObjective() throws {
        var lp = LinearProgram(sense: .minimise)
        let x = lp.addVariable(lower: 0, upper: 1), y = lp.addVariable(lower: 0, upper: 1)
        lp.addConstraint([(x, 1), (y, 1)], lower: 3)
        let session = try LPSession(lp)
        for sense in [LinearProgram.Sense.minimise, .maximise, .minimise] {
            let proven = try session.solveForProvenBound(objective: [(x, 1), (y, -2)], constant: 0, sense: sense)
            #expect(proven.bound == (sense == .minimise ? .infinity : -.infinity))
        }
    }

    @Test func invalidObjectiveIsRejectedBeforeGLPK() throws {
        var lp = LinearProgram(sense: .minimise)
        let x = lp.addVariable(lower: 0, upper: 1)
        let session = try LPSession(lp)
        #expect(throws: LPError.self) { try session.solveForProvenBound(objective: [(x, .nan)], constant: 0, sense: .minimise) }
        #expect(throws: LPError.self) { try session.solveForProvenBound(objective: [(x, 1)], constant: .infinity, sense: .minimise) }
        // The session still works after a rejected objective.
        let proven = try session.solveForProvenBound(objective: [(x, 1)], constant: 0, sense: .maximise)
        #expect(abs((proven.bound ?? 0) - 1) < 1e-9)
    }
}
