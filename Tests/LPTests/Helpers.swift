import LP
import Testing
import TestSupport

/// Expects `.optimal` with the given objective (and values, when given) up to `tolerance`.
func expectOptimal(_ solution: LPSolution, objective: Double, values: [Double]? = nil, tolerance: Double = 1e-9,
                   sourceLocation: SourceLocation = #_sourceLocation) {
    guard case .optimal(let got, let gotValues) = solution else {
        Issue.record("expected .optimal(\(objective)), got \(solution)", sourceLocation: sourceLocation)
        return
    }
    #expect(abs(got - objective) <= tolerance, "objective \(got), expected \(objective)", sourceLocation: sourceLocation)
    if let values {
        #expect(gotValues.count == values.count, sourceLocation: sourceLocation)
        for (g, v) in zip(gotValues, values) {
            #expect(abs(g - v) <= tolerance, "values \(gotValues), expected \(values)", sourceLocation: sourceLocation)
        }
    }
}

/// A random dense LP `min cᵀx, A x >= b, 0 <= x <= 10` with `c > 0`, `A > 0`, `0 < b <= cols/4`: bounded
/// below by 0, and feasible (at x = 10 each row's activity is about 5·cols). Its slack basis is dual
/// feasible, so the dual simplex works in its phase 2 from the start.
func randomCoveringLP(rows: Int, cols: Int, seed: UInt64) -> LinearProgram {
    var rng = SeededGenerator(seed: seed)
    var lp = LinearProgram(sense: .minimise)
    for _ in 0..<cols { lp.addVariable(lower: 0, upper: 10, objective: Double.random(in: 0.1...1, using: &rng)) }
    for _ in 0..<rows {
        let terms = (0..<cols).map { (variable: $0, coefficient: Double.random(in: 0.01...1, using: &rng)) }
        lp.addConstraint(terms, lower: Double.random(in: 1...Double(cols) / 4, using: &rng))
    }
    return lp
}

/// A random 0/1 knapsack `max Σ p_i x_i, Σ w_i x_i <= capacity` with integer weights and real profits.
func randomKnapsack(items: Int, seed: UInt64) -> (lp: LinearProgram, weights: [Double], profits: [Double], capacity: Double) {
    var rng = SeededGenerator(seed: seed)
    let weights = (0..<items).map { _ in Double(Int.random(in: 1...20, using: &rng)) }
    let profits = (0..<items).map { _ in Double.random(in: 0.5...30, using: &rng).rounded(toPlaces: 3) }
    let capacity = (weights.reduce(0, +) * Double.random(in: 0.2...0.8, using: &rng)).rounded(.down)
    var lp = LinearProgram(sense: .maximise)
    for p in profits { lp.addBinaryVariable(objective: p) }
    lp.addConstraint(weights.enumerated().map { (variable: $0.offset, coefficient: $0.element) }, upper: capacity)
    return (lp, weights, profits, capacity)
}

extension Double {
    func rounded(toPlaces places: Int) -> Double {
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        return (self * scale).rounded() / scale
    }
}
