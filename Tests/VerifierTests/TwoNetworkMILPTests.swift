import LinearAlgebra
import NNGraph
import Testing
import TestSupport
import VNNLib
@testable import Verifier

/// Two-network properties against an exact MILP over the joint input with the input couplings as
/// rows: ε-equivalence of a network and its pruned copy, and monotonicity of one network in one input.
@Suite struct TwoNetworkMILPTests {
    /// `network` with every Affine weight of magnitude below `threshold` set to zero.
    static func pruned(_ network: Network, below threshold: Double) throws -> Network {
        let nodes = network.nodes.map { node -> Node in
            guard let a = node.op as? Affine else { return node }
            var w = a.weight
            for k in w.data.indices where abs(w.data[k]) < threshold { w.data[k] = 0 }
            return Node(name: node.name, op: Affine(weight: w, bias: a.bias), inputs: node.inputs, shape: node.shape)
        }
        return try Network(inputName: network.inputName, inputShape: network.inputShape, outputName: network.outputName,
                           nodes: nodes, output: network.output)
    }

    /// `x_a - x_b <= 0` over `n` joint inputs (plus a constant).
    static func row(_ n: Int, _ terms: [(Int, Double)], _ constant: Double = 0) -> LinearConstraint {
        var c = [Double](repeating: 0, count: n)
        for (i, v) in terms { c[i] += v }
        return LinearConstraint(coefficients: c, constant: constant)
    }

    /// Runs the verifier and compares with the exact minimum margin; returns 1 when decided.
    static func compare(_ network: Network, _ spec: Specification, _ label: String) throws -> Int {
        let exact = try ExactMILP.minimumMargin(network, spec.cases[0])
        guard abs(exact) > 1e-6 else { return 0 }
        var verifier = Verifier()
        verifier.options.timeout = 20
        let result = verifier.verify(problem: VerificationProblem(network: network, specification: spec))
        switch result.verdict {
        case .sat:
            #expect(exact <= 0, "\(label): sat but the exact minimum margin is \(exact)")
            let w = try #require(result.witness)
            #expect(validateCounterexample(w.input, network: network, specification: spec) != nil, "\(label): witness")
            return 1
        case .unsat:
            #expect(exact > 0, "\(label): unsat but the exact minimum margin is \(exact)")
            return 1
        default:
            return 0
        }
    }

    @Test func epsilonEquivalenceOfAPrunedCopyAgreesWithTheMILP() throws {
        var decided = 0, verdicts = Set<Bool>()
        for seed in UInt64(1)...16 {
            var rng = SeededGenerator(seed: seed)
            let f = RandomNetworks.mlp([3, 8, 8, 2], using: &rng)
            let g = try Self.pruned(f, below: 0.15)
            let product = try Network.product([f, g])
            let box = RandomNetworks.box(3, maxWidth: 1, using: &rng)
            let joint = InputBox(lower: box.lower + box.lower, upper: box.upper + box.upper)
            let ties = (0..<3).flatMap { [Self.row(6, [($0, 1), ($0 + 3, -1)]), Self.row(6, [($0, -1), ($0 + 3, 1)])] }
            // Sampled largest |f0 - g0|, scaled, as ε: |f0 - g0| > ε is the violation.
            let x = RandomNetworks.samples(of: box, count: 200, using: &rng)
            let (yf, yg) = (f.evaluate(x), g.evaluate(x))
            let spread = (0..<x.rows).map { abs(yf[$0, 0] - yg[$0, 0]) }.max()!
            let eps = spread * rng.uniform(0.6, 1.6)
            let spec = Specification(inputCount: 6, outputCount: 4, cases: [SpecCase(box: joint, disjuncts: [
                [Self.row(4, [(0, -1), (2, 1)], eps)],  // f0 - g0 >= ε
                [Self.row(4, [(0, 1), (2, -1)], eps)],  // g0 - f0 >= ε
            ], inputConstraints: ties)])
            let d = try Self.compare(product, spec, "seed \(seed)")
            decided += d
            if d == 1 { verdicts.insert(try ExactMILP.minimumMargin(product, spec.cases[0]) > 0) }
        }
        #expect(decided >= 12 && verdicts.count == 2, "decided \(decided), verdicts \(verdicts)")
    }

    @Test func monotonicityInOneInputAgreesWithTheMILP() throws {
        var decided = 0
        for seed in UInt64(1)...16 {
            var rng = SeededGenerator(seed: seed)
            let f = RandomNetworks.mlp([3, 6, 6, 1], using: &rng)
            let product = try Network.product([f, f])
            let box = RandomNetworks.box(3, maxWidth: 0.8, using: &rng)
            let joint = InputBox(lower: box.lower + box.lower, upper: box.upper + box.upper)
            // x_g[0] >= x_f[0] + δ, other inputs tied; violated when y_g < y_f - margin.
            let delta = rng.uniform(0, 0.2), margin = rng.uniform(-0.05, 0.1)
            var constraints = [Self.row(6, [(0, 1), (3, -1)], delta)]
            for i in 1..<3 { constraints += [Self.row(6, [(i, 1), (i + 3, -1)]), Self.row(6, [(i, -1), (i + 3, 1)])] }
            let spec = Specification(inputCount: 6, outputCount: 2, cases: [SpecCase(
                box: joint, disjuncts: [[Self.row(2, [(1, 1), (0, -1)], margin)]], inputConstraints: constraints)])
            decided += try Self.compare(product, spec, "seed \(seed)")
        }
        #expect(decided >= 8, "decided \(decided)")
    }
}
