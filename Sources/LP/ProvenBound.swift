/// Bounds on an LP's optimum that hold in exact arithmetic, whatever GLPK's tolerances and rounding
/// (the Neumaier–Shcherbina construction: "Safe bounds in linear and mixed-integer linear
/// programming", Math. Programming 99, 2004). GLPK's row duals are only used as multipliers; weak
/// duality makes any multipliers give a valid bound, and the bound's own rounding error is
/// subtracted.
public struct ProvenLPBound: Sendable, Equatable {
    /// GLPK's answer.
    public var solution: LPSolution
    /// A bound on the optimum valid in exact arithmetic (lower when minimising, upper when
    /// maximising): `+∞` (`−∞` when maximising) when infeasibility was certified; nil when nothing
    /// could be proven (e.g. infeasibility reported but not certified, or an unbounded variable).
    public var bound: Double?
}

extension LinearProgram {
    /// ``lagrangianBound(multipliers:)`` moved by a bound on its floating-point error, so that it
    /// holds in exact arithmetic: the reduced costs `d = c − Aᵀy` carry an error of at most
    /// `γ(m+1)·Σ|terms|` each, which can cost that much times the variable's magnitude, and the
    /// final sum of `k` terms at most `γ(k)·Σ|terms|`. Nil when the bound is infinite or a variable
    /// with an uncertain reduced cost is unbounded.
    public func provenLagrangianBound(multipliers: [Double]) -> Double? { provenLagrangianBound(multipliers: multipliers, reusing: nil) }

    /// ``provenLagrangianBound(multipliers:)`` with `reusing`: reduced costs already computed for this program, used
    /// only when their multipliers are the ones the bound takes (after the zeroing below), otherwise computed again.
    func provenLagrangianBound(multipliers: [Double], reusing: ReducedCosts?) -> Double? {
        let minimise = sense == .minimise
        // Any multipliers give a valid bound, so one that would need an infinite row bound (GLPK's
        // noise of the wrong sign on a one-sided row) is set to 0 rather than losing the bound.
        var multipliers = multipliers
        for (i, row) in constraints.enumerated() where multipliers[i] != 0 {
            let r = (multipliers[i] > 0) == minimise ? row.lower : row.upper
            if !r.isFinite { multipliers[i] = 0 }
        }
        let costs = reusing.flatMap { $0.multipliers == multipliers ? $0 : nil } ?? reducedCosts(multipliers: multipliers)
        let (reduced, scale) = (costs.value, costs.scale)
        let reducedError = RoundingTerms.gamma(constraints.count + 2)
        var bound = objectiveConstant
        var magnitude = abs(objectiveConstant)
        var uncertainty = 0.0
        var terms = 1
        for (row, y) in zip(constraints, multipliers) where y != 0 {
            let r = (y > 0) == minimise ? row.lower : row.upper
            guard r.isFinite else { return nil }
            bound += y * r
            magnitude += abs(y * r)
            terms += 1
        }
        for (j, d) in reduced.enumerated() {
            let variable = variables[j]
            let reach = max(abs(variable.lower), abs(variable.upper))
            if scale[j] > 0 {
                guard reach.isFinite else { return nil }
                uncertainty += reducedError * scale[j] * reach
            }
            guard d != 0 else { continue }
            let x = (d > 0) == minimise ? variable.lower : variable.upper
            guard x.isFinite else { return nil }
            bound += d * x
            magnitude += abs(d * x)
            terms += 1
        }
        let error = (RoundingTerms.gamma(terms + 1) * magnitude + uncertainty) * (1 + 1e-6)
        guard bound.isFinite, error.isFinite else { return nil }
        return minimise ? bound - error : bound + error
    }

    /// Solves the LP relaxation like ``solve(timeLimitSeconds:)`` and proves a bound on its optimum:
    /// from GLPK's duals when it stops at an optimum or at the time limit, and, when it reports
    /// infeasibility, by certifying it: the phase-one program (every row widened by non-negative
    /// slacks, total slack minimised) must have a proven positive optimum.
    ///
    /// `cutoff`: the caller only needs to know whether the optimum lies beyond this value (above it when
    /// minimising, below when maximising). The dual simplex then stops as soon as its objective passes
    /// it; if the duals of that basis prove a bound beyond the cutoff, the answer is
    /// ``LPSolution/cutOff(bound:)`` with that bound, else the solve goes on to the optimum. Nodes that a
    /// branch-and-bound closes (including infeasible ones) then cost a partial dual simplex instead of a
    /// full solve plus, when infeasible, a certifying phase-one program.
    public func solveForProvenBound(timeLimitSeconds: Double? = nil, cutoff: Double? = nil) throws -> ProvenLPBound {
        try validate()
        guard let deadline = try Deadline(seconds: timeLimitSeconds) else {
            return ProvenLPBound(solution: .timeLimit(bestSoFar: nil, bound: nil), bound: nil)
        }
        let problem = GLPKProblem(self, integral: false)
        if let cutoff {
            problem.objectiveCutoff = cutoff
            problem.startFromCrashBasis()
        }
        return try problem.solveForProvenBound(deadline)
    }
}

extension GLPKProblem {
    /// Solves the relaxation from the problem's current basis and proves a bound on its optimum (see
    /// ``LinearProgram/solveForProvenBound(timeLimitSeconds:)``): the proof uses only the program and
    /// GLPK's duals, never the path the simplex took, so a warm start cannot weaken it.
    func solveForProvenBound(_ deadline: Deadline) throws -> ProvenLPBound {
        confirmedReducedCosts = nil
        let solution = try solveRelaxation(deadline)
        switch solution {
        case .cutOff:
            // The basis is dual feasible (phase two), so its duals bound the optimum; a bound that does
            // not clear the cutoff (rounding) is no answer: finish the solve from this basis.
            let cutoff = objectiveCutoff ?? 0
            objectiveCutoff = nil
            if let bound = program.provenLagrangianBound(multipliers: rowDuals()),
               program.sense == .minimise ? bound > cutoff : bound < cutoff {
                return ProvenLPBound(solution: .cutOff(bound: bound), bound: bound)
            }
            return try solveForProvenBound(deadline)
        case .optimal, .timeLimit:
            // An optimum's reduced costs were computed to confirm it, from the same duals.
            return ProvenLPBound(solution: solution, bound: program.provenLagrangianBound(multipliers: rowDuals(),
                                                                                          reusing: confirmedReducedCosts))
        case .unbounded:
            return ProvenLPBound(solution: solution, bound: nil)
        case .infeasible:
            let certified = try program.certifiesInfeasibility(deadline)
            return ProvenLPBound(solution: solution, bound: certified ? (program.sense == .minimise ? .infinity : -.infinity) : nil)
        }
    }
}

extension LinearProgram {
    /// True when the phase-one program has a proven positive optimum, i.e. no point satisfies the
    /// rows within the variable bounds (in exact arithmetic).
    func certifiesInfeasibility(_ deadline: Deadline) throws -> Bool {
        var phaseOne = LinearProgram(sense: .minimise)
        var reach = [Double]()
        for variable in variables {
            guard variable.lower.isFinite, variable.upper.isFinite else { return false }
            _ = phaseOne.addVariable(lower: variable.lower, upper: variable.upper)
            reach.append(max(abs(variable.lower), abs(variable.upper)))
        }
        for row in constraints {
            // The slacks never need to exceed the row's largest possible activity plus its bound.
            var most = 0.0
            for term in row.terms { most += abs(term.coefficient) * reach[term.variable] }
            let cap = 2 * (most + max(row.lower.isFinite ? abs(row.lower) : 0, row.upper.isFinite ? abs(row.upper) : 0)) + 1
            let below = phaseOne.addVariable(lower: 0, upper: cap, objective: 1)
            let above = phaseOne.addVariable(lower: 0, upper: cap, objective: 1)
            var terms = row.terms.map { (variable: $0.variable, coefficient: $0.coefficient) }
            terms.append((below, 1))
            terms.append((above, -1))
            phaseOne.constraints.append(Constraint(terms: terms.map { Term(variable: $0.variable, coefficient: $0.coefficient) },
                                                   lower: row.lower, upper: row.upper))
        }
        try phaseOne.validate()
        let problem = GLPKProblem(phaseOne, integral: false)
        // Only "is the least total slack positive?" matters: the dual simplex may stop once it is.
        problem.objectiveCutoff = 0
        while true {
            switch try problem.solveRelaxation(deadline) {
            case .cutOff:
                if let bound = phaseOne.provenLagrangianBound(multipliers: problem.rowDuals()), bound > 0 { return true }
                problem.objectiveCutoff = nil  // rounding left the proof short of 0: solve to the optimum
            case .optimal, .timeLimit:
                guard let bound = phaseOne.provenLagrangianBound(multipliers: problem.rowDuals()) else { return false }
                return bound > 0
            case .infeasible, .unbounded:
                return false
            }
        }
    }
}

/// `γ(n) = n·u / (1 − n·u)` with `u = 2⁻⁵³` (Higham, Lemma 3.5), the relative error bound of a sum
/// of `n` products in floating point, in any order.
enum RoundingTerms {
    static func gamma(_ n: Int) -> Double {
        let nu = Double(n) * (Double.ulpOfOne / 2)
        return nu < 0.5 ? nu / (1 - nu) : .infinity
    }
}
