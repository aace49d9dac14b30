/// Weak duality, used to report proven bounds when time runs out and to check GLPK's optima.
///
/// For any row multipliers `y`, with reduced costs `d = c - Aᵀy`, every feasible `x` satisfies
/// `cᵀx = yᵀ(Ax) + dᵀx`, so the optimum is bounded by optimising `yᵀr + dᵀx` separately over the row
/// bounds (`r`) and the variable bounds (`x`): from below when minimising, from above when maximising.
/// Everything is recomputed here from the program itself, not taken from GLPK's bookkeeping.
extension LinearProgram {
    /// The Lagrangian bound for `multipliers` (one per constraint), including the objective constant, or
    /// nil when it is infinite: some multiplier or reduced cost pushes towards an infinite bound.
    func lagrangianBound(multipliers: [Double]) -> Double? {
        let minimise = sense == .minimise
        let reduced = reducedCosts(multipliers: multipliers).value
        var bound = objectiveConstant
        for (row, y) in zip(constraints, multipliers) where y != 0 {
            // Minimising: the least y·r over lower <= r <= upper; maximising: the greatest.
            let r = (y > 0) == minimise ? row.lower : row.upper
            guard r.isFinite else { return nil }
            bound += y * r
        }
        for (j, d) in reduced.enumerated() where d != 0 {
            let x = (d > 0) == minimise ? variables[j].lower : variables[j].upper
            guard x.isFinite else { return nil }
            bound += d * x
        }
        return bound.isFinite ? bound : nil
    }

    /// `d = c - Aᵀy`, and for each entry the sum of the magnitudes it was computed from.
    func reducedCosts(multipliers: [Double]) -> ReducedCosts {
        var value = variables.map(\.objective)
        var scale = variables.map { abs($0.objective) }
        // Unchecked buffers: this runs for every LP bound, over every coefficient of the program.
        value.withUnsafeMutableBufferPointer { value in
            scale.withUnsafeMutableBufferPointer { scale in
                for (row, y) in zip(constraints, multipliers) where y != 0 {
                    row.terms.withUnsafeBufferPointer { terms in
                        for term in terms {
                            let product = y * term.coefficient
                            value[term.variable] -= product
                            scale[term.variable] += abs(product)
                        }
                    }
                }
            }
        }
        return ReducedCosts(multipliers: multipliers, value: value, scale: scale)
    }
}

/// The reduced costs `d = c − Aᵀy` of one program for one set of row multipliers `y`, and for each entry the sum
/// of the magnitudes it was computed from (``LinearProgram/reducedCosts(multipliers:)``). Valid only for the
/// program (objective and rows) they were computed from.
struct ReducedCosts {
    /// The multipliers `y`.
    let multipliers: [Double]
    /// `d`, one per variable.
    let value: [Double]
    /// `|c_j| + Σ_i |y_i·a_ij|`, one per variable.
    let scale: [Double]
}

/// Where the simplex left a variable (a column, or a row's activity): in the basis or at a bound.
enum BasisStatus {
    case basic, atLower, atUpper, free, fixed
}

extension LinearProgram {
    /// Whether an optimum claimed by GLPK passes a dual-feasibility check of its own: for every
    /// non-basic column (row), the reduced cost (multiplier) must have the sign its bound requires.
    ///
    /// GLPK judges signs relative to the largest objective coefficient, so with coefficients spanning
    /// ~1e10 it may leave a small cost pointing away from its bound, even towards an infinite one (the
    /// LP is then unbounded, not optimal). Here a wrong sign counts as noise only below 1e-9 of the
    /// magnitudes it came from; otherwise, towards an infinite bound it fails the check, and towards a
    /// finite one it may cost at most |d|·(upper − lower), which must sum to within 1e-6 of the objective's scale.
    /// `reduced`: the reduced costs for `multipliers` if already computed (used only when its multipliers are these).
    func confirmsOptimum(objective: Double, values: [Double], multipliers: [Double],
                         columnStatus: [BasisStatus], rowStatus: [BasisStatus], reduced given: ReducedCosts? = nil) -> Bool {
        let sign: Double = sense == .minimise ? 1 : -1
        let costs = given.flatMap { $0.multipliers == multipliers ? $0 : nil } ?? reducedCosts(multipliers: multipliers)
        let (reduced, reducedScale) = (costs.value, costs.scale)
        let largestCost = variables.map { abs($0.objective) }.max() ?? 0
        var possibleLoss = 0.0
        /// False when `cost` points the wrong way beyond noise and nothing bounds the loss.
        func check(cost: Double, noise: Double, status: BasisStatus, lower: Double, upper: Double) -> Bool {
            let wrong: Double
            switch status {
            case .basic, .fixed: return true
            case .atLower: wrong = max(0, -sign * cost)
            case .atUpper: wrong = max(0, sign * cost)
            case .free: wrong = abs(cost)
            }
            if wrong <= noise { return true }
            guard lower.isFinite && upper.isFinite else { return false }
            possibleLoss += wrong * (upper - lower)
            return true
        }
        for (j, variable) in variables.enumerated() {
            guard check(cost: reduced[j], noise: 1e-9 * (1 + reducedScale[j]), status: columnStatus[j],
                        lower: variable.lower, upper: variable.upper) else { return false }
        }
        for (i, row) in constraints.enumerated() {
            guard check(cost: multipliers[i], noise: 1e-9 * (1 + largestCost), status: rowStatus[i],
                        lower: row.lower, upper: row.upper) else { return false }
        }
        var scale = 1 + abs(objective) + abs(objectiveConstant)
        for (variable, x) in zip(variables, values) { scale += abs(variable.objective * x) }
        return possibleLoss <= 1e-6 * scale
    }
}
