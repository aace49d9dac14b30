import Foundation
import LP

/// A sound bound on a linear objective over a program built by ``NetworkLP``.
struct SolvedBound {
    enum Status { case optimal, timeLimit, infeasible, unbounded, unproven }
    var status: Status
    /// A proven bound (lower when minimising, upper when maximising) with the safety margin applied;
    /// ±infinity when none.
    var bound: Double
    /// The program's optimum (or best point's value) before the margin.
    var value: Double?
    /// The optimal (or best feasible) point, one value per program variable.
    var point: [Double]?
}

/// GLPK's answers are exact only up to its tolerances (about 1e-7, relative to the data). A MILP
/// optimum turned into a bound is moved by this much in the safe direction (LP bounds are proven
/// instead, see ``LinearProgram/solveForProvenBound(timeLimitSeconds:)``).
func safetyMargin(_ value: Double) -> Double { 1e-6 * (1 + abs(value)) }

/// Seconds left before `deadline` (nil: no limit), never negative.
func secondsLeft(_ deadline: Date?) -> Double? {
    deadline.map { max(0, $0.timeIntervalSinceNow) }
}

extension LinearProgram {
    /// Sets the objective to `Σ terms + constant` (previous objective cleared) with the given sense.
    mutating func setObjective(_ terms: [(Int, Double)], constant: Double, sense: Sense) {
        for j in variables.indices where variables[j].objective != 0 { variables[j].objective = 0 }
        for (variable, c) in terms { variables[variable].objective += c }
        objectiveConstant = constant
        self.sense = sense
    }

    /// Solves (LP, or MILP when `integral`) and turns the answer into a sound bound in the program's sense.
    /// Solver failures are thrown as ``LPBoundsError/solver(_:context:)``.
    ///
    /// LP bounds hold in exact arithmetic: they come from GLPK's duals by weak duality with the
    /// rounding error subtracted, and a reported infeasibility counts only once certified (else the
    /// status is `.unproven`, with no bound). MILP bounds keep GLPK's optimum with ``safetyMargin(_:)``.
    func solveForBound(integral: Bool, timeLimit: Double?, context: String) throws -> SolvedBound {
        let toward: Double = sense == .minimise ? -1 : 1
        if !integral {
            let proven: ProvenLPBound
            do {
                proven = try solveForProvenBound(timeLimitSeconds: timeLimit)
            } catch let error as LPError {
                throw LPBoundsError.solver(error, context: context)
            }
            let none = toward * .infinity
            switch proven.solution {
            case .optimal(let objective, let values):
                return SolvedBound(status: proven.bound == nil ? .unproven : .optimal, bound: proven.bound ?? none,
                                   value: objective, point: values)
            case .timeLimit(let best, _):
                return SolvedBound(status: .timeLimit, bound: proven.bound ?? none, value: best?.objective, point: best?.values)
            case .infeasible:
                return proven.bound == nil
                    ? SolvedBound(status: .unproven, bound: none, value: nil, point: nil)
                    : SolvedBound(status: .infeasible, bound: -toward * .infinity, value: nil, point: nil)
            case .unbounded:
                return SolvedBound(status: .unbounded, bound: none, value: nil, point: nil)
            }
        }
        let solution: LPSolution
        do {
            solution = try solveMILP(timeLimitSeconds: timeLimit)
        } catch let error as LPError {
            throw LPBoundsError.solver(error, context: context)
        }
        switch solution {
        case .optimal(let objective, let values):
            return SolvedBound(status: .optimal, bound: objective + toward * safetyMargin(objective),
                               value: objective, point: values)
        case .infeasible:
            return SolvedBound(status: .infeasible, bound: -toward * .infinity, value: nil, point: nil)
        case .timeLimit(let best, let bound):
            return SolvedBound(status: .timeLimit, bound: bound.map { $0 + toward * safetyMargin($0) } ?? toward * .infinity,
                               value: best?.objective, point: best?.values)
        case .unbounded:
            // Only possible when some variable lacks a bound (bounds beyond 1e12 are dropped): no bound.
            return SolvedBound(status: .unbounded, bound: toward * .infinity, value: nil, point: nil)
        }
    }
}
