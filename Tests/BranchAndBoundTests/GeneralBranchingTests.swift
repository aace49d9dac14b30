import Foundation
import LinearAlgebra
import NNGraph
import Testing
import TestSupport
import VNNLib
@testable import BranchAndBound

/// Branch-and-bound on general neurons (smooth activations and products) against dense gridding on
/// seeded 1–3-input networks mixing sigmoid, tanh, sine, cosine, softplus, exp, erf, softsign, GELU,
/// SiLU, ReLU and products: a violation found
/// on the grid must never meet `verified`, every counterexample must validate, and branching must
/// decide cases the root bound alone does not.
@Suite struct GeneralBranchingTests {
    static func network(inputs n: Int, rng: inout SeededGenerator) -> Network {
        var nodes = [Node]()
        func add(_ op: any Operator, _ inputs: [ValueID]) -> ValueID {
            nodes.append(Node(name: "n\(nodes.count)", op: op, inputs: inputs, shape: [op.outputSize]))
            return nodes.count
        }
        func dense(_ rows: Int, _ cols: Int, _ scale: Double) -> Affine {
            let s = scale / Double(cols).squareRoot()
            return Affine(weight: Matrix(rows: rows, cols: cols, data: (0..<(rows * cols)).map { _ in rng.uniform(-s, s) }),
                          bias: (0..<rows).map { _ in rng.uniform(-0.5, 0.5) })
        }
        let w = 5
        let smooth: [any ElementwiseActivation] = [
            Sigmoid(size: w), Tanh(size: w), Sin(size: w), Softplus(size: w), Exp(size: w), Gelu(size: w), SiLU(size: w),
            Erf(size: w), Cos(size: w), Softsign(size: w), GeluTanh(size: w),
        ]
        let first = add(smooth[Int.random(in: 0..<smooth.count, using: &rng)], [add(dense(w, n, 2.5), [0])])
        let seconds: [any ElementwiseActivation] = [Tanh(size: w), Sigmoid(size: w), ReLU(size: w)]
        let second = add(seconds[Int.random(in: 0..<seconds.count, using: &rng)], [add(dense(w, n, 2.5), [0])])
        let product = add(Product(size: w), [first, second])
        let mixed = add(LinearCombination(weights: [1, 0.5], size: w), [product, first])
        let y = add(dense(2, w, 1.5), [mixed])
        return try! Network(inputName: "x", inputShape: [n], outputName: "y", nodes: nodes, output: y)
    }

    /// The minimum of `y0 − y1` over a dense grid of the box, and where.
    static func gridMinimum(_ net: Network, _ box: InputBox) -> (value: Double, at: [Double]) {
        let n = box.lower.count
        let steps = n == 1 ? 4000 : n == 2 ? 200 : 40
        var points = [[Double]]()
        func walk(_ prefix: [Double]) {
            if prefix.count == n { points.append(prefix); return }
            let d = prefix.count
            for k in 0...steps { walk(prefix + [box.lower[d] + (box.upper[d] - box.lower[d]) * Double(k) / Double(steps)]) }
        }
        walk([])
        let y = net.evaluate(Matrix(rows: points.count, cols: n, data: points.flatMap { $0 }))
        var best = (Double.infinity, [Double]())
        for r in 0..<y.rows where y[r, 0] - y[r, 1] < best.0 { best = (y[r, 0] - y[r, 1], points[r]) }
        return best
    }

    /// The default search on 200 networks, and the ablated scores and points on 40 each.
    @Test(arguments: [(GeneralBranchScore.bbps, BranchingPointChoice.table, 200), (.gap, .midpoint, 40), (.bbps, .midpoint, 40)])
    func verdictsAgreeWithGridding(score: GeneralBranchScore, points: BranchingPointChoice, trials: Int) throws {
        var rng = SeededGenerator(seed: 5150)
        var verified = 0, counterexamples = 0, gridViolations = 0, branched = 0
        for trial in 0..<trials {
            let n = [1, 2, 2, 3][trial % 4]
            let net = Self.network(inputs: n, rng: &rng)
            let box = RandomNetworks.box(n, maxWidth: 1.2, using: &rng)
            let grid = Self.gridMinimum(net, box)
            // Unsafe: y0 − y1 <= t, t near the grid minimum on either side.
            let t = grid.value + rng.uniform(-0.15, 0.05)
            let specCase = SpecCase(box: box, disjuncts: [[LinearConstraint(coefficients: [1, -1], constant: -t)]])
            let violatedOnGrid = grid.value < t - 1e-9
            if violatedOnGrid { gridViolations += 1 }
            var options = ActivationSplitOptions()
            options.generalNeurons = true
            options.generalScore = score
            options.branchingPoints = points
            options.leafAttackDomains = trial % 2
            options.maxDomains = 200  // a domain budget, not a deadline, ends open cases: counts do not depend on speed
            var stats = BranchAndBoundStatistics()
            let outcome = ActivationSplitBranchAndBound(network: net, options: options)
                .run(specCase, deadline: Date().addingTimeInterval(60), statistics: &stats)
            switch outcome {
            case .verified:
                #expect(!violatedOnGrid, "trial \(trial): verified, but the grid violates it at \(grid.at) (margin \(grid.value - t))")
                verified += 1
                if stats.domainsBounded > 1 { branched += 1 }
            case .counterexample(let x):
                let y = try net.evaluate(x)
                #expect(box.contains(x) && y[0] - y[1] <= t, "trial \(trial): counterexample does not violate")
                counterexamples += 1
            case .unknown, .timeout:
                break
            }
        }
        #expect(verified >= trials / 8 && counterexamples >= trials / 8, "\(verified) verified, \(counterexamples) counterexamples, \(gridViolations) grid violations")
        print("general branching (\(score), \(points)): \(verified) verified (\(branched) by branching), \(counterexamples) counterexamples, \(gridViolations) grid violations")
        #expect(branched >= trials / 30, "branching on general neurons decided \(branched) cases")
    }
}
