import Foundation
import LP

/// A sound bound on a linear objective over a program built by ``NetworkLP``.
struct SolvedBound {
    /// `cutOff`: the optimum lies beyond the caller's cutoff by the proven `bound`, and was not computed.
    enum Status { case optimal, timeLimit, infeasible, unbounded, unproven, cutOff }
    var status: Status
    /// A bound proven in exact arithmetic (lower when minimising, upper when maximising); ±infinity
    /// when none.
    var bound: Double
    /// GLPK's optimum (or best point's value), not proven.
    var value: Double?
    /// The optimal (or best feasible) point, one value per program variable.
    var point: [Double]?
}

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

    /// Solves the LP and turns the answer into a sound bound in the program's sense. Solver failures
    /// are thrown as ``LPBoundsError/solver(_:context:)``.
    ///
    /// The bound holds in exact arithmetic: it comes from GLPK's duals by weak duality with the
    /// rounding error subtracted, and a reported infeasibility counts only once certified (else the
    /// status is `.unproven`, with no bound). Integer markings are ignored (the LP relaxation is solved).
    /// `cutoff`: see ``LinearProgram/solveForProvenBound(timeLimitSeconds:cutoff:)`` (status `.cutOff`).
    func solveForBound(timeLimit: Double?, context: String, cutoff: Double? = nil) throws -> SolvedBound {
        do {
            return SolvedBound(try solveForProvenBound(timeLimitSeconds: timeLimit, cutoff: cutoff), sense: sense)
        } catch let error as LPError {
            throw LPBoundsError.solver(error, context: context)
        }
    }
}

extension SolvedBound {
    /// The bound of a proven answer in `sense` (see ``LinearProgram/solveForBound(timeLimit:context:)``).
    init(_ proven: ProvenLPBound, sense: LinearProgram.Sense) {
        let toward: Double = sense == .minimise ? -1 : 1
        let none = toward * .infinity
        switch proven.solution {
        case .optimal(let objective, let values):
            self.init(status: proven.bound == nil ? .unproven : .optimal, bound: proven.bound ?? none,
                      value: objective, point: values)
        case .timeLimit(let best, _):
            self.init(status: .timeLimit, bound: proven.bound ?? none, value: best?.objective, point: best?.values)
        case .infeasible:
            self = proven.bound == nil
                ? SolvedBound(status: .unproven, bound: none, value: nil, point: nil)
                : SolvedBound(status: .infeasible, bound: -toward * .infinity, value: nil, point: nil)
        case .unbounded:
            self.init(status: .unbounded, bound: none, value: nil, point: nil)
        case .cutOff:
            self.init(status: .cutOff, bound: proven.bound ?? none, value: nil, point: nil)
        }
    }
}
