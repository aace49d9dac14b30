/// The public entry points: validate, then hand the program to GLPK (see `GLPKProblem`).
extension LinearProgram {
    /// Solves the LP relaxation (integrality flags ignored) with GLPK's simplex method (dual simplex,
    /// falling back to primal simplex where the dual cannot decide).
    ///
    /// - Parameter timeLimitSeconds: wall-clock limit (nil: none; 0: return `.timeLimit` at once).
    /// - Returns: `.optimal`, `.infeasible`, `.unbounded` or `.timeLimit` (with a feasible point when the
    ///   simplex had one, and a weak-duality bound from the current duals when that is finite).
    ///   "Optimal" and "infeasible" are double-checked before they are returned (see `GLPKProblem`).
    /// - Throws: `LPError` for invalid input (checked before GLPK is called) or a GLPK failure, including
    ///   answers that fail the double check (badly scaled programs).
    public func solve(timeLimitSeconds: Double? = nil) throws -> LPSolution {
        try validate()
        guard let deadline = try Deadline(seconds: timeLimitSeconds) else { return .timeLimit(bestSoFar: nil, bound: nil) }
        return try GLPKProblem(self, integral: false).solveRelaxation(deadline)
    }

    /// Solves the mixed-integer program: the LP relaxation by simplex (`glp_simplex`, no presolve), then
    /// branch-and-cut from its optimal basis (`glp_intopt`). Integer variables' bounds are first rounded
    /// inwards (`ceil(lower)`, `floor(upper)`); their values in the result are exact integers.
    ///
    /// An unbounded relaxation is resolved by a feasibility search (zero objective): the program is then
    /// `.unbounded` if an integral point exists, else `.infeasible`. Without integer variables this is `solve`.
    /// - Parameter timeLimitSeconds: wall-clock limit for the whole call (nil: none; 0: `.timeLimit` at once).
    /// - Returns: on `.timeLimit`, the best integral point found and the best proven bound (root relaxation
    ///   or best open node of the search tree), each when available.
    /// - Parameter stop: asked many times a second during branch-and-cut; true ends the search early with
    ///   `.timeLimit`, as the time limit would (e.g. when the process holds too much memory).
    /// - Throws: `LPError` for invalid input or a GLPK failure.
    public func solveMILP(timeLimitSeconds: Double? = nil, stop: (() -> Bool)? = nil) throws -> LPSolution {
        try validate()
        guard let deadline = try Deadline(seconds: timeLimitSeconds) else { return .timeLimit(bestSoFar: nil, bound: nil) }
        guard variables.contains(where: \.isInteger) else {
            return try GLPKProblem(self, integral: false).solveRelaxation(deadline)
        }
        for variable in variables where variable.isInteger {
            if variable.lower.rounded(.up) > variable.upper.rounded(.down) { return .infeasible }
        }
        let problem = GLPKProblem(self, integral: true)
        switch try problem.solveRelaxation(deadline) {
        case .infeasible:
            return .infeasible
        case .timeLimit(_, let bound):
            return .timeLimit(bestSoFar: nil, bound: bound)
        case .cutOff:  // no cutoff is set on this problem
            return .timeLimit(bestSoFar: nil, bound: nil)
        case .unbounded:
            // Unbounded relaxation: the MILP is unbounded iff it has an integral point at all.
            problem.dropObjective()
            switch try problem.solveRelaxation(deadline) {
            case .optimal: break
            case .infeasible: return .infeasible
            case .timeLimit, .cutOff: return .timeLimit(bestSoFar: nil, bound: nil)
            case .unbounded:
                throw LPError.solverFailed(routine: "glp_simplex", code: 0, meaning: "a zero objective came out unbounded")
            }
            switch try problem.branchAndCut(deadline, rootBound: 0, stop: stop) {
            case .optimal: return .unbounded
            case .infeasible: return .infeasible
            default: return .timeLimit(bestSoFar: nil, bound: nil)
            }
        case .optimal(let rootObjective, let rootValues):
            // GLPK's branch-and-bound aborts the process on an integer column valued beyond 2^52 (its
            // rounding test fails there); refuse programs whose relaxation already goes halfway there.
            let limit = Double(1 << 51)
            for (j, variable) in variables.enumerated() where variable.isInteger && abs(rootValues[j]) > limit {
                throw LPError.solverFailed(routine: "glp_intopt", code: 0, meaning:
                    "integer variable \(j) takes the value \(rootValues[j]) in the relaxation, beyond ±2^51; "
                    + "give integer variables finite bounds")
            }
            return try problem.branchAndCut(deadline, rootBound: rootObjective, stop: stop)
        }
    }
}

/// A wall-clock deadline in GLPK's unit (milliseconds, `Int32`).
struct Deadline {
    private let start = ContinuousClock.now
    private let milliseconds: Int32

    /// nil when the limit is zero (nothing may run); throws for NaN or negative limits.
    init?(seconds: Double?) throws {
        guard let ms = try LinearProgram.milliseconds(seconds) else { return nil }
        milliseconds = ms
    }

    /// Milliseconds left (never negative); `Int32.max` when there is no limit.
    var remaining: Int32 {
        if milliseconds == Int32.max { return Int32.max }
        let elapsed = ContinuousClock.now - start
        let used = elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000
        return Int32(max(0, Int64(milliseconds) - used))
    }
}

