import CGLPK

/// One LP kept loaded in GLPK while a branch-and-bound changes the bounds of its variables and rows
/// (fixing a ReLU's phase is a change of bounds), each solve restarting the dual simplex from the
/// previous basis. A bound change leaves the basis dual feasible, so the dual simplex usually needs a few
/// pivots where a fresh problem needs a solve from scratch.
///
/// Every answer is proven exactly as ``LinearProgram/solveForProvenBound(timeLimitSeconds:cutoff:)``
/// proves it, over the program with the bounds as they are at that solve (weak duality from GLPK's duals
/// with the rounding error subtracted; infeasibility certified by a phase-one program); the proof never
/// depends on the basis the simplex started from.
///
/// Not thread-safe, and GLPK keeps one environment per thread: create, use and drop a session on one
/// thread (GLPK's rule, see `GLPKProblem`).
public final class BoundChangeSession {
    private let problem: GLPKProblem
    /// Solves so far.
    public private(set) var solves = 0

    /// Loads `program` with its objective (integrality is ignored).
    /// - Throws: `LPError` for an invalid program (checked before GLPK is called).
    public init(_ program: LinearProgram) throws {
        try program.validate()
        problem = GLPKProblem(program, integral: false)
        problem.ratioTest = GLP_RT_FLIP
        problem.firstMethod = GLP_DUALP
    }

    /// The program as loaded, with every bound change made so far.
    public var program: LinearProgram { problem.program }

    /// Row `i`'s dual value in the last solution GLPK holds (0-based).
    public func rowDual(_ i: Int) -> Double { problem.rowDual(i) }
    /// The current simplex basis (for ``restoreBasis(_:)``).
    public func basis() -> SimplexBasis { SimplexBasis(statuses: problem.basisStatuses(), solve: solves) }

    /// Starts the next solve from `basis`, taken from this session by ``basis()`` under any bounds (a bound change
    /// leaves the matrix as it was, so the basis stays one of this problem's); nothing to do when no solve has
    /// happened since it was taken (GLPK still holds it). Only the simplex's path changes; every answer is proven
    /// as before, and a basis GLPK cannot factorize makes it start from a crash basis.
    public func restoreBasis(_ basis: SimplexBasis) {
        guard basis.solve != solves else { return }
        problem.restoreBasis(basis.statuses)
    }

    /// Sets variable `j`'s bounds (0-based).
    /// - Throws: `LPError` for a NaN, crossed or out-of-range bound (checked before GLPK is called).
    public func setBounds(variable j: Int, lower: Double, upper: Double) throws {
        guard Self.isInterval(lower, upper) else { throw LPError.invalidVariableBounds(variable: j, name: nil, lower: lower, upper: upper) }
        try Self.checkMagnitudes(lower, upper, "variable \(j)")
        problem.setVariableBounds(j, lower: lower, upper: upper)
    }

    /// Sets row `i`'s bounds (0-based).
    /// - Throws: `LPError` as ``setBounds(variable:lower:upper:)``.
    public func setBounds(row i: Int, lower: Double, upper: Double) throws {
        guard Self.isInterval(lower, upper) else { throw LPError.invalidConstraintBounds(constraint: i, name: nil, lower: lower, upper: upper) }
        try Self.checkMagnitudes(lower, upper, "row \(i)")
        problem.setConstraintBounds(i, lower: lower, upper: upper)
    }

    /// Replaces the objective by `Σ terms + constant` (repeated variables add up) in `sense`, keeping the
    /// basis and every bound change (a search over many objectives on one program, e.g. the minimum and
    /// maximum of each neuron of a layer).
    /// - Throws: `LPError` for a non-finite or out-of-range objective (checked before GLPK is called).
    public func setObjective(_ terms: [(Int, Double)], constant: Double, sense: LinearProgram.Sense) throws {
        if !constant.isFinite { throw LPError.invalidObjectiveConstant(constant) }
        try LinearProgram.checkMagnitude(constant, "objective constant")
        let count = problem.program.variables.count
        for (j, c) in terms {
            precondition(j >= 0 && j < count, "objective names variable \(j) of \(count)")
            if !c.isFinite { throw LPError.invalidObjectiveCoefficient(variable: j, name: nil, value: c) }
            try LinearProgram.checkMagnitude(c, "variable \(j) objective coefficient")
        }
        problem.setObjective(terms, constant: constant, sense: sense)
    }

    /// A proven bound on the optimum of the program as it is now (see the type's documentation);
    /// `cutoff` as in ``LinearProgram/solveForProvenBound(timeLimitSeconds:cutoff:)``.
    /// - Throws: `LPError` for a GLPK failure.
    public func solveForProvenBound(timeLimitSeconds: Double? = nil, cutoff: Double? = nil) throws -> ProvenLPBound {
        guard let deadline = try Deadline(seconds: timeLimitSeconds) else {
            return ProvenLPBound(solution: .timeLimit(bestSoFar: nil, bound: nil), bound: nil)
        }
        solves += 1
        problem.objectiveCutoff = cutoff
        return try problem.solveForProvenBound(deadline)
    }

    private static func isInterval(_ lower: Double, _ upper: Double) -> Bool {
        !lower.isNaN && !upper.isNaN && lower <= upper && lower != .infinity && upper != -.infinity
    }

    private static func checkMagnitudes(_ lower: Double, _ upper: Double, _ what: String) throws {
        if lower.isFinite { try LinearProgram.checkMagnitude(lower, "\(what) lower bound") }
        if upper.isFinite { try LinearProgram.checkMagnitude(upper, "\(what) upper bound") }
    }
}

/// A simplex basis of one ``BoundChangeSession``'s problem: which rows and columns are basic, and at which bound
/// each nonbasic one sits (GLPK's statuses, rows first).
public struct SimplexBasis: Sendable, Equatable {
    let statuses: [Int32]
    /// The session's solve count when it was taken.
    let solve: Int
}
