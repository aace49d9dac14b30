@testable import LP
import Testing
import TestSupport

/// ``BoundChangeSession`` and the objective cutoff: a loaded problem re-solved after bound changes must
/// prove what a fresh problem with the same bounds proves, and a cutoff may only shorten the solve.
@Suite struct BoundChangeSessionTests {
    /// Random bound changes on a random covering LP (variables narrowed or fixed, rows tightened, then
    /// put back), each state bounded by the session, with and without a cutoff, and by a fresh solve of
    /// the same program; the bounds must agree (or, cut off, lie beyond the cutoff and below the fresh
    /// optimum) and lie below the objective at every sampled point feasible in that state.
    @Test func reSolvesAfterBoundChangesAgreeWithFreshSolves() throws {
        var rng = SeededGenerator(seed: 2626)
        let base = randomCoveringLP(rows: 12, cols: 10, seed: 26)
        let session = try BoundChangeSession(base)
        var current = base
        var cutOff = 0, infeasible = 0
        let points = (0..<600).map { _ in (0..<10).map { _ in rng.uniform(0, 10) } }
        for k in 0..<60 {
            if k % 10 == 9 {  // back to the loaded bounds
                for j in base.variables.indices { try session.setBounds(variable: j, lower: base.variables[j].lower, upper: base.variables[j].upper) }
                for i in base.constraints.indices { try session.setBounds(row: i, lower: base.constraints[i].lower, upper: base.constraints[i].upper) }
                current = base
            } else if k % 2 == 0 {
                let j = Int.random(in: 0..<10, using: &rng)
                let l = rng.uniform(0, 6), u = k % 6 == 0 ? l : l + rng.uniform(0, 4)
                try session.setBounds(variable: j, lower: l, upper: u)
                current.variables[j].lower = l
                current.variables[j].upper = u
            } else {
                let i = Int.random(in: 0..<12, using: &rng)
                // Every fifth step asks more than the row can reach on the box: infeasible.
                let lower = k % 10 == 5 ? 1e3 : base.constraints[i].lower * rng.uniform(1, 4)
                try session.setBounds(row: i, lower: lower, upper: .infinity)
                current.constraints[i].lower = lower
            }
            #expect(session.program == current, "step \(k): the session's program follows every change")
            let fresh = try current.solveForProvenBound()
            let warm = try session.solveForProvenBound()
            let b = try #require(fresh.bound), a = try #require(warm.bound)
            if b == .infinity { infeasible += 1 }
            #expect(a == b || abs(a - b) <= 1e-7 * (1 + abs(b)), "step \(k): session \(a), fresh \(b)")
            // A cutoff below the optimum stops early with a bound beyond it; one above it changes nothing.
            let cutoff = b.isFinite ? b - rng.uniform(0, 2) : 1e6
            let cut = try session.solveForProvenBound(cutoff: cutoff)
            let c = try #require(cut.bound)
            if case .cutOff = cut.solution { cutOff += 1 }
            #expect(c > cutoff || abs(c - b) <= 1e-7 * (1 + abs(b)), "step \(k): cutoff \(cutoff), bound \(c), fresh \(b)")
            #expect(c <= b + 1e-7 * (1 + abs(b)), "step \(k): cut-off bound \(c) above the optimum \(b)")
            for x in points where Self.feasible(x, in: current) {
                let value = current.variables.indices.reduce(0) { $0 + current.variables[$1].objective * x[$1] }
                #expect(a <= value && c <= value, "step \(k): bounds \(a), \(c) above the feasible value \(value)")
            }
        }
        #expect(session.solves == 120)
        #expect(cutOff >= 10, "the cutoff stopped \(cutOff) solves early")
        #expect(infeasible >= 3, "\(infeasible) infeasible states")
    }

    @Test func invalidBoundsAreRejectedBeforeGLPK() throws {
        var lp = LinearProgram(sense: .minimise)
        let x = lp.addVariable(lower: 0, upper: 1, objective: 1)
        lp.addConstraint([(x, 1)], lower: 0.25)
        let session = try BoundChangeSession(lp)
        #expect(throws: LPError.self) { try session.setBounds(variable: x, lower: 1, upper: 0) }
        #expect(throws: LPError.self) { try session.setBounds(variable: x, lower: .nan, upper: 1) }
        #expect(throws: LPError.self) { try session.setBounds(row: 0, lower: .infinity, upper: .infinity) }
        #expect(throws: LPError.self) { try session.setBounds(row: 0, lower: 1e300, upper: .infinity) }
        // Nothing was changed by a rejected call.
        #expect(session.program == lp)
        let proven = try session.solveForProvenBound()
        #expect(abs((proven.bound ?? 0) - 0.25) < 1e-9)
    }

    private static func feasible(_ x: [Double], in lp: LinearProgram) -> Bool {
        for (j, v) in lp.variables.enumerated() where x[j] < v.lower || x[j] > v.upper { return false }
        return lp.constraints.allSatisfy { row in
            let a = row.terms.reduce(0) { $0 + $1.coefficient * x[$1.variable] }
            return a >= row.lower && a <= row.upper
        }
    }
}

/// ``BoundChangeSession/restoreBasis(_:)`` changes only where the simplex starts: after any bound changes, a basis
/// saved under other bounds, or one GLPK cannot factorize, leads to the bound a fresh solve proves.
@Suite struct RestoredBasisTests {
    @Test func restoredBasesLeadToTheFreshSolvesBounds() throws {
        var rng = SeededGenerator(seed: 2727)
        let base = randomCoveringLP(rows: 12, cols: 10, seed: 27)
        let session = try BoundChangeSession(base)
        var current = base
        _ = try session.solveForProvenBound()
        var saved = [session.basis()]
        // Every row basic: more basic statuses than rows, which GLPK refuses to factorize.
        let unusable = SimplexBasis(statuses: [Int32](repeating: 1, count: base.constraints.count + base.variables.count), solve: -1)
        var restoredDifferent = 0
        for k in 0..<40 {
            let j = Int.random(in: 0..<10, using: &rng)
            let l = rng.uniform(0, 6), u = k % 5 == 0 ? l : l + rng.uniform(0, 4)
            try session.setBounds(variable: j, lower: l, upper: u)
            current.variables[j].lower = l
            current.variables[j].upper = u
            let basis = k % 7 == 3 ? unusable : saved.randomElement(using: &rng)!
            if basis.statuses != session.basis().statuses { restoredDifferent += 1 }
            session.restoreBasis(basis)
            let fresh = try current.solveForProvenBound()
            let warm = try session.solveForProvenBound()
            let b = try #require(fresh.bound), a = try #require(warm.bound)
            #expect(a == b || abs(a - b) <= 1e-7 * (1 + abs(b)), "step \(k): from a restored basis \(a), fresh \(b)")
            saved.append(session.basis())
        }
        #expect(restoredDifferent >= 20, "only \(restoredDifferent) restores changed the basis")
    }
}
