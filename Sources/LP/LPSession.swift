import CGLPK

/// One LP relaxation kept loaded in GLPK and solved for many objectives in turn (the minimum and
/// maximum of each neuron of a layer, say): each solve changes only the objective and restarts the
/// simplex from the previous optimal basis, which stays primal feasible when only the objective
/// changes, so the primal simplex usually needs a few pivots instead of a solve from scratch.
///
/// Every answer is proven exactly as ``LinearProgram/solveForProvenBound(timeLimitSeconds:)`` proves
/// it (weak duality from GLPK's duals with the rounding error subtracted; infeasibility certified by a
/// phase-one program); the proof never depends on the basis the simplex started from.
///
/// Not thread-safe, and GLPK keeps one environment per thread: create, use and drop a session on one
/// thread (GLPK's rule, see `GLPKProblem`).
public final class LPSession {
    private let problem: GLPKProblem
    /// Whether the problem holds a basis worth starting from (an optimum of the previous objective).
    private var warm = false
    /// Whether re-solves start from the previous basis (false: the dual simplex from the basis GLPK
    /// has, with the standard ratio test, as a fresh problem would be solved; for ablation).
    public let warmStart: Bool
    /// Solves so far.
    public private(set) var solves = 0

    /// Loads `program` (its objective is replaced by each solve's own; integrality is ignored).
    /// - Parameter warmStart: restart from the previous optimal basis with the primal simplex, and run the
    ///   dual simplex with GLPK's long-step ratio test (`GLP_RT_FLIP`).
    /// - Throws: `LPError` for an invalid program (checked before GLPK is called).
    public init(_ program: LinearProgram, warmStart: Bool = true) throws {
        var relaxation = program
        for j in relaxation.variables.indices { relaxation.variables[j].objective = 0 }
        relaxation.objectiveConstant = 0
        try relaxation.validate()
        problem = GLPKProblem(relaxation, integral: false)
        self.warmStart = warmStart
        if warmStart { problem.ratioTest = GLP_RT_FLIP }
    }

    /// A proven bound on `Σ terms + constant` (repeated variables add up) over the program, in `sense`.
    /// - Throws: `LPError` for a non-finite or out-of-range objective (checked before GLPK is called),
    ///   or a GLPK failure (after which the next solve starts cold).
    public func solveForProvenBound(objective terms: [(Int, Double)], constant: Double, sense: LinearProgram.Sense,
                                    timeLimitSeconds: Double? = nil) throws -> ProvenLPBound {
        try Self.validate(terms, constant, variableCount: problem.program.variables.count)
        guard let deadline = try Deadline(seconds: timeLimitSeconds) else {
            return ProvenLPBound(solution: .timeLimit(bestSoFar: nil, bound: nil), bound: nil)
        }
        problem.setObjective(terms, constant: constant, sense: sense)
        problem.firstMethod = warmStart && warm ? GLP_PRIMAL : GLP_DUALP
        solves += 1
        warm = false
        let proven = try problem.solveForProvenBound(deadline)
        if case .optimal = proven.solution { warm = true }
        return proven
    }

    /// The checks `validate()` makes of an objective, for the objective alone (the rows were checked once).
    private static func validate(_ terms: [(Int, Double)], _ constant: Double, variableCount: Int) throws {
        if !constant.isFinite { throw LPError.invalidObjectiveConstant(constant) }
        try LinearProgram.checkMagnitude(constant, "objective constant")
        for (j, c) in terms {
            precondition(j >= 0 && j < variableCount, "objective names variable \(j) of \(variableCount)")
            if !c.isFinite { throw LPError.invalidObjectiveCoefficient(variable: j, name: nil, value: c) }
            try LinearProgram.checkMagnitude(c, "variable \(j) objective coefficient")
        }
    }
}
