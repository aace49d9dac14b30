import Bounds
import LinearAlgebra
import LPBounds
import NNGraph
import Testing
import TestSupport
import VNNLib

@Suite("LP bounds of specification objectives")
struct ObjectiveLPTests {
    @Test("Row bounds are sound by sampling and at least CROWN's", arguments: TestActivation.allCases)
    func rowBounds(activation: TestActivation) throws {
        for seed in UInt64(0)..<15 {
            var rng = SeededGenerator(seed: seed)
            let network = RandomNetworks.mlp([3, 6, 6, 3], activation: activation, extras: seed % 3 == 0,
                                             weightScale: 1.5, using: &rng)
            let box = RandomNetworks.box(3, maxWidth: 1.2, using: &rng)
            let rows = (0..<3).map { _ in randomRow(3, using: &rng) }
            let crown = CROWN(network: network)
            let bounds = crown.intermediateBounds(input: box.intervalBatch)
            let c = Matrix(rowVectors: rows.map(\.coefficients))
            let crownLower = crown.lowerBound(of: network.output, objective: c, constant: rows.map(\.constant),
                                              input: box.intervalBatch, bounds: bounds).lower
            let objective = try ObjectiveLP(network: network)
            let lp = try objective.minimumOfEachRow(rows, box: box, bounds: bounds)
            let sampled = Sampled(network, box: box, count: 300, using: &rng)
            for (k, bound) in lp.enumerated() {
                #expect(bound.status == .optimal)
                // The LP's safety margin (1e-6 relative) may put it just below an equally tight CROWN bound.
                #expect(bound.lowerBound >= crownLower[0, k] - 1e-5 * (1 + abs(crownLower[0, k])),
                        "seed \(seed) row \(k): LP \(bound.lowerBound) below CROWN \(crownLower[0, k])")
                let x = try #require(bound.input)
                #expect(box.contains(x, tolerance: 1e-7))
                for r in 0..<sampled.count {
                    let value = rows[k].residual(sampled.output(r, network))
                    #expect(bound.lowerBound <= value, "seed \(seed) row \(k): bound \(bound.lowerBound) above sample \(value)")
                }
            }
            // min over x of max_k >= max_k of min over x, and is below every sampled maximum.
            let maximum = try objective.minimumOfMaximum(rows, box: box, bounds: bounds)
            #expect(maximum.status == .optimal)
            let bestRow = lp.map(\.lowerBound).max()!
            #expect(maximum.lowerBound >= bestRow - 1e-5 * (1 + abs(bestRow)))
            for r in 0..<sampled.count {
                let y = sampled.output(r, network)
                #expect(maximum.lowerBound <= rows.map { $0.residual(y) }.max()!)
            }
        }
    }

    /// `z0 = x - 0.5`, `z1 = -x - 0.5` on `x in [-1, 1]`: each can be active, not both.
    func opposedNetwork() -> Network {
        reluNetwork([(weight: [[1], [-1]], bias: [-0.5, -0.5]), (weight: [[1, 1]], bias: [0])])
    }

    @Test("Contradictory splits make the LP infeasible; compatible ones do not")
    func contradictorySplits() throws {
        let network = opposedNetwork()
        let box = InputBox(lower: [-1], upper: [1])
        let rows = [LinearConstraint(coefficients: [1], constant: 0)]
        let objective = try ObjectiveLP(network: network)
        let both = [NeuronSplit(value: 1, neuron: 0, active: true), NeuronSplit(value: 1, neuron: 1, active: true)]
        #expect(try objective.minimumOfMaximum(rows, box: box, splits: both).status == .infeasible)
        #expect(try objective.minimumOfEachRow(rows, box: box, splits: both)[0].lowerBound == .infinity)
        // With a second ReLU layer, refinement solves an LP under the splits and finds the leaf empty.
        let deeper = reluNetwork([(weight: [[1], [-1]], bias: [-0.5, -0.5]), (weight: [[1, 1]], bias: [-0.1]),
                                  (weight: [[1]], bias: [0])])
        #expect(try BoundRefinement(network: deeper).refine(box: box, bounds: [:], splits: both).isEmpty)
        #expect(try !BoundRefinement(network: deeper).refine(box: box, bounds: [:], splits: [both[0]]).isEmpty)
        // Both sides on one neuron fix z0 = 0 (x = 0.5): not empty.
        let pinned = [NeuronSplit(value: 1, neuron: 0, active: true), NeuronSplit(value: 1, neuron: 0, active: false)]
        let atZero = try objective.minimumOfMaximum(rows, box: box, splits: pinned)
        #expect(atZero.status == .optimal && abs(atZero.lowerBound) < 1e-5)
        #expect(abs(try #require(atZero.input)[0] - 0.5) < 1e-6)
        let one = [NeuronSplit(value: 1, neuron: 0, active: true), NeuronSplit(value: 1, neuron: 1, active: false)]
        let bound = try objective.minimumOfMaximum(rows, box: box, splits: one)
        #expect(bound.status == .optimal)
        // x >= 0.5: y = relu(x - 0.5) + 0 >= 0, attained at x = 0.5.
        #expect(abs(bound.lowerBound) < 1e-5)
        let x = try #require(bound.input)
        #expect(x[0] >= 0.5 - 1e-7)
    }

    @Test("A split against sound bounds is an empty leaf")
    func splitAgainstBounds() throws {
        let network = opposedNetwork()
        let box = InputBox(lower: [-1], upper: [0])  // z0 = x - 0.5 <= -0.5
        let rows = [LinearConstraint(coefficients: [1], constant: 0)]
        let split = [NeuronSplit(value: 1, neuron: 0, active: true)]
        #expect(try ObjectiveLP(network: network).minimumOfMaximum(rows, box: box, splits: split).status == .infeasible)
        #expect(try BoundRefinement(network: network).refine(box: box, bounds: [:], splits: split).isEmpty)
    }

    @Test("Random splits: bounds sound on the sampled inputs satisfying them")
    func randomSplits() throws {
        var empties = 0
        for seed in UInt64(50)..<70 {
            var rng = SeededGenerator(seed: seed)
            let network = RandomNetworks.mlp([2, 5, 5, 2], weightScale: 1.5, using: &rng)
            let box = RandomNetworks.box(2, maxWidth: 1.5, using: &rng)
            let bounds = CROWN(network: network).intermediateBounds(input: box.intervalBatch)
            let reluInputs = activationInputs(network)
            let splits = (0..<3).map { _ in
                NeuronSplit(value: reluInputs[Int.random(in: 0..<reluInputs.count, using: &rng)],
                          neuron: Int.random(in: 0..<5, using: &rng), active: Bool.random(using: &rng))
            }
            let rows = [randomRow(2, using: &rng), randomRow(2, using: &rng)]
            let bound = try ObjectiveLP(network: network).minimumOfMaximum(rows, box: box, bounds: bounds, splits: splits)
            let sampled = Sampled(network, box: box, count: 1500, using: &rng)
            var satisfying = 0
            for r in 0..<sampled.count {
                let ok = splits.allSatisfy { s in
                    let z = sampled.values[s.value][r, s.neuron]
                    return s.active ? z >= 0 : z <= 0
                }
                guard ok else { continue }
                satisfying += 1
                let y = sampled.output(r, network)
                #expect(bound.lowerBound <= rows.map { $0.residual(y) }.max()!, "seed \(seed)")
            }
            if bound.status == .infeasible { empties += 1; #expect(satisfying == 0, "seed \(seed): infeasible, yet samples satisfy the splits") }
        }
        #expect(empties < 20)
    }

    @Test("Bad input gets a clear error")
    func badInput() throws {
        let network = opposedNetwork()
        let objective = try ObjectiveLP(network: network)
        let box = InputBox(lower: [-1], upper: [1])
        let row = [LinearConstraint(coefficients: [1], constant: 0)]
        #expect(throws: LPBoundsError.self) { try objective.minimumOfMaximum([LinearConstraint(coefficients: [1, 2], constant: 0)], box: box) }
        #expect(throws: LPBoundsError.self) { try objective.minimumOfMaximum(row, box: InputBox(lower: [1], upper: [-1])) }
        #expect(throws: LPBoundsError.self) { try objective.minimumOfMaximum(row, box: InputBox(lower: [0, 0], upper: [1, 1])) }
        // Value 2 is a ReLU output, not read by a ReLU; neuron 5 does not exist.
        #expect(throws: LPBoundsError.self) { try objective.minimumOfMaximum(row, box: box, splits: [NeuronSplit(value: 2, neuron: 0, active: true)]) }
        #expect(throws: LPBoundsError.self) { try objective.minimumOfMaximum(row, box: box, splits: [NeuronSplit(value: 1, neuron: 5, active: true)]) }
        let wrongShape = [ValueID(1): IntervalMatrix(lower: Matrix(rows: 1, cols: 3), upper: Matrix(rows: 1, cols: 3))]
        #expect(throws: LPBoundsError.self) { try objective.minimumOfMaximum(row, box: box, bounds: wrongShape) }
        let error = LPBoundsError.invalidSplit(NeuronSplit(value: 2, neuron: 0, active: true), reason: "value 2 is not read by a piecewise-linear activation")
        #expect(error.description == "LP encoding: invalid split value 2[0] >= 0: value 2 is not read by a piecewise-linear activation")
    }
}
