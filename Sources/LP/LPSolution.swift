/// A point satisfying every constraint and bound (within GLPK's tolerances, about 1e-7 relative),
/// with its objective value. For `solveMILP` its integer variables hold integral values.
public struct FeasiblePoint: Sendable, Equatable {
    /// The objective value at `values`, including the program's `objectiveConstant`.
    public var objective: Double
    /// One value per variable, in variable order.
    public var values: [Double]

    /// A point and its objective value.
    public init(objective: Double, values: [Double]) {
        self.objective = objective
        self.values = values
    }
}

/// The outcome of solving a `LinearProgram`. Infeasible and unbounded programs are outcomes, not errors.
///
/// Values come from floating-point simplex: an optimum is exact only up to GLPK's feasibility and
/// optimality tolerances (about 1e-7, relative to the data's scale). A verifier that draws a proof from
/// an objective value should keep a safety margin.
public enum LPSolution: Sendable, Equatable {
    /// A proven optimum: its objective value and one value per variable.
    case optimal(objective: Double, values: [Double])
    /// No point satisfies the constraints (for `solveMILP`: no integral point does).
    case infeasible
    /// Feasible points exist with arbitrarily good objective values.
    case unbounded
    /// The time limit ran out first.
    ///
    /// - `bestSoFar`: a feasible point found before the limit (for `solveMILP`, the best integral one),
    ///   or nil. It need not be optimal.
    /// - `bound`: a proven bound on the optimum — no feasible point has an objective value below it when
    ///   minimising (above it when maximising) — or nil when none was established.
    case timeLimit(bestSoFar: FeasiblePoint?, bound: Double?)
    /// The dual simplex passed the objective cutoff the caller gave
    /// (``LinearProgram/solveForProvenBound(timeLimitSeconds:cutoff:)``) and stopped there: the optimum
    /// lies beyond `bound` (above it when minimising, below when maximising), which GLPK's dual objective
    /// reached; the optimum itself was not computed. Only a proven bound makes it a proof.
    case cutOff(bound: Double)

    /// The optimal objective value, or nil unless `.optimal`.
    public var objective: Double? {
        if case .optimal(let objective, _) = self { return objective }
        return nil
    }

    /// The optimal variable values, or nil unless `.optimal`.
    public var values: [Double]? {
        if case .optimal(_, let values) = self { return values }
        return nil
    }
}
