import CGLPK
#if canImport(Glibc)
import Glibc  // links libm, which `rounded(_:)` needs in optimised builds on Linux
#endif

// The only code that talks to GLPK. Each solve creates, solves and deletes its own `glp_prob` within one
// synchronous call on one thread (Debian's GLPK keeps one environment per thread). Nothing reaches
// standard output: `msg_lev = GLP_MSG_OFF` in every parameter struct, the thread's terminal output is
// off, and a terminal hook sends whatever GLPK still prints (its fatal-error message, printed even
// with output off, just before it aborts) to standard error.

/// One `glp_prob`, owned by exactly one call on one thread and deleted when this object goes away.
final class GLPKProblem {
    /// The program exactly as loaded into GLPK (integer bounds rounded, objective possibly dropped),
    /// kept in step with every change made to the GLPK problem.
    private(set) var program: LinearProgram
    let pointer: OpaquePointer
    /// GLPK's ratio test for the simplex runs (`GLP_RT_HAR` by default; `GLP_RT_FLIP`, the long-step
    /// ratio test of the dual simplex, for warm re-solves). Any ratio test gives the same answers to
    /// within GLPK's tolerances, and every answer is checked the same way.
    var ratioTest = GLP_RT_HAR
    /// Simplex method of the first run (`GLP_DUALP`; `GLP_PRIMAL` after an objective change, which
    /// keeps the previous optimal basis primal feasible).
    var firstMethod = GLP_DUALP
    /// Where the dual simplex may stop early (nil: never): once its objective, which rises monotonically
    /// in phase two when minimising (falls when maximising), passes this value (`obj_ul` / `obj_ll`).
    /// Used where only "is the optimum beyond this value?" matters; a stop is reported as
    /// ``LPSolution/cutOff(bound:)`` and must still be proven from the duals.
    var objectiveCutoff: Double?
    /// The reduced costs that confirmed the last optimum of the current ``solveForProvenBound(_:)`` (nil before one):
    /// its proven bound takes the same duals, so it reuses them rather than computing them again.
    var confirmedReducedCosts: ReducedCosts?

    /// Loads `original` into a new GLPK problem (it must have passed `validate()`).
    /// `integral`: mark integer columns and round their bounds inwards; otherwise all columns are continuous.
    init(_ original: LinearProgram, integral: Bool) {
        var program = original
        for j in program.variables.indices {
            if integral && program.variables[j].isInteger {
                program.variables[j].lower.round(.up)
                program.variables[j].upper.round(.down)
            } else {
                program.variables[j].isInteger = false
            }
        }
        self.program = program
        glp_term_out(GLP_OFF)
        glp_term_hook({ _, text in
            if let text { _ = write(2, text, strlen(text)) }
            return 1  // non-zero: GLPK does not print the text itself
        }, nil)
        pointer = glp_create_prob()
        let p = pointer
        glp_set_obj_dir(p, program.sense == .minimise ? GLP_MIN : GLP_MAX)
        glp_add_cols(p, Int32(program.variables.count))
        for (j, variable) in program.variables.enumerated() {
            let column = Int32(j + 1)
            let lower = variable.lower, upper = variable.upper
            if variable.isInteger { glp_set_col_kind(p, column, GLP_IV) }
            glp_set_col_bnds(p, column, Self.boundType(lower, upper), lower.isFinite ? lower : 0, upper.isFinite ? upper : 0)
            glp_set_obj_coef(p, column, variable.objective)
        }
        glp_set_obj_coef(p, 0, program.objectiveConstant)
        if !program.constraints.isEmpty { glp_add_rows(p, Int32(program.constraints.count)) }
        // The triplets go to GLPK column by column (rows ascending within each column). GLPK links the same lists
        // in the same order either way, but allocates the elements in triplet order, and every `glp_simplex` call
        // copies the matrix into its working arrays by walking the column lists; loaded row by row, each step of
        // that walk jumps a whole row ahead in memory (on mnistfc's 256x6 network a quarter less refinement time).
        var perColumn = [Int](repeating: 0, count: program.variables.count + 1)
        for (i, row) in program.constraints.enumerated() {
            glp_set_row_bnds(p, Int32(i + 1), Self.boundType(row.lower, row.upper),
                             row.lower.isFinite ? row.lower : 0, row.upper.isFinite ? row.upper : 0)
            for term in row.terms where term.coefficient != 0 { perColumn[term.variable + 1] += 1 }
        }
        for j in 0..<program.variables.count { perColumn[j + 1] += perColumn[j] }  // now each column's first slot - 1
        let count = perColumn[program.variables.count]
        var ia = [Int32](repeating: 0, count: count + 1), ja = ia, ar = [Double](repeating: 0, count: count + 1)
        for (i, row) in program.constraints.enumerated() {
            for term in row.terms where term.coefficient != 0 {
                perColumn[term.variable] += 1
                let k = perColumn[term.variable]
                (ia[k], ja[k], ar[k]) = (Int32(i + 1), Int32(term.variable + 1), term.coefficient)
            }
        }
        glp_load_matrix(p, Int32(ia.count - 1), ia, ja, ar)
        // Row and column scaling, as glpsol does by default (GLPK's getters return unscaled values).
        // Without it, a row like -9.7e-7·x <= 0 next to -6.2e5·x <= 1.6e5 made the simplex call a
        // feasible LP infeasible. Validation keeps coefficients within 1e-30...1e15 so that the scale
        // factors cannot underflow (GLPK aborts on a zero scale factor).
        glp_scale_prob(p, GLP_SF_AUTO)
    }

    deinit { glp_delete_prob(pointer) }

    /// Sets every objective coefficient and the constant to 0 (for a pure feasibility search).
    func dropObjective() {
        for j in program.variables.indices {
            program.variables[j].objective = 0
            glp_set_obj_coef(pointer, Int32(j + 1), 0)
        }
        program.objectiveConstant = 0
        glp_set_obj_coef(pointer, 0, 0)
    }

    /// Changes variable `j`'s bounds (0-based), keeping the basis.
    func setVariableBounds(_ j: Int, lower: Double, upper: Double) {
        program.variables[j].lower = lower
        program.variables[j].upper = upper
        glp_set_col_bnds(pointer, Int32(j + 1), Self.boundType(lower, upper), lower.isFinite ? lower : 0, upper.isFinite ? upper : 0)
    }

    /// Changes row `i`'s bounds (0-based), keeping the basis.
    func setConstraintBounds(_ i: Int, lower: Double, upper: Double) {
        program.constraints[i].lower = lower
        program.constraints[i].upper = upper
        glp_set_row_bnds(pointer, Int32(i + 1), Self.boundType(lower, upper), lower.isFinite ? lower : 0, upper.isFinite ? upper : 0)
    }

    /// Replaces the objective by `Σ terms + constant` in `sense`, keeping the basis: only the columns
    /// whose coefficient changes are touched (repeated columns in `terms` add up).
    func setObjective(_ terms: [(Int, Double)], constant: Double, sense: LinearProgram.Sense) {
        var fresh = [Int: Double]()
        for (j, c) in terms { fresh[j, default: 0] += c }
        for j in program.variables.indices where program.variables[j].objective != 0 && fresh[j] == nil {
            program.variables[j].objective = 0
            glp_set_obj_coef(pointer, Int32(j + 1), 0)
        }
        for (j, c) in fresh where program.variables[j].objective != c {
            program.variables[j].objective = c
            glp_set_obj_coef(pointer, Int32(j + 1), c)
        }
        program.objectiveConstant = constant
        glp_set_obj_coef(pointer, 0, constant)
        if program.sense != sense {
            program.sense = sense
            glp_set_obj_dir(pointer, sense == .minimise ? GLP_MIN : GLP_MAX)
        }
    }

    /// GLPK's bound type for a (validated) pair of bounds.
    static func boundType(_ lower: Double, _ upper: Double) -> Int32 {
        switch (lower.isFinite, upper.isFinite) {
        case (false, false): return GLP_FR
        case (true, false): return GLP_LO
        case (false, true): return GLP_UP
        case (true, true): return lower == upper ? GLP_FX : GLP_DB
        }
    }

    /// Runs the simplex method: dual simplex first (faster on our problems), primal simplex when the dual
    /// leaves the status undecided (a basis neither primal nor dual feasible).
    ///
    /// Two answers are double-checked, because a wrong one would be taken as a proof by a verifier:
    /// - "infeasible": GLPK's dual simplex has called feasible, badly scaled LPs infeasible, so the claim
    ///   is confirmed by the primal simplex from a fresh advanced basis (a point found there wins);
    /// - "optimal": GLPK tests reduced costs relative to the largest cost, so with costs spanning ~1e10
    ///   it has called unbounded LPs optimal; every optimum must pass `confirmsOptimum`.
    /// Unconfirmed answers throw `LPError.solverFailed`.
    func solveRelaxation(_ deadline: Deadline) throws -> LPSolution {
        guard var status = try simplex(firstMethod, deadline) else { return timeLimitedRelaxation() }
        if status == Self.cutOffStatus { return .cutOff(bound: glp_get_obj_val(pointer)) }
        if status != GLP_OPT && status != GLP_NOFEAS && status != GLP_UNBND {
            let other = firstMethod == GLP_PRIMAL ? GLP_DUALP : GLP_PRIMAL
            guard let second = try simplex(other, deadline) else { return timeLimitedRelaxation() }
            if second == Self.cutOffStatus { return .cutOff(bound: glp_get_obj_val(pointer)) }
            status = second
        }
        if status == GLP_NOFEAS {
            glp_adv_basis(pointer, 0)
            do {
                guard let second = try simplex(GLP_PRIMAL, deadline) else { return timeLimitedRelaxation() }
                status = second
            } catch {
                throw LPError.solverFailed(routine: "glp_simplex", code: 0, meaning:
                    "infeasibility reported by the dual simplex could not be confirmed by the primal simplex (\(error))")
            }
        }
        switch status {
        case GLP_OPT: return try confirmedOptimum()
        case GLP_NOFEAS: return .infeasible
        case GLP_UNBND: return .unbounded
        default:
            throw LPError.solverFailed(routine: "glp_simplex", code: 0,
                                       meaning: "status \(status) left undecided by dual and primal simplex")
        }
    }

    /// Starts the next solve from Bixby's crash basis (`glp_adv_basis`) with the dual simplex's long-step
    /// ratio test (`GLP_RT_FLIP`) instead of the all-slack basis: on the small dense programs of the exact
    /// leaves (ACAS Xu) about a quarter less time (benchmarks/RESULTS.md). Only the path changes; every
    /// answer is proven as before.
    func startFromCrashBasis() {
        glp_adv_basis(pointer, 0)
        ratioTest = GLP_RT_FLIP
    }

    /// What ``simplex(_:_:)`` returns when the dual simplex stopped at ``objectiveCutoff`` (no GLPK status
    /// has this value).
    static let cutOffStatus: Int32 = -1

    /// One `glp_simplex` run from the current basis with output off and no presolver.
    /// - Returns: GLPK's solution status (`GLP_OPT`, `GLP_NOFEAS`, ...), or nil when time ran out.
    private func simplex(_ method: Int32, _ deadline: Deadline) throws -> Int32? {
        var parm = glp_smcp()
        glp_init_smcp(&parm)
        parm.msg_lev = GLP_MSG_OFF
        parm.meth = method
        parm.presolve = GLP_OFF
        parm.r_test = ratioTest
        parm.tm_lim = deadline.remaining
        if parm.tm_lim == 0 { return nil }
        if let cutoff = objectiveCutoff, method != GLP_PRIMAL {
            if program.sense == .minimise { parm.obj_ul = cutoff } else { parm.obj_ll = cutoff }
        }
        var code = glp_simplex(pointer, &parm)
        if code == GLP_EBADB || code == GLP_ESING || code == GLP_ECOND {
            // A restored basis GLPK cannot factorize (``restoreBasis(_:)``): start again from a crash basis.
            glp_adv_basis(pointer, 0)
            code = glp_simplex(pointer, &parm)
        }
        if code == GLP_ETMLIM { return nil }
        if code == GLP_EOBJUL || code == GLP_EOBJLL { return Self.cutOffStatus }
        guard code == 0 else { throw Self.failure("glp_simplex", code) }
        return glp_get_status(pointer)
    }

    /// `.optimal` from GLPK's optimal basic solution, if it passes `confirmsOptimum`.
    private func confirmedOptimum() throws -> LPSolution {
        let objective = glp_get_obj_val(pointer)
        let values = (1...program.variables.count).map { glp_get_col_prim(pointer, Int32($0)) }
        let duals = rowDuals()
        let reduced = program.reducedCosts(multipliers: duals)
        confirmedReducedCosts = reduced
        let confirmed = program.confirmsOptimum(
            objective: objective, values: values, multipliers: duals,
            columnStatus: (0..<program.variables.count).map { Self.status(glp_get_col_stat(pointer, Int32($0 + 1))) },
            rowStatus: (0..<program.constraints.count).map { Self.status(glp_get_row_stat(pointer, Int32($0 + 1))) },
            reduced: reduced)
        guard confirmed else {
            throw LPError.solverFailed(routine: "glp_simplex", code: 0, meaning:
                "claimed optimum \(objective) fails the dual-feasibility check (a reduced cost points away "
                + "from its bound); the objective is too badly scaled, e.g. coefficients of very different magnitudes")
        }
        return .optimal(objective: objective, values: values)
    }

    /// The basis status for a GLPK status code (`GLP_BS`, `GLP_NL`, ...).
    static func status(_ code: Int32) -> BasisStatus {
        switch code {
        case GLP_NL: return .atLower
        case GLP_NU: return .atUpper
        case GLP_NF: return .free
        case GLP_NS: return .fixed
        default: return .basic
        }
    }

    /// The current basis: GLPK's status of every row, then of every column (the bounds are not part of it).
    func basisStatuses() -> [Int32] {
        (0..<program.constraints.count).map { glp_get_row_stat(pointer, Int32($0 + 1)) }
            + (0..<program.variables.count).map { glp_get_col_stat(pointer, Int32($0 + 1)) }
    }

    /// Makes `statuses` (from ``basisStatuses()`` of this problem, whose matrix never changes) the current basis;
    /// the next simplex run factorizes it, and starts from a crash basis should GLPK find it singular.
    func restoreBasis(_ statuses: [Int32]) {
        let rows = program.constraints.count
        precondition(statuses.count == rows + program.variables.count, "basis of another problem")
        for i in 0..<rows { glp_set_row_stat(pointer, Int32(i + 1), statuses[i]) }
        for j in 0..<program.variables.count { glp_set_col_stat(pointer, Int32(j + 1), statuses[rows + j]) }
    }

    /// GLPK's current dual value of row `i` (0-based).
    func rowDual(_ i: Int) -> Double { glp_get_row_dual(pointer, Int32(i + 1)) }

    /// GLPK's current row duals, one per constraint.
    func rowDuals() -> [Double] {
        (0..<program.constraints.count).map { glp_get_row_dual(pointer, Int32($0 + 1)) }
    }

    /// `.timeLimit` from the basic solution GLPK stored when its time ran out.
    private func timeLimitedRelaxation() -> LPSolution {
        var point: FeasiblePoint?
        if glp_get_prim_stat(pointer) == GLP_FEAS {
            let values = (1...program.variables.count).map { glp_get_col_prim(pointer, Int32($0)) }
            point = FeasiblePoint(objective: glp_get_obj_val(pointer), values: values)
        }
        return .timeLimit(bestSoFar: point, bound: program.lagrangianBound(multipliers: rowDuals()))
    }

    /// Branch-and-cut (`glp_intopt`) from the optimal relaxation basis already in the problem.
    /// `rootBound` is the relaxation's optimum, a valid bound until the search finds a better one.
    /// `stop`, asked at every callback of the search, ends it early like the time limit.
    func branchAndCut(_ deadline: Deadline, rootBound: Double, stop: (() -> Bool)? = nil) throws -> LPSolution {
        let minimise = program.sense == .minimise
        var tracker = BoundTracker(bound: rootBound, minimise: minimise, stop: stop)
        var parm = glp_iocp()
        glp_init_iocp(&parm)
        parm.msg_lev = GLP_MSG_OFF
        parm.presolve = GLP_OFF  // the relaxation is already solved to optimality
        parm.tm_lim = deadline.remaining
        if parm.tm_lim == 0 { return .timeLimit(bestSoFar: nil, bound: rootBound) }
        parm.cb_func = { tree, info in
            guard let tree, let info else { return }
            let tracker = info.assumingMemoryBound(to: BoundTracker.self)
            let node = glp_ios_best_node(tree)
            if node != 0 { tracker.pointee.offer(glp_ios_node_bound(tree, node)) }
            if tracker.pointee.stop?() == true { glp_ios_terminate(tree) }
        }
        let code = withUnsafeMutablePointer(to: &tracker) { trackerPointer in
            parm.cb_info = UnsafeMutableRawPointer(trackerPointer)
            return glp_intopt(pointer, &parm)
        }
        let status = glp_mip_status(pointer)
        switch code {
        case 0:
            switch status {
            case GLP_OPT:
                let point = incumbent()
                return .optimal(objective: point.objective, values: point.values)
            case GLP_NOFEAS: return .infeasible
            default:
                throw LPError.solverFailed(routine: "glp_intopt", code: 0, meaning: "finished with undecided status \(status)")
            }
        case GLP_ETMLIM, GLP_ESTOP:  // the time limit, or `stop`: the search so far still bounds the optimum
            let best = status == GLP_FEAS ? incumbent() : nil
            var bound = tracker.bound
            // An open node's bound may be worse than the incumbent; the optimum is at least the incumbent.
            if let best { bound = minimise ? min(bound, best.objective) : max(bound, best.objective) }
            return .timeLimit(bestSoFar: best, bound: bound)
        default:
            throw Self.failure("glp_intopt", code)
        }
    }

    /// The integer solution GLPK stored, integer columns rounded to exact integers.
    private func incumbent() -> FeasiblePoint {
        let values = program.variables.enumerated().map { j, variable in
            let value = glp_mip_col_val(pointer, Int32(j + 1))
            return variable.isInteger ? value.rounded() : value
        }
        return FeasiblePoint(objective: program.objectiveValue(at: values), values: values)
    }

    /// An `LPError` for a GLPK return code, with GLPK's documented meaning.
    static func failure(_ routine: String, _ code: Int32) -> LPError {
        let meanings: [Int32: String] = [
            GLP_EBADB: "invalid initial basis", GLP_ESING: "singular basis matrix",
            GLP_ECOND: "ill-conditioned basis matrix", GLP_EBOUND: "invalid bounds",
            GLP_EFAIL: "solver failed (numerical difficulties)", GLP_EOBJLL: "objective lower limit reached",
            GLP_EOBJUL: "objective upper limit reached", GLP_EITLIM: "iteration limit exceeded",
            GLP_ETMLIM: "time limit exceeded", GLP_ENOPFS: "no primal feasible solution",
            GLP_ENODFS: "no dual feasible solution", GLP_EROOT: "optimal root LP basis not provided",
            GLP_ESTOP: "search terminated by application", GLP_EMIPGAP: "relative MIP gap tolerance reached",
            GLP_ENOFEAS: "no primal/dual feasible solution", GLP_ENOCVG: "no convergence",
            GLP_EINSTAB: "numerical instability", GLP_EDATA: "invalid data", GLP_ERANGE: "result out of range",
        ]
        return .solverFailed(routine: routine, code: Int(code), meaning: meanings[code] ?? "unknown GLPK return code")
    }
}

/// The best proven bound on a MILP optimum seen so far, updated from the branch-and-cut callback.
private struct BoundTracker {
    var bound: Double
    let minimise: Bool
    /// Asked at every callback: true ends the search (`glp_ios_terminate`).
    let stop: (() -> Bool)?

    /// Takes `candidate` (the best open node's bound) if it is tighter and finite.
    mutating func offer(_ candidate: Double) {
        guard candidate.isFinite, abs(candidate) < Double.greatestFiniteMagnitude else { return }
        bound = minimise ? max(bound, candidate) : min(bound, candidate)
    }
}
