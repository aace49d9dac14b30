/// A linear or mixed-integer program, as a plain value:
///
///     minimise / maximise   Σ_j objective_j · x_j + objectiveConstant
///     subject to            lower_i <= Σ_j a_ij · x_j <= upper_i      (each constraint i)
///                           lower_j <= x_j <= upper_j                 (each variable j)
///                           x_j integer                               (where isInteger)
///
/// Bounds may be infinite (`-.infinity` / `.infinity` for "no bound"); equal bounds make an equality.
/// Variables are numbered from 0 in the order they were added. Building a program never fails: the
/// whole program is validated when it is solved (`solve`, `solveMILP`), which throws `LPError` naming
/// the offending variable or constraint.
///
/// Numerical range: finite bounds and coefficients must not exceed `largestMagnitude` (1e15) in
/// magnitude, and nonzero constraint coefficients must be at least `smallestCoefficient` (1e-30).
/// GLPK works in floating point with relative tolerances (about 1e-7); on programs whose data span many
/// orders of magnitude it can fail, and the solvers then throw rather than return a doubtful answer.
/// (On 8,000 random LPs with data within 1e-4...1e4, every answer matched HiGHS; 0.04% threw.)
public struct LinearProgram: Sendable, Equatable {
    /// The direction of optimisation.
    public enum Sense: Sendable, Equatable {
        case minimise
        case maximise
    }

    /// One decision variable: its bounds, its objective coefficient and whether it must be integral.
    public struct Variable: Sendable, Equatable {
        /// Lower bound; `-.infinity` for none. Must not be NaN or `+.infinity`.
        public var lower: Double
        /// Upper bound; `.infinity` for none. Must not be NaN or `-.infinity`, nor below `lower`.
        public var upper: Double
        /// Coefficient in the objective; must be finite.
        public var objective: Double
        /// Whether `solveMILP` must give this variable an integral value (ignored by `solve`).
        public var isInteger: Bool
        /// Optional name, used only in error messages.
        public var name: String?

        /// A variable with the given bounds, objective coefficient and integrality.
        public init(lower: Double, upper: Double, objective: Double = 0, isInteger: Bool = false, name: String? = nil) {
            self.lower = lower
            self.upper = upper
            self.objective = objective
            self.isInteger = isInteger
            self.name = name
        }
    }

    /// One coefficient `a_ij` of a constraint row: `coefficient` times variable number `variable`.
    public struct Term: Sendable, Equatable {
        /// 0-based index of the variable.
        public var variable: Int
        /// The coefficient; must be finite.
        public var coefficient: Double

        /// The term `coefficient · x_variable`.
        public init(variable: Int, coefficient: Double) {
            self.variable = variable
            self.coefficient = coefficient
        }
    }

    /// A linear row `lower <= Σ terms <= upper` (each variable at most once in `terms`).
    ///
    /// `lower == upper` is an equality, `-.infinity ..< upper` a `<=` row, `lower ..< .infinity` a `>=`
    /// row, both finite a ranged row, both infinite a free row (allowed, and ignored by the solver).
    public struct Constraint: Sendable, Equatable {
        /// The sparse row; zero coefficients are allowed and dropped before solving.
        public var terms: [Term]
        /// Lower bound of the row activity; `-.infinity` for none.
        public var lower: Double
        /// Upper bound of the row activity; `.infinity` for none.
        public var upper: Double
        /// Optional name, used only in error messages.
        public var name: String?

        /// The row `lower <= Σ terms <= upper`.
        public init(terms: [Term], lower: Double, upper: Double, name: String? = nil) {
            self.terms = terms
            self.lower = lower
            self.upper = upper
            self.name = name
        }
    }

    /// Minimise or maximise.
    public var sense: Sense
    /// The variables, in index order.
    public var variables: [Variable]
    /// The constraint rows, in index order.
    public var constraints: [Constraint]
    /// A constant added to the objective value (must be finite).
    public var objectiveConstant: Double

    /// An empty program (no variables, no constraints) with the given sense.
    public init(sense: Sense, objectiveConstant: Double = 0) {
        self.sense = sense
        self.variables = []
        self.constraints = []
        self.objectiveConstant = objectiveConstant
    }

    /// Appends a variable and returns its index.
    @discardableResult
    public mutating func addVariable(lower: Double = 0, upper: Double = .infinity, objective: Double = 0,
                                     isInteger: Bool = false, name: String? = nil) -> Int {
        variables.append(Variable(lower: lower, upper: upper, objective: objective, isInteger: isInteger, name: name))
        return variables.count - 1
    }

    /// Appends a binary variable (integer in [0, 1]) and returns its index.
    @discardableResult
    public mutating func addBinaryVariable(objective: Double = 0, name: String? = nil) -> Int {
        addVariable(lower: 0, upper: 1, objective: objective, isInteger: true, name: name)
    }

    /// Appends the row `lower <= Σ coefficient · x_variable <= upper` and returns its index.
    @discardableResult
    public mutating func addConstraint(_ terms: [(variable: Int, coefficient: Double)],
                                       lower: Double = -.infinity, upper: Double = .infinity,
                                       name: String? = nil) -> Int {
        let row = terms.map { Term(variable: $0.variable, coefficient: $0.coefficient) }
        constraints.append(Constraint(terms: row, lower: lower, upper: upper, name: name))
        return constraints.count - 1
    }

    /// Appends the equality row `Σ coefficient · x_variable == value` and returns its index.
    @discardableResult
    public mutating func addConstraint(_ terms: [(variable: Int, coefficient: Double)], equals value: Double,
                                       name: String? = nil) -> Int {
        addConstraint(terms, lower: value, upper: value, name: name)
    }

    /// The objective value of `values` (one per variable), including `objectiveConstant`.
    public func objectiveValue(at values: [Double]) -> Double {
        var sum = objectiveConstant
        for (variable, value) in zip(variables, values) { sum += variable.objective * value }
        return sum
    }

    /// The largest amount by which `values` violates a variable bound or a constraint row
    /// (0 when feasible), ignoring integrality. Terms naming a missing variable count as 0.
    public func maximumViolation(at values: [Double]) -> Double {
        var worst = 0.0
        for (variable, value) in zip(variables, values) {
            worst = max(worst, variable.lower - value, value - variable.upper)
        }
        for row in constraints {
            var activity = 0.0
            for term in row.terms where values.indices.contains(term.variable) {
                activity += term.coefficient * values[term.variable]
            }
            worst = max(worst, row.lower - activity, activity - row.upper)
        }
        return worst
    }
}
