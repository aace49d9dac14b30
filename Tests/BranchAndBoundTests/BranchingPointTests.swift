import Foundation
import LinearAlgebra
import NNGraph
import Testing
@testable import BranchAndBound

/// The branching-point tables and the BBPS score of smooth neurons (GenBaB): table points lie strictly
/// inside their interval and never leave more looseness than the midpoint on grid intervals; off the grid
/// the midpoint is used; BBPS credits a neuron only through its coefficients.
@Suite struct BranchingPointTests {
    /// One operator of each relaxation kind (S-shaped, convex, periodic, inflected, with a pole); each table
    /// takes seconds in a debug build.
    static let operators: [any ElementwiseActivation] = [Sigmoid(size: 1), Exp(size: 1), Sin(size: 1), Gelu(size: 1), Reciprocal(size: 1)]

    /// The area between the lines of `act` on `[l, u]` (as the table measures it).
    static func area(_ act: any ElementwiseActivation, _ l: Double, _ u: Double) -> Double {
        let r = act.relaxation(lower: l, upper: u)
        let gap = { (x: Double) in (r.upperSlope - r.lowerSlope) * x + r.upperIntercept - r.lowerIntercept }
        return 0.5 * (u - l) * (gap(l) + gap(u))
    }

    @Test(arguments: operators.map { $0.kind })
    func tablePointsAreInsideAndNoLooserThanTheMidpoint(kind: String) {
        let act = Self.operators.first { $0.kind == kind }!
        let table = BranchingPointTables.shared.table(for: act)
        let step = BranchingPointTable.step
        for i in stride(from: -40, to: 40, by: 3) {
            for j in stride(from: i + 1, through: 40, by: 5) {
                let l = Double(i) * step, u = Double(j) * step
                let p = table.point(l, u)
                #expect(p > l && p < u, "\(kind): point \(p) outside (\(l), \(u))")
                let mid = 0.5 * (l + u)
                let withTable = Self.area(act, l, p) + Self.area(act, p, u)
                let withMidpoint = Self.area(act, l, mid) + Self.area(act, mid, u)
                if withMidpoint.isFinite {
                    #expect(withTable <= withMidpoint * (1 + 1e-9) + 1e-12, "\(kind) on [\(l), \(u)]: \(withTable) > \(withMidpoint)")
                }
            }
        }
        // Off the grid (beyond its range, or narrower than a step): the midpoint.
        #expect(table.point(20, 30) == 25)
        #expect(table.point(-0.1, 0.05) == -0.025)
    }

    @Test func sShapedFunctionsSplitSymmetricIntervalsAtTheInflection() {
        let table = BranchingPointTables.shared.table(for: Sigmoid(size: 3))
        #expect(abs(table.point(-4, 4)) < 0.3)
        // One table per operator and constants, whatever the layer size.
        #expect(BranchingPointTables.shared.table(for: Sigmoid(size: 7)).fractions == table.fractions)
        #expect(BranchingPointTables.shared.table(for: SiLU(size: 1, scale: 2)).fractions
                != BranchingPointTables.shared.table(for: SiLU(size: 1)).fractions)
    }

    @Test func bbpsScoresFollowTheCoefficients() throws {
        let net = try Network(inputName: "x", inputShape: [2], outputName: "y", nodes: [
            Node(name: "a", op: Affine(weight: Matrix(rows: 3, cols: 2, data: [1, 0, 0, 1, 1, 1]), bias: [0, 0, 0]), inputs: [0], shape: [3]),
            Node(name: "s", op: Sigmoid(size: 3), inputs: [1], shape: [3]),
        ], output: 2)
        let search = ActivationSplitBranchAndBound(network: net)
        let lower = [-3.0, -3.0, 1.0], upper = [3.0, 3.0, 1.0 + 1e-9]
        let scores = search.smoothScores(Sigmoid(size: 3), lower: lower, upper: upper, at: [0.7, 0.7, 1], coefficients: [[2], [0], [2]])
        #expect(scores[0].score > 0.01, "a wide neuron with a coefficient gains: \(scores[0])")
        #expect(scores[1].score == 0, "no coefficient, no gain: \(scores[1])")
        #expect(scores[2].score < 1e-6, "a nearly fixed neuron gains nothing: \(scores[2])")
        #expect(scores[0].point > -3 && scores[0].point < 3)
    }
}
