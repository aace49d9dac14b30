/// Why a `LinearProgram` could not be solved: invalid input (found before GLPK is called, since GLPK
/// aborts the process on invalid arguments) or a solver failure reported by a GLPK return code.
/// Infeasible and unbounded programs are not errors (see `LPSolution`).
public enum LPError: Error, Equatable, CustomStringConvertible {
    /// The program has no variables.
    case emptyProblem
    /// More variables, constraints or nonzero coefficients than GLPK's 32-bit indices can address.
    case tooLarge(what: String, count: Int)
    /// A variable's bounds are NaN, `lower` is `+inf`, `upper` is `-inf`, or `lower > upper`.
    case invalidVariableBounds(variable: Int, name: String?, lower: Double, upper: Double)
    /// A variable's objective coefficient is NaN or infinite.
    case invalidObjectiveCoefficient(variable: Int, name: String?, value: Double)
    /// The objective constant is NaN or infinite.
    case invalidObjectiveConstant(Double)
    /// A constraint's bounds are NaN, `lower` is `+inf`, `upper` is `-inf`, or `lower > upper`.
    case invalidConstraintBounds(constraint: Int, name: String?, lower: Double, upper: Double)
    /// A constraint coefficient is NaN or infinite.
    case invalidCoefficient(constraint: Int, name: String?, variable: Int, value: Double)
    /// A constraint names a variable index outside `0 ..< variableCount`.
    case variableOutOfRange(constraint: Int, name: String?, variable: Int, variableCount: Int)
    /// A constraint names the same variable twice.
    case duplicateVariable(constraint: Int, name: String?, variable: Int)
    /// A finite bound or coefficient larger in magnitude than `LinearProgram.largestMagnitude`.
    /// `location` names it, e.g. `variable 2 ("x") upper bound`.
    case valueTooLarge(location: String, value: Double)
    /// A nonzero constraint coefficient smaller in magnitude than `LinearProgram.smallestCoefficient`.
    case coefficientTooSmall(constraint: Int, name: String?, variable: Int, value: Double)
    /// The time limit is NaN or negative.
    case invalidTimeLimit(Double)
    /// GLPK failed: `routine` returned the error `code` (e.g. 5, `GLP_EFAIL`: numerical difficulties), or,
    /// with `code` 0, gave an answer that failed the wrapper's double check (see `solve`).
    case solverFailed(routine: String, code: Int, meaning: String)

    public var description: String {
        switch self {
        case .emptyProblem:
            return "linear program: no variables"
        case .tooLarge(let what, let count):
            return "linear program: \(count) \(what) exceed GLPK's limit of \(Int32.max)"
        case .invalidVariableBounds(let j, let name, let lower, let upper):
            return "linear program: \(Self.place("variable", j, name)): invalid bounds [\(lower), \(upper)]; "
                + "expected lower <= upper, lower < +inf, upper > -inf, no NaN"
        case .invalidObjectiveCoefficient(let j, let name, let value):
            return "linear program: \(Self.place("variable", j, name)): objective coefficient \(value); expected a finite number"
        case .invalidObjectiveConstant(let value):
            return "linear program: objective constant \(value); expected a finite number"
        case .invalidConstraintBounds(let i, let name, let lower, let upper):
            return "linear program: \(Self.place("constraint", i, name)): invalid bounds [\(lower), \(upper)]; "
                + "expected lower <= upper, lower < +inf, upper > -inf, no NaN"
        case .invalidCoefficient(let i, let name, let j, let value):
            return "linear program: \(Self.place("constraint", i, name)): coefficient \(value) of variable \(j); expected a finite number"
        case .variableOutOfRange(let i, let name, let j, let count):
            return "linear program: \(Self.place("constraint", i, name)): variable index \(j); expected 0..<\(count)"
        case .duplicateVariable(let i, let name, let j):
            return "linear program: \(Self.place("constraint", i, name)): variable \(j) appears more than once; "
                + "expected each variable at most once per row"
        case .valueTooLarge(let location, let value):
            return "linear program: \(location) is \(value); expected magnitude <= \(LinearProgram.largestMagnitude) "
                + "(use ±infinity for a missing bound, or rescale the problem)"
        case .coefficientTooSmall(let i, let name, let j, let value):
            return "linear program: \(Self.place("constraint", i, name)): coefficient \(value) of variable \(j); "
                + "expected 0 or a magnitude >= \(LinearProgram.smallestCoefficient) (set negligible coefficients to 0)"
        case .invalidTimeLimit(let seconds):
            return "linear program: time limit \(seconds) s; expected a number >= 0"
        case .solverFailed(let routine, let code, let meaning):
            return "linear program: GLPK \(routine) failed with code \(code): \(meaning)"
        }
    }

    static func place(_ kind: String, _ index: Int, _ name: String?) -> String {
        if let name { return "\(kind) \(index) (\"\(name)\")" }
        return "\(kind) \(index)"
    }
}
