import Bounds
import LinearAlgebra
import LPBounds
import NNGraph
import Testing
import TestSupport
import VNNLib

/// MILP refinement of intermediate bounds by a branch-and-bound over ReLU phases (``PhaseSearch`` through
/// ``BoundRefinementOptions/phaseNodes``): sound on sampled points, never looser than the LP refinement, and,
/// searched to the end, equal to the exact MILP optimum of each neuron (TestSupport's independent `ExactMILP`).
@Suite struct PhaseSearchTests {
    /// The network cut at value `v`: its nodes up to the one that makes `v`, with `v` as output.
    func truncated(_ network: Network, at v: ValueID) throws -> Network {
        try Network(inputName: "x", inputShape: [network.inputSize], outputName: "v\(v)",
                    nodes: Array(network.nodes.prefix(v)), output: v)
    }

    /// Exact minimum of `sign · z_j` over the box, `z` the value `v` (its own program, ExactMILP's encoding).
    func exact(_ network: Network, _ v: ValueID, neuron j: Int, sign: Double, box: InputBox) throws -> Double {
        let cut = try truncated(network, at: v)
        var row = [Double](repeating: 0, count: network.size(of: v))
        row[j] = sign
        return try ExactMILP.minimumMargin(cut, SpecCase(box: box, disjuncts: [[LinearConstraint(coefficients: row, constant: 0)]]))
    }

    /// The search's rules, which only order it or change the simplex's path: branching by the dual-weighted distance
    /// (the default) or by the distance alone, each node's simplex from its parent's basis (the default) or from
    /// the last node's, and each side's root from the previous neuron's root basis of that side (the default) or from
    /// the last node's.
    enum Rule: CaseIterable {
        case dualFromParent, farthestFromParent, dualFromLast, rootsFromLast
        var dual: Bool { self != .farthestFromParent }
        var parentBasis: Bool { self != .dualFromLast }
        /// Each side's root from the previous neuron's root basis of that side (off: from the last node's basis).
        var sideBasis: Bool { self != .rootsFromLast }
    }

    @Test(arguments: BoxShape.allCases, Rule.allCases)
    func exhaustiveSearchEqualsTheExactMILPAndBoundsHoldSampledPoints(shape: BoxShape, rule: Rule) throws {
        var tighter = 0
        for seed in UInt64(0)..<6 {
            var rng = SeededGenerator(seed: 1700 + seed)
            let network = RandomNetworks.mlp([3, 6, 6, 5, 2], weightScale: 1.5, using: &rng)
            let box = shape.box(3, using: &rng)
            let crown = CROWN(network: network).intermediateBounds(input: box.intervalBatch)
            let refinement = try BoundRefinement(network: network)
            let lp = try refinement.refine(box: box, bounds: crown)
            var options = BoundRefinementOptions()
            options.phaseNodes = 1 << 16
            options.phaseDualBranching = rule.dual
            options.phaseParentBasis = rule.parentBasis
            options.phaseSideBasis = rule.sideBasis
            let milp = try refinement.refine(box: box, bounds: crown, options: options)
            #expect(milp.failures == 0 && !milp.isEmpty, "\(shape) seed \(seed)")
            // Every neuron the search refined: its bounds are the exact MILP's wherever the neuron is unstable
            // (a side stops once it shows the neuron stable: then only the sign is checked).
            for n in milp.neurons {
                for sign in [1.0, -1.0] {
                    let truth = try exact(network, n.value, neuron: n.neuron, sign: sign, box: box)
                    let found = sign > 0 ? n.lower : -n.upper
                    let tolerance = 1e-6 * (1 + abs(truth))
                    #expect(found <= truth + tolerance, "\(shape) seed \(seed) \(n.value)[\(n.neuron)] sign \(sign): \(found) above the exact \(truth)")
                    if truth < -tolerance {
                        #expect(found >= truth - tolerance, "\(shape) seed \(seed) \(n.value)[\(n.neuron)] sign \(sign): \(found) below the exact \(truth)")
                    } else {
                        #expect(found >= -tolerance, "\(shape) seed \(seed) \(n.value)[\(n.neuron)] sign \(sign): \(found), exact \(truth) >= 0")
                    }
                }
            }
            // Never looser than the LP refinement, and sound on sampled points.
            let sampled = Sampled(network, box: box, count: 200, using: &rng)
            for v in activationInputs(network) {
                let a = try #require(milp.bounds[v]), b = try #require(lp.bounds[v])
                for j in 0..<network.size(of: v) {
                    let scale = 1e-7 * (1 + abs(b.lower[0, j]) + abs(b.upper[0, j]))
                    #expect(a.lower[0, j] >= b.lower[0, j] - scale && a.upper[0, j] <= b.upper[0, j] + scale,
                            "\(shape) seed \(seed) \(v)[\(j)]: MILP [\(a.lower[0, j]), \(a.upper[0, j])] looser than LP [\(b.lower[0, j]), \(b.upper[0, j])]")
                    if a.lower[0, j] > b.lower[0, j] + scale || a.upper[0, j] < b.upper[0, j] - scale { tighter += 1 }
                    for r in 0..<sampled.count {
                        let x = sampled.values[v][r, j], slack = 1e-9 * (1 + abs(x))
                        #expect(a.lower[0, j] - slack <= x && x <= a.upper[0, j] + slack,
                                "\(shape) seed \(seed) \(v)[\(j)]: \(x) outside [\(a.lower[0, j]), \(a.upper[0, j])]")
                    }
                }
            }
        }
        // The search must do something: on ordinary boxes some bound is strictly tighter than the LP's.
        if shape == .ordinary { #expect(tighter > 0) }
    }

    @Test(arguments: BoxShape.allCases, Rule.allCases)
    func nodeLimitedSearchIsSoundOnDeeperNetworks(shape: BoxShape, rule: Rule) throws {
        for seed in UInt64(0)..<4 {
            var rng = SeededGenerator(seed: 1750 + seed)
            let network = RandomNetworks.mlp([4, 10, 10, 10, 8, 3], weightScale: 1.4, using: &rng)
            let box = shape.box(4, using: &rng)
            let crown = CROWN(network: network).intermediateBounds(input: box.intervalBatch)
            var options = BoundRefinementOptions(concurrency: 2)
            options.phaseNodes = 5
            options.phaseDualBranching = rule.dual
            options.phaseParentBasis = rule.parentBasis
            options.phaseSideBasis = rule.sideBasis
            let milp = try BoundRefinement(network: network).refine(box: box, bounds: crown, options: options)
            #expect(milp.failures == 0 && !milp.isEmpty, "\(shape) seed \(seed)")
            // Each side counts the LPs its search solved: at least one, at most the node limit.
            #expect(milp.solves >= milp.neurons.count && milp.solves <= 2 * 5 * milp.neurons.count, "\(shape) seed \(seed)")
            let sampled = Sampled(network, box: box, count: 300, using: &rng)
            for v in activationInputs(network) {
                let a = try #require(milp.bounds[v])
                for j in 0..<network.size(of: v) {
                    for r in 0..<sampled.count {
                        let x = sampled.values[v][r, j], slack = 1e-9 * (1 + abs(x))
                        #expect(a.lower[0, j] - slack <= x && x <= a.upper[0, j] + slack,
                                "\(shape) seed \(seed) \(v)[\(j)]: \(x) outside [\(a.lower[0, j]), \(a.upper[0, j])]")
                    }
                }
            }
        }
    }
}
