import Foundation
import LinearAlgebra
import NNGraph
import Testing
import TestSupport
@testable import Bounds

/// The backward pass's fast paths (issue 16) compute what the plain ones do: the branch-free activation
/// step gives the same coefficients as the branching one and constants equal up to summation order (the
/// rounding ledger covers any order), and intermediate bounds that start past the first affine node agree
/// with passes from a selection matrix and hold on samples.
@Suite struct BackwardFastPathTests {
    @Test func branchFreeActivationStepMatchesTheBranchingOne() {
        var rng = SeededGenerator(seed: 11)
        for trial in 0..<20 {
            let domains = 3, n = 4 + trial % 7, rows = 2 * domains
            let lower = (0..<(domains * n)).map { _ in rng.uniform(-2, 0.5) }
            let upper = lower.map { $0 + rng.uniform(0, 2.5) }
            let relu = ReLU(size: n)
            let rx = relu.relaxations(lower: lower, upper: upper, variant: trial % 2)
            let defects = relu.lineDefects(lower: lower, upper: upper, relaxation: rx)
            let h = Matrix(rows: domains, cols: n, data: zip(lower, upper).map { max(abs($0), abs($1)) })
            // Coefficients of both signs and exact zeros.
            let a = Matrix(rows: rows, cols: n, data: (0..<(rows * n)).map { _ in rng.uniform(0, 1) < 0.2 ? 0 : rng.uniform(-3, 3) })
            let rowDomain = (0..<rows).map { $0 / 2 }
            let crown = CROWN(network: RandomNetworks.mlp([n, n], using: &rng))
            var fast = a, constantFast = [Double](repeating: 0.5, count: rows), constantPlain = constantFast
            var ledgerFast = RoundingLedger(rows: rows, rowDomain: rowDomain), ledgerPlain = ledgerFast
            crown.relaxBackward(&fast, relaxation: rx, defects: defects, magnitudes: h, rowDomain: rowDomain,
                                constant: &constantFast, ledger: &ledgerFast)
            var plain = a
            crown.relaxBackward(&plain, relaxation: rx, defects: defects, magnitudes: h, rowDomain: rowDomain,
                                constant: &constantPlain, ledger: &ledgerPlain, branchFree: false)
            #expect(fast.data == plain.data, "trial \(trial): coefficients differ")
            for r in 0..<rows {
                #expect(abs(constantFast[r] - constantPlain[r]) <= 1e-12 * (1 + abs(constantPlain[r])))
                #expect(abs(ledgerFast.chain[r] - ledgerPlain.chain[r]) <= 1e-9 * ledgerPlain.chain[r] + 1e-300)
            }
        }
    }

    @Test func neuronBoundsStartingPastTheAffineNodeAgreeAndHold() throws {
        var rng = SeededGenerator(seed: 12)
        for trial in 0..<10 {
            let network = RandomNetworks.mlp([4, 9, 8, 7, 3], using: &rng)
            let boxes = (0..<3).map { _ in RandomNetworks.box(4, maxWidth: 0.8, using: &rng) }
            let input = IntervalMatrix(lower: Matrix(rowVectors: boxes.map(\.lower)), upper: Matrix(rowVectors: boxes.map(\.upper)))
            let crown = CROWN(network: network)
            let bounds = crown.intermediateBounds(input: input)
            for v in crown.boundedValues where v > 1 {
                // The same bounds from a selection matrix on `v` itself, through the whole pass.
                let n = network.size(of: v), rows = 2 * input.rows * n
                var a = Matrix(rows: rows, cols: n)
                var rowDomain = [Int](repeating: 0, count: rows)
                for d in 0..<input.rows {
                    for j in 0..<n {
                        let r = 2 * (d * n + j)
                        a[r, j] = 1; a[r + 1, j] = -1
                        rowDomain[r] = d; rowDomain[r + 1] = d
                    }
                }
                var cache = CROWN.RelaxationCache()
                let earlier = bounds.filter { $0.key < v }
                for variant in 0..<crown.variants {
                    let pass = crown.backward(from: v, coefficients: a, constant: [Double](repeating: 0, count: rows),
                                              rowDomain: rowDomain, input: input, bounds: earlier, lines: .fixed(variant: variant),
                                              cache: &cache)
                    for d in 0..<input.rows {
                        // Neurons still unstable were refined by the passes (stable ones keep their intervals).
                        for j in 0..<n where bounds[v]!.lower[d, j] < 0 && bounds[v]!.upper[d, j] > 0 {
                            let r = 2 * (d * n + j), k = d * n + j
                            let tolerance = 1e-9 * (1 + abs(pass.lower[r]) + abs(pass.lower[r + 1]))
                            #expect(bounds[v]!.lower.data[k] >= pass.lower[r] - tolerance, "trial \(trial) value \(v)")
                            #expect(bounds[v]!.upper.data[k] <= -pass.lower[r + 1] + tolerance, "trial \(trial) value \(v)")
                        }
                    }
                }
            }
            // And they hold on samples.
            for (d, box) in boxes.enumerated() {
                let samples = RandomNetworks.samples(of: box, count: 50, using: &rng)
                let values = network.evaluateAll(samples)
                for v in crown.boundedValues {
                    for s in 0..<samples.rows {
                        for j in 0..<values[v].cols {
                            #expect(values[v][s, j] >= bounds[v]!.lower[d, j] && values[v][s, j] <= bounds[v]!.upper[d, j])
                        }
                    }
                }
            }
        }
    }
}
