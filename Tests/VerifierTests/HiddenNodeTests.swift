import Bounds
import LinearAlgebra
import NNGraph
import Testing
import TestSupport
import VNNLib
@testable import Verifier

/// Hidden-node constraints (VNN-LIB 2.0 `declare-hidden`): exposed hidden values, the clamps that
/// carry their bounds into every bound method (``HiddenClamps``), verdicts against an exact MILP.
@Suite struct HiddenNodeTests {
    /// A random ReLU network with its first pre-activation layer exposed after the output, and a
    /// specification over `[outputs, hidden]`: hidden bounds on two neurons and one output row.
    static func instance(seed: UInt64) throws -> (network: Network, spec: Specification, hiddenBase: Int) {
        var rng = SeededGenerator(seed: seed)
        let base = RandomNetworks.mlp([3, 6, 5, 2], using: &rng)
        let network = try Network.product([base], exposing: [[1]])  // value 1: the first Affine (fc1)
        let outputs = 2, hidden = 6, count = outputs + hidden
        let box = RandomNetworks.box(3, maxWidth: 1.2, using: &rng)
        func row(_ j: Int, _ c: Double, _ d: Double) -> LinearConstraint {
            var coefficients = [Double](repeating: 0, count: count)
            coefficients[j] = c
            return LinearConstraint(coefficients: coefficients, constant: d)
        }
        // Hidden neuron j >= t (row -h + t <= 0) and neuron k <= t' (row h - t' <= 0), with the
        // thresholds a little below and above the values at one sample, which is then feasible.
        let samples = RandomNetworks.samples(of: box, count: 200, using: &rng)
        let y = network.evaluate(samples)
        let j = Int(rng.uniform(0, 5.99)), k = (j + 1 + Int(rng.uniform(0, 4.99))) % hidden
        let column = { (c: Int) in (0..<y.rows).map { y[$0, c] }.sorted() }
        let hj = column(outputs + j), hk = column(outputs + k), margin = column(0).indices.map { y[$0, 0] - y[$0, 1] }.sorted()
        let r0 = Int(rng.uniform(0, Double(y.rows) - 0.01))
        let t = y[r0, outputs + j] - rng.uniform(0, 0.3) * (hj.last! - hj.first!)
        let tk = y[r0, outputs + k] + rng.uniform(0, 0.3) * (hk.last! - hk.first!)
        let d = margin[Int(rng.uniform(100, 199))]
        var outputRow = [Double](repeating: 0, count: count)
        outputRow[0] = -1; outputRow[1] = 1  // y1 - y0 + d <= 0: y0 - y1 >= d
        let clause = [row(outputs + j, -1, t), row(outputs + k, 1, -tk), LinearConstraint(coefficients: outputRow, constant: d)]
        let spec = Specification(inputCount: 3, outputCount: count, cases: [SpecCase(box: box, disjuncts: [clause])])
        return (network, spec, outputs)
    }

    @Test func clampedNetworkEqualsTheProductWhereTheHiddenConstraintsHold() throws {
        for seed in UInt64(1)...20 {
            let (network, spec, hiddenBase) = try Self.instance(seed: seed)
            let clamped = try #require(HiddenClamps.network(network, specification: spec, hiddenBase: hiddenBase))
            #expect(clamped.nodes.count > network.nodes.count, "seed \(seed): clamps inserted")
            var rng = SeededGenerator(seed: seed + 100)
            let box = spec.cases[0].box
            let x = RandomNetworks.samples(of: box, count: 400, using: &rng)
            let (plain, cut) = (network.evaluate(x), clamped.evaluate(x))
            let hiddenRows = spec.cases[0].disjuncts[0].prefix(2)
            // Bounds of the clamped network over the box (IBP and CROWN) hold at every feasible sample.
            let crown = CROWN(network: clamped)
            let input = IntervalMatrix(lower: Matrix(rows: 1, cols: 3, data: box.lower), upper: Matrix(rows: 1, cols: 3, data: box.upper))
            let intermediate = crown.intermediateBounds(input: input)
            let m = clamped.outputSize
            let identity = Matrix(rows: 2 * m, cols: m, data: (0..<(2 * m * m)).map { i in
                let (r, c) = (i / m, i % m)
                return r < m ? (r == c ? 1 : 0) : (r - m == c ? -1 : 0)
            })
            let bound = crown.lowerBound(of: clamped.output, objective: identity, constant: [Double](repeating: 0, count: 2 * m),
                                         input: input, bounds: intermediate)
            let ibp = intervalBounds(clamped, input: input)[clamped.output]
            var feasible = 0
            for r in 0..<x.rows {
                let y = (0..<plain.cols).map { plain[r, $0] }
                guard hiddenRows.allSatisfy({ $0.holds(y) }) else { continue }
                feasible += 1
                for c in 0..<plain.cols {
                    #expect(abs(plain[r, c] - cut[r, c]) <= 1e-12 * max(1, abs(plain[r, c])), "seed \(seed): sample \(r) output \(c)")
                    #expect(bound.lower[0, c] <= y[c] + 1e-9 && y[c] <= -bound.lower[0, m + c] + 1e-9, "seed \(seed): CROWN bound of \(c)")
                    #expect(ibp.lower[0, c] <= y[c] + 1e-9 && y[c] <= ibp.upper[0, c] + 1e-9, "seed \(seed): IBP bound of \(c)")
                }
            }
            #expect(feasible > 0, "seed \(seed): some sample satisfies the hidden constraints")
        }
    }

    @Test func verdictsAgreeWithAnExactMILPOnTheUnclampedProduct() throws {
        var decided = 0, unsat = 0
        for seed in UInt64(1)...24 {
            let (network, spec, hiddenBase) = try Self.instance(seed: seed)
            let exact = try ExactMILP.minimumMargin(network, spec.cases[0])
            guard abs(exact) > 1e-6 else { continue }  // a tie decides nothing
            let hiddenBounds = HiddenClamps.bounds(spec, hiddenBase: hiddenBase)
            #expect(hiddenBounds.lower.contains { $0.isFinite } && hiddenBounds.upper.contains { $0.isFinite })
            let query = Query(version: "2.0", networks: [NetworkDeclaration(
                name: "f", relation: nil,
                inputs: [TensorDeclaration(name: "X", elementType: "real", shape: [3], role: .input, onnxName: nil, offset: 0)],
                hidden: [TensorDeclaration(name: "H", elementType: "real", shape: [6], role: .hidden, onnxName: "fc1", offset: 0)],
                outputs: [TensorDeclaration(name: "Y", elementType: "real", shape: [2], role: .output, onnxName: nil, offset: 0)])],
                specification: spec)
            var verifier = Verifier()
            verifier.options.timeout = 20
            let result = verifier.verify(problem: VerificationProblem(network: network, specification: spec, query: query))
            switch result.verdict {
            case .sat:
                #expect(exact <= 0, "seed \(seed): sat but the exact minimum margin is \(exact)")
                let w = try #require(result.witness)
                #expect(validateCounterexample(w.input, network: network, specification: spec) != nil, "seed \(seed): witness")
                decided += 1
            case .unsat:
                #expect(exact > 0, "seed \(seed): unsat but the exact minimum margin is \(exact) (a violation exists)")
                decided += 1
                unsat += 1
            default:
                break
            }
        }
        #expect(decided >= 16 && unsat >= 3, "decided \(decided), unsat \(unsat)")
    }

    @Test func boundsOfHiddenElementsAreTheHullOverClauses() {
        // Clause 1: 2h0 - 1 <= 0 (h0 <= 0.5) and -h1 + 0.25 <= 0 (h1 >= 0.25); clause 2: h0 <= 2 only.
        func row(_ c: [Double], _ d: Double) -> LinearConstraint { LinearConstraint(coefficients: c, constant: d) }
        let box = InputBox(lower: [0], upper: [1])
        let spec = Specification(inputCount: 1, outputCount: 3, cases: [SpecCase(box: box, disjuncts: [
            [row([0, 2, 0], -1), row([0, 0, -1], 0.25), row([1, 0, 0], 0)],
            [row([0, 1, 0], -2)],
        ])])
        let (lower, upper) = HiddenClamps.bounds(spec, hiddenBase: 1)
        #expect(lower == [-.infinity, -.infinity], "clause 2 bounds h1 nowhere")
        #expect(upper[0] == 2 && upper[1] == .infinity)
        let single = Specification(inputCount: 1, outputCount: 3, cases: [SpecCase(box: box, disjuncts: [spec.cases[0].disjuncts[0]])])
        let (l1, u1) = HiddenClamps.bounds(single, hiddenBase: 1)
        #expect(l1 == [-.infinity, 0.25] && u1[1] == .infinity)
        #expect(u1[0] >= 0.5 && u1[0] == (0.5).nextUp, "a division rounds outward")
    }
}
