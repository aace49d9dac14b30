import LinearAlgebra
import NNGraph
import Testing
import TestSupport
import VNNLib
@testable import Bounds

/// Intermediate bounds that keep a parent's bounds up to a value, with a separate limit per domain
/// (what the activation split does for children split at different layers).
@Suite struct ReuseBoundsTests {
    /// Three sub-boxes of a parent box, each with its own reuse limit, bounded in one batch: every row
    /// equals that row bounded alone with its limit, and every sample of its box lies inside.
    @Test func perRowReuseMatchesRowByRowAndIsSound() {
        var rng = SeededGenerator(seed: 91)
        for _ in 0..<12 {
            let n = Int.random(in: 2...4, using: &rng)
            let network = RandomNetworks.mlp([n, 6, 6, 6, 2], using: &rng)
            let crown = CROWN(network: network, tryRelaxationVariants: false)
            let parent = RandomNetworks.box(n, maxWidth: 1.5, using: &rng)
            let parentBounds = crown.intermediateBounds(input: parent.intervalBatch)
            let values = crown.boundedValues
            // Children: the parent's box cut in a random dimension.
            var children = [InputBox]()
            for _ in 0..<3 {
                var lo = parent.lower, hi = parent.upper
                let j = Int.random(in: 0..<n, using: &rng)
                let t = rng.uniform(0.2, 0.8)
                if Bool.random(using: &rng) { hi[j] = lo[j] + t * (hi[j] - lo[j]) } else { lo[j] = lo[j] + t * (hi[j] - lo[j]) }
                children.append(InputBox(lower: lo, upper: hi))
            }
            let limits: [ValueID] = [-1, values[values.count / 2], values.last!]
            let input = IntervalMatrix(lower: Matrix(rowVectors: children.map(\.lower)),
                                       upper: Matrix(rowVectors: children.map(\.upper)))
            let known = parentBounds.mapValues { $0.selectingRows([0, 0, 0]) }
            let batched = crown.intermediateBounds(input: input, known: known, reuseThroughPerRow: limits)
            for (r, child) in children.enumerated() {
                let alone = crown.intermediateBounds(input: child.intervalBatch, known: parentBounds, reuseThrough: limits[r])
                let samples = RandomNetworks.samples(of: child, count: 500, using: &rng)
                let all = network.evaluateAll(samples)
                for v in values {
                    let b = batched[v]!, a = alone[v]!
                    for j in 0..<b.cols {
                        let (l, u) = (b.lower[r, j], b.upper[r, j])
                        #expect(abs(l - a.lower[0, j]) <= 1e-9 * (1 + abs(l)), "value \(v) neuron \(j) row \(r)")
                        #expect(abs(u - a.upper[0, j]) <= 1e-9 * (1 + abs(u)), "value \(v) neuron \(j) row \(r)")
                        // Reused rows keep the parent's bounds (intersected with interval bounds).
                        if v <= limits[r] {
                            #expect(l >= parentBounds[v]!.lower[0, j] && u <= parentBounds[v]!.upper[0, j])
                        }
                        for s in 0..<samples.rows {
                            let z = all[v][s, j]
                            #expect(z >= l - 1e-9 && z <= u + 1e-9, "value \(v) neuron \(j): \(z) outside [\(l), \(u)]")
                        }
                    }
                }
            }
        }
    }
}
