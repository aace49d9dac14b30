#if canImport(Glibc)
import Glibc  // links libm, which `rounded(_:)` needs in optimised builds on Linux
#endif

/// Checks run before any GLPK call: GLPK aborts the whole process on invalid arguments, so every
/// argument it would reject (and every NaN it would silently accept) is turned into an `LPError` here.
extension LinearProgram {
    /// The largest magnitude accepted for a finite bound or coefficient. Measured with GLPK 5.0: bounds of
    /// ±1e18 already make the simplex return answers wrong by whole units (values near a bound cannot
    /// represent small offsets from it), and ±DBL_MAX makes GLPK abort; up to 1e15 answers stayed correct.
    public static let largestMagnitude = 1e15

    /// The smallest magnitude accepted for a nonzero constraint coefficient. GLPK's scaling aborts the
    /// process when a scale factor underflows to 0 (measured with coefficients of 1e-300 next to 1e15).
    public static let smallestCoefficient = 1e-30

    /// Throws the first problem found in the program; on return, the program is safe to hand to GLPK.
    func validate() throws {
        if variables.isEmpty { throw LPError.emptyProblem }
        let limit = Int(Int32.max) - 1
        if variables.count > limit { throw LPError.tooLarge(what: "variables", count: variables.count) }
        if constraints.count > limit { throw LPError.tooLarge(what: "constraints", count: constraints.count) }
        if !objectiveConstant.isFinite { throw LPError.invalidObjectiveConstant(objectiveConstant) }
        try Self.checkMagnitude(objectiveConstant, "objective constant")

        for (j, variable) in variables.enumerated() {
            if !Self.boundsAreValid(variable.lower, variable.upper) {
                throw LPError.invalidVariableBounds(variable: j, name: variable.name,
                                                    lower: variable.lower, upper: variable.upper)
            }
            if !variable.objective.isFinite {
                throw LPError.invalidObjectiveCoefficient(variable: j, name: variable.name, value: variable.objective)
            }
            try Self.checkMagnitude(variable.lower, "\(LPError.place("variable", j, variable.name)) lower bound")
            try Self.checkMagnitude(variable.upper, "\(LPError.place("variable", j, variable.name)) upper bound")
            try Self.checkMagnitude(variable.objective,
                                    "\(LPError.place("variable", j, variable.name)) objective coefficient")
        }

        var nonzeros = 0
        // Marks which variables the current row has used, tagged by row number (no clearing needed).
        var seenInRow = [Int](repeating: -1, count: variables.count)
        for (i, row) in constraints.enumerated() {
            if !Self.boundsAreValid(row.lower, row.upper) {
                throw LPError.invalidConstraintBounds(constraint: i, name: row.name, lower: row.lower, upper: row.upper)
            }
            try Self.checkMagnitude(row.lower, "\(LPError.place("constraint", i, row.name)) lower bound")
            try Self.checkMagnitude(row.upper, "\(LPError.place("constraint", i, row.name)) upper bound")
            for term in row.terms {
                guard term.variable >= 0 && term.variable < variables.count else {
                    throw LPError.variableOutOfRange(constraint: i, name: row.name, variable: term.variable,
                                                     variableCount: variables.count)
                }
                guard term.coefficient.isFinite else {
                    throw LPError.invalidCoefficient(constraint: i, name: row.name, variable: term.variable,
                                                     value: term.coefficient)
                }
                guard seenInRow[term.variable] != i else {
                    throw LPError.duplicateVariable(constraint: i, name: row.name, variable: term.variable)
                }
                seenInRow[term.variable] = i
                if abs(term.coefficient) > Self.largestMagnitude {
                    throw LPError.valueTooLarge(
                        location: "\(LPError.place("constraint", i, row.name)) coefficient of variable \(term.variable)",
                        value: term.coefficient)
                }
                if term.coefficient != 0 && abs(term.coefficient) < Self.smallestCoefficient {
                    throw LPError.coefficientTooSmall(constraint: i, name: row.name, variable: term.variable,
                                                      value: term.coefficient)
                }
                if term.coefficient != 0 { nonzeros += 1 }
            }
        }
        if nonzeros > limit { throw LPError.tooLarge(what: "nonzero coefficients", count: nonzeros) }
    }

    /// Throws `valueTooLarge` for a finite `value` beyond `largestMagnitude` (infinities are bounds' business).
    static func checkMagnitude(_ value: Double, _ location: @autoclosure () -> String) throws {
        if value.isFinite && abs(value) > largestMagnitude {
            throw LPError.valueTooLarge(location: location(), value: value)
        }
    }

    /// Bounds GLPK can represent: no NaN, `lower < +inf`, `upper > -inf`, `lower <= upper`.
    static func boundsAreValid(_ lower: Double, _ upper: Double) -> Bool {
        !lower.isNaN && !upper.isNaN && lower != .infinity && upper != -.infinity && lower <= upper
    }

    /// The time limit in whole milliseconds for GLPK (`Int32.max` when unlimited), or nil when the
    /// limit is already zero. Throws for NaN or negative limits.
    static func milliseconds(_ seconds: Double?) throws -> Int32? {
        guard let seconds else { return Int32.max }
        guard !seconds.isNaN && seconds >= 0 else { throw LPError.invalidTimeLimit(seconds) }
        if seconds == 0 { return nil }
        let ms = (seconds * 1000).rounded(.up)
        return ms >= Double(Int32.max) ? Int32.max : Int32(ms)
    }
}
