import Attacks
import LinearAlgebra
import Testing
import TestSupport
import VNNLib
@testable import BranchAndBound

/// ``SpecObjective/margins(_:)`` (all residuals in one matrix product) equals the case's own margin, point by
/// point, on random disjunctions of random constraints, empty disjuncts included.
@Suite struct SpecObjectiveMarginTests {
    @Test func marginsEqualTheCaseMarginOfEveryPoint() {
        var rng = SeededGenerator(seed: 11)
        for trial in 0..<20 {
            let outputs = Int.random(in: 1...9, using: &rng)
            let disjuncts = (0..<Int.random(in: 1...6, using: &rng)).map { _ in
                (0..<Int.random(in: trial % 5 == 0 ? 0...3 : 1...3, using: &rng)).map { _ in
                    LinearConstraint(coefficients: (0..<outputs).map { _ in rng.uniform(-2, 2) }, constant: rng.uniform(-1, 1))
                }
            }
            let specCase = SpecCase(box: InputBox(lower: [0], upper: [1]), disjuncts: disjuncts)
            let objective = SpecObjective(specCase, outputCount: outputs)
            let y = Matrix(rows: 12, cols: outputs, data: (0..<(12 * outputs)).map { _ in rng.uniform(-3, 3) })
            let margins = objective.margins(y)
            for i in 0..<y.rows {
                let exact = specCase.margin(y.row(i))
                #expect(exact == margins[i] || abs(exact - margins[i]) <= 1e-12 * (1 + abs(exact)), "trial \(trial), point \(i)")
            }
        }
    }
}
