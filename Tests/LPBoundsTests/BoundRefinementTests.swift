import Bounds
import LinearAlgebra
import LPBounds
import NNGraph
import Testing
import TestSupport
import VNNLib

@Suite("LP refinement of intermediate bounds")
struct BoundRefinementTests {
    /// Refines CROWN's bounds on random networks and checks, for every value feeding an activation:
    /// sampled values inside the refined bounds, refined bounds inside CROWN's, and every LP bound at
    /// least as tight as CROWN's (the triangle contains CROWN's lines).
    func check(_ activation: TestActivation, seeds: Range<UInt64>, extras: Bool, propagate: Bool) throws -> Int {
        var improved = 0
        for seed in seeds {
            var rng = SeededGenerator(seed: seed)
            let sizes = [3, 6, 6, 5, 2]
            let network = RandomNetworks.mlp(sizes, activation: activation, extras: extras, weightScale: 1.5, using: &rng)
            let box = RandomNetworks.box(3, maxWidth: 1.2, using: &rng)
            let crown = CROWN(network: network).intermediateBounds(input: box.intervalBatch)
            let refinement = try BoundRefinement(network: network)
            let result = try refinement.refine(box: box, bounds: crown,
                                               options: BoundRefinementOptions(propagateWithCROWN: propagate))
            #expect(!result.isEmpty)
            #expect(result.failures == 0)
            let sampled = Sampled(network, box: box, count: 300, using: &rng)
            for v in activationInputs(network) {
                let refined = try #require(result.bounds[v]), old = try #require(crown[v])
                for j in 0..<network.size(of: v) {
                    let (l, u) = (refined.lower[0, j], refined.upper[0, j])
                    #expect(l >= old.lower[0, j] && u <= old.upper[0, j], "seed \(seed) value \(v)[\(j)] looser than CROWN")
                    if l > old.lower[0, j] + 1e-9 || u < old.upper[0, j] - 1e-9 { improved += 1 }
                    for r in 0..<sampled.count {
                        let x = sampled.values[v][r, j]
                        let slack = 1e-9 * (1 + abs(x))  // rounding in evaluation and interval arithmetic
                        #expect(l - slack <= x && x <= u + slack, "seed \(seed) value \(v)[\(j)]: sample \(x) outside [\(l), \(u)]")
                    }
                }
            }
            for n in result.neurons {
                let old = try #require(crown[n.value])
                let tolerance = 1e-5 * (1 + abs(old.lower[0, n.neuron]) + abs(old.upper[0, n.neuron]))
                #expect(n.lower >= old.lower[0, n.neuron] - tolerance, "seed \(seed): LP lower bound below CROWN's")
                #expect(n.upper <= old.upper[0, n.neuron] + tolerance, "seed \(seed): LP upper bound above CROWN's")
            }
        }
        return improved
    }

    @Test("ReLU networks: sound, never looser, LP at least as tight as CROWN", arguments: [false, true])
    func relu(propagate: Bool) throws {
        let improved = try check(.relu, seeds: 0..<25, extras: false, propagate: propagate)
        #expect(improved > 0, "the LP never tightened a bound")
    }

    @Test("Networks with every linear operator (ElementwiseAffine, LinearCombination, Reshape)")
    func extras() throws {
        _ = try check(.relu, seeds: 100..<115, extras: true, propagate: true)
    }

    @Test("Sigmoid and tanh networks", arguments: [TestActivation.sigmoid, .tanh])
    func sShaped(activation: TestActivation) throws {
        _ = try check(activation, seeds: 200..<215, extras: false, propagate: false)
    }

    @Test("Budgets: per value and in total")
    func budgets() throws {
        var rng = SeededGenerator(seed: 7)
        let network = RandomNetworks.mlp([3, 8, 8, 8, 2], weightScale: 1.5, using: &rng)
        let box = RandomNetworks.box(3, maxWidth: 1.5, using: &rng)
        let crown = CROWN(network: network).intermediateBounds(input: box.intervalBatch)
        let refinement = try BoundRefinement(network: network)
        let perValue = try refinement.refine(box: box, bounds: crown, options: BoundRefinementOptions(maxNeuronsPerValue: 2))
        let counts = Dictionary(grouping: perValue.neurons, by: \.value).mapValues(\.count)
        #expect(counts.values.allSatisfy { $0 <= 2 })
        #expect(!counts.isEmpty)
        let total = try refinement.refine(box: box, bounds: crown, options: BoundRefinementOptions(maxNeurons: 3))
        #expect(total.neurons.count <= 3 && total.neurons.count > 0)
        #expect(total.solves == 2 * total.neurons.count)
    }

    @Test("A deadline in the past stops before any LP and returns the bounds given")
    func pastDeadline() throws {
        var rng = SeededGenerator(seed: 8)
        let network = RandomNetworks.mlp([3, 6, 6, 2], weightScale: 1.5, using: &rng)
        let box = RandomNetworks.box(3, using: &rng)
        let crown = CROWN(network: network).intermediateBounds(input: box.intervalBatch)
        let result = try BoundRefinement(network: network).refine(
            box: box, bounds: crown, options: BoundRefinementOptions(propagateWithCROWN: false), deadline: .distantPast)
        #expect(result.solves == 0 && result.stoppedByDeadline)
        for v in activationInputs(network) { #expect(result.bounds[v] == crown[v]) }
    }

    /// The caller's check after each value (`stop`): it sees sound bounds (samples inside), a check that never stops
    /// leaves the neurons refined as without one, and one that stops at once ends after the first value it tightens.
    @Test("A caller's check after each value sees sound bounds and can end the refinement")
    func callerCheck() throws {
        var stoppedEarly = 0
        for seed in UInt64(400)..<410 {
            var rng = SeededGenerator(seed: seed)
            let network = RandomNetworks.mlp([3, 6, 6, 6, 2], weightScale: 1.5, using: &rng)
            let box = RandomNetworks.box(3, maxWidth: 1.2, using: &rng)
            let crown = CROWN(network: network).intermediateBounds(input: box.intervalBatch)
            let sampled = Sampled(network, box: box, count: 300, using: &rng)
            let refinement = try BoundRefinement(network: network)
            func holdsSamples(_ bounds: [ValueID: IntervalMatrix]) -> Bool {
                for v in activationInputs(network) {
                    guard let b = bounds[v] else { return false }
                    for j in 0..<network.size(of: v) {
                        for r in 0..<sampled.count {
                            let x = sampled.values[v][r, j], slack = 1e-9 * (1 + abs(x))
                            if b.lower[0, j] - slack > x || x > b.upper[0, j] + slack { return false }
                        }
                    }
                }
                return true
            }
            let plain = try refinement.refine(box: box, bounds: crown)
            var sound = true
            let never = try refinement.refine(box: box, bounds: crown, stop: { sound = sound && holdsSamples($0); return false })
            #expect(sound, "seed \(seed): a checked bound excludes a sample")
            #expect(!never.stoppedByCaller)
            #expect(never.neurons.map { [$0.value, $0.neuron] } == plain.neurons.map { [$0.value, $0.neuron] }, "seed \(seed)")
            #expect(holdsSamples(never.bounds))
            let once = try refinement.refine(box: box, bounds: crown, stop: { _ in true })
            let onceKeys = once.neurons.map { [$0.value, $0.neuron] }, plainKeys = plain.neurons.map { [$0.value, $0.neuron] }
            // It stops after the first value that tightened anything: the same neurons as far as that value.
            #expect(Array(plainKeys.prefix(onceKeys.count)) == onceKeys, "seed \(seed)")
            #expect(once.stoppedByCaller || onceKeys == plainKeys, "seed \(seed): neither stopped by the check nor run to the end")
            if let last = onceKeys.last { #expect(!plainKeys.dropFirst(onceKeys.count).contains { $0[0] == last[0] }) }
            #expect(holdsSamples(once.bounds), "seed \(seed): bounds after an early stop exclude a sample")
            if onceKeys.count < plainKeys.count { stoppedEarly += 1 }
        }
        #expect(stoppedEarly > 0, "no check ever ended a refinement early")
    }

    /// Each thread re-solves its own neurons from its previous basis (``LPSession``), so the simplex paths and
    /// GLPK's duals differ between one and two threads; the proven bounds agree to rounding (and exactly
    /// with fresh problems per LP).
    @Test("Parallel solves give the same bounds as sequential ones", arguments: [true, false])
    func concurrency(warmStart: Bool) throws {
        var rng = SeededGenerator(seed: 9)
        let network = RandomNetworks.mlp([4, 10, 10, 3], weightScale: 1.5, using: &rng)
        let box = RandomNetworks.box(4, maxWidth: 1.5, using: &rng)
        let crown = CROWN(network: network).intermediateBounds(input: box.intervalBatch)
        let refinement = try BoundRefinement(network: network)
        let one = try refinement.refine(box: box, bounds: crown, options: BoundRefinementOptions(concurrency: 1, warmStart: warmStart))
        let two = try refinement.refine(box: box, bounds: crown, options: BoundRefinementOptions(concurrency: 2, warmStart: warmStart))
        if !warmStart { #expect(one.neurons == two.neurons) }
        let close = { (a: Double, b: Double) in a == b || abs(a - b) <= 1e-9 * (1 + abs(a)) }
        #expect(one.neurons.map(\.neuron) == two.neurons.map(\.neuron))
        for (a, b) in zip(one.neurons, two.neurons) { #expect(close(a.lower, b.lower) && close(a.upper, b.upper)) }
        for v in activationInputs(network) {
            let a = try #require(one.bounds[v]), b = try #require(two.bounds[v])
            #expect(zip(a.lower.data, b.lower.data).allSatisfy(close) && zip(a.upper.data, b.upper.data).allSatisfy(close))
        }
    }

    @Test("Refinement under splits: sound on the inputs satisfying them")
    func splits() throws {
        for seed in UInt64(300)..<310 {
            var rng = SeededGenerator(seed: seed)
            let network = RandomNetworks.mlp([2, 6, 6, 1], weightScale: 1.5, using: &rng)
            let box = RandomNetworks.box(2, maxWidth: 1.5, using: &rng)
            let crown = CROWN(network: network).intermediateBounds(input: box.intervalBatch)
            let sampled = Sampled(network, box: box, count: 600, using: &rng)
            // Split an unstable first-layer neuron on the side where most samples fall.
            let first = activationInputs(network)[0]
            guard let j = (0..<network.size(of: first)).first(where: { crown[first]!.lower[0, $0] < 0 && crown[first]!.upper[0, $0] > 0 })
            else { continue }
            let split = NeuronSplit(value: first, neuron: j, active: true)
            let result = try BoundRefinement(network: network).refine(box: box, bounds: crown, splits: [split])
            let inside = (0..<sampled.count).filter { sampled.values[first][$0, j] >= 0 }
            if result.isEmpty { #expect(inside.isEmpty); continue }
            for v in activationInputs(network) {
                let b = try #require(result.bounds[v])
                for r in inside {
                    for k in 0..<network.size(of: v) {
                        let x = sampled.values[v][r, k], slack = 1e-9 * (1 + abs(x))
                        #expect(b.lower[0, k] - slack <= x && x <= b.upper[0, k] + slack, "seed \(seed) value \(v)[\(k)]")
                    }
                }
            }
        }
    }
}
