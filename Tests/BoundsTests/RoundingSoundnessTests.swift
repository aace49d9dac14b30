import Foundation
import LinearAlgebra
import NNGraph
import Testing
import TestSupport
@testable import Bounds

/// Bounds hold for the network in exact arithmetic, not only for its `Double` evaluation
/// (Docs/soundness.md): on a network built so that rounding hides a violation, naive interval
/// arithmetic "proves" the property, exact decimal arithmetic shows it violated, and nnverify's
/// IBP and CROWN bounds do not claim it.
@Suite struct RoundingSoundnessTests {
    let network = CancellationNetwork.network()
    var input: IntervalMatrix { CancellationNetwork.box.intervalBatch }

    @Test func exactArithmeticViolatesTheProperty() throws {
        let y = CancellationNetwork.exactOutput(Decimal(string: "0.5")!)
        #expect(y == Decimal(string: "0.5")!)
        #expect(y >= Decimal(CancellationNetwork.threshold))
        // Double evaluation rounds the violation away: the trap is real.
        #expect(try network.evaluate([0.5]) == [0])
    }

    @Test func naiveIntervalArithmeticClaimsThePropertyHolds() {
        var naive = [input]
        for node in network.nodes { naive.append(node.op.interval(node.inputs.map { naive[$0] })) }
        // 0.25 − y >= 0.25 − upper(y) > 0: a naive proof of a false property.
        #expect(CancellationNetwork.threshold - naive[3].upper[0, 0] > 0)
    }

    @Test func outwardIntervalsAndCrownDoNotClaimIt() {
        let ibp = intervalBounds(network, input: input)
        #expect(ibp[3].upper[0, 0] >= 0.5, "IBP upper bound of y: \(ibp[3].upper[0, 0])")
        let crown = CROWN(network: network)
        let inter = crown.intermediateBounds(input: input)
        let bound = crown.lowerBound(of: network.output, objective: Matrix(rows: 1, cols: 1, data: [-1]),
                                     constant: [CancellationNetwork.threshold], input: input, bounds: inter)
        #expect(bound.lower[0, 0] <= 0.25 - 0.5, "CROWN lower bound of 0.25 − y: \(bound.lower[0, 0])")
        let parameters = crown.initialParameters(rowDomain: [0], bounds: inter, splits: [:])
        let alpha = crown.parameterisedBackward(from: network.output, coefficients: Matrix(rows: 1, cols: 1, data: [-1]),
                                                constant: [CancellationNetwork.threshold], rowDomain: [0], input: input,
                                                bounds: inter, splits: [:], parameters: parameters, gradient: false)
        #expect(alpha.bound.lower[0] <= 0.25 - 0.5, "alpha-CROWN lower bound of 0.25 − y: \(alpha.bound.lower[0])")
    }

    /// The rounding terms are small where nothing cancels: on ordinary networks the bounds move by
    /// far less than 1e-9 relative to their magnitude.
    @Test func roundingTermsAreTinyOnOrdinaryNetworks() {
        var rng = SeededGenerator(seed: 7)
        for _ in 0..<20 {
            let sizes = [5, 30, 30, 4]
            let net = RandomNetworks.mlp(sizes, using: &rng)
            let box = RandomNetworks.box(5, maxWidth: 0.5, using: &rng)
            var naive = [box.intervalBatch]
            for node in net.nodes { naive.append(node.op.interval(node.inputs.map { naive[$0] })) }
            let outward = intervalBounds(net, input: box.intervalBatch)
            for v in 0..<naive.count {
                for k in 0..<naive[v].lower.data.count {
                    let scale = 1 + abs(naive[v].lower.data[k]) + abs(naive[v].upper.data[k])
                    #expect(naive[v].lower.data[k] - outward[v].lower.data[k] >= 0)
                    #expect(naive[v].lower.data[k] - outward[v].lower.data[k] < 1e-9 * scale)
                    #expect(outward[v].upper.data[k] - naive[v].upper.data[k] < 1e-9 * scale)
                }
            }
        }
    }
}
