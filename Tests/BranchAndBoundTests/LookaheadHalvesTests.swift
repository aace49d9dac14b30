import Foundation
import LinearAlgebra
import NNGraph
import Testing
import TestSupport
import VNNLib
@testable import BranchAndBound

/// The lookahead's bounds of the two halves it chooses (``InputSplitOptions/lookaheadHalves``), which the search
/// keeps: a half they refute is never searched, and the other starts from the half's own intermediate bounds.
/// Checked on sampled points of each half, and by verdicts against the exact MILP with the option on and off.
@Suite struct LookaheadHalvesTests {
    /// A random network and a case whose threshold lies inside the sampled range of `y0 − y1`, so that the
    /// whole box is usually left open and split.
    func instance(inputs: Int, box: InputBox, using rng: inout SeededGenerator) -> (Network, SpecCase) {
        let net = RandomNetworks.mlp([inputs, 8, 8, 2], using: &rng)
        let y = net.evaluate(RandomNetworks.samples(of: box, count: 100, using: &rng))
        let diffs = (0..<y.rows).map { y[$0, 0] - y[$0, 1] }
        let t = diffs.min()! + (diffs.max()! - diffs.min()!) * rng.uniform(-0.3, 0.2)
        // Unsafe set: y0 − y1 <= t.
        return (net, SpecCase(box: box, disjuncts: [[LinearConstraint(coefficients: [1, -1], constant: -t)]]))
    }

    /// Searches each case as `run` does, up to 24 boxes, and checks every pair of halves the lookahead keeps
    /// against 200 sampled points of each half (the half's clipped box cut at the midpoint).
    @Test(arguments: BoxShape.allCases)
    func halvesBoundsHoldSampledPoints(shape: BoxShape) throws {
        var refuted = 0, open = 0
        for seed in UInt64(0)..<12 {
            var rng = SeededGenerator(seed: 5100 + seed)
            let inputs = 2 + Int(seed % 4)
            let (net, specCase) = instance(inputs: inputs, box: shape.box(inputs, using: &rng), using: &rng)
            var options = InputSplitOptions()
            options.exactLeafUnstable = 0
            options.minimumWidth = 0  // tiny boxes are split too
            let search = InputSplitBranchAndBound(network: net, options: options)
            let objective = SpecObjective(specCase, outputCount: net.outputSize)
            var queue = [InputSplitBranchAndBound.Domain(lower: specCase.box.lower, upper: specCase.box.upper, open: [0], known: [])]
            var bounded = 0
            while let domain = queue.first, bounded < 24 {
                queue.removeFirst()
                bounded += 1
                let result = try #require(search.bound([domain][...], objective: objective, deadline: .distantFuture).first)
                guard !result.open.isEmpty, let split = result.splitDimension else { continue }  // decided
                let halves = try #require(result.halves, "\(shape) seed \(seed): the lookahead kept no halves")
                #expect(halves.dimension == split)
                let mid = 0.5 * (result.clippedLower[split] + result.clippedUpper[split])
                for (side, half) in [(0, halves.left), (1, halves.right)] {
                    var lo = result.clippedLower, hi = result.clippedUpper
                    if side == 0 { hi[split] = mid } else { lo[split] = mid }
                    let values = net.evaluateAll(RandomNetworks.samples(of: InputBox(lower: lo, upper: hi), count: 200, using: &rng))
                    let margins = objective.margins(values[net.output])
                    if half.open.isEmpty {
                        refuted += 1
                        #expect(margins.allSatisfy { $0 > 0 }, "\(shape) seed \(seed): a refuted half holds a violation")
                    } else {
                        open += 1
                        for m in margins {
                            #expect(m >= half.bound - 1e-9 * (1 + abs(m)), "\(shape) seed \(seed): margin \(m) below the half's bound \(half.bound)")
                        }
                        queue.append(InputSplitBranchAndBound.Domain(lower: lo, upper: hi, open: half.open, known: half.known))
                    }
                    // The half's intermediate bounds (its search's known bounds) hold every sampled value.
                    #expect(half.known.count == search.crown.boundedValues.count)
                    for (slot, v) in search.crown.boundedValues.enumerated() {
                        let n = net.size(of: v), known = half.known[slot]
                        for r in 0..<values[v].rows {
                            for j in 0..<n {
                                let x = values[v][r, j], slack = 1e-9 * (1 + abs(x))
                                #expect(known[j] - slack <= x && x <= known[n + j] + slack,
                                        "\(shape) seed \(seed) value \(v)[\(j)]: \(x) outside [\(known[j]), \(known[n + j])]")
                            }
                        }
                    }
                }
            }
        }
        // Tiny boxes (widths up to 1e-9) leave margins too close together for a bound to refute a half.
        #expect(open > 0 && (refuted > 0 || shape == .tiny), "\(shape): both kinds of halves checked (\(open) open, \(refuted) refuted)")
    }

    /// Bounds alone (no exact leaves), with the halves kept and without: both agree with the exact MILP, and
    /// the halves the lookahead refutes are counted.
    @Test func verdictsMatchMILPWithAndWithoutKeptHalves() throws {
        var rng = SeededGenerator(seed: 4242)
        var refutedHalves = 0, sat = 0, unsat = 0
        for trial in 0..<40 {
            let inputs = Int.random(in: 2...5, using: &rng)
            let (net, specCase) = instance(inputs: inputs, box: RandomNetworks.box(inputs, maxWidth: 1.5, using: &rng), using: &rng)
            let exact = try ExactMILP.minimumMargin(net, specCase)
            if abs(exact) < 1e-5 { continue }  // too close to call for a floating-point reference
            for kept in [true, false] {
                var options = InputSplitOptions()
                options.exactLeafUnstable = 0
                options.lookaheadHalves = kept
                var stats = BranchAndBoundStatistics()
                let outcome = InputSplitBranchAndBound(network: net, options: options)
                    .run(specCase, deadline: Date().addingTimeInterval(20), statistics: &stats)
                let verdict = try MILPAgreement.check(outcome, exact: exact, network: net, specCase: specCase,
                                                      trial: "trial \(trial), halves kept: \(kept)")
                if kept {
                    refutedHalves += Int(stats.notes["halves refuted by the lookahead"] ?? "0") ?? 0
                    if verdict == .sat { sat += 1 } else if verdict == .unsat { unsat += 1 }
                } else {
                    #expect(stats.notes["halves refuted by the lookahead"] == nil)
                }
            }
        }
        #expect(sat >= 5 && unsat >= 5, "both verdicts exercised: \(sat) sat, \(unsat) unsat")
        #expect(refutedHalves > 0, "the lookahead refuted no half")
    }
}
