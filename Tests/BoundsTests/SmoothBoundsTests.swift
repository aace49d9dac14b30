import LinearAlgebra
import NNGraph
import Testing
import TestSupport
import VNNLib
@testable import Bounds

/// Whole networks with the smooth activations (Exp, Log, Reciprocal, Sqrt, Pow, Sin, Cos, Erf, Softplus,
/// Softsign, Sign): IBP, CROWN and alpha-CROWN bounds (optimised intermediate bounds and objective)
/// enclose sampled outputs; operators with a restricted domain (Log, Reciprocal, negative powers) read a
/// positive tensor (`softplus(z) + 0.1`). Networks that overflow or cross a pole get infinite (or, where
/// the backward pass multiplies an infinite intercept by a zero coefficient, NaN) bounds, never a finite
/// wrong one.
@Suite struct SmoothBoundsTests {
    static let activations: [(name: String, make: @Sendable (Int) -> any ElementwiseActivation, positive: Bool)] = [
        ("Exp", { Exp(size: $0) }, false), ("Log", { Log(size: $0) }, true), ("Reciprocal", { Reciprocal(size: $0) }, true),
        ("Sqrt", { Sqrt(size: $0) }, false), ("Softplus", { Softplus(size: $0) }, false), ("Sin", { Sin(size: $0) }, false),
        ("Cos", { Cos(size: $0) }, false), ("Erf", { Erf(size: $0) }, false), ("Softsign", { Softsign(size: $0) }, false),
        ("Sign", { Sign(size: $0) }, false), ("Pow2", { Pow(size: $0, exponent: 2) }, false),
        ("Pow3", { Pow(size: $0, exponent: 3) }, false), ("Pow1.5", { Pow(size: $0, exponent: 1.5) }, false),
        ("Pow0.3", { Pow(size: $0, exponent: 0.3) }, false), ("Pow-1", { Pow(size: $0, exponent: -1) }, true),
        ("Pow-2", { Pow(size: $0, exponent: -2) }, true),
    ]

    /// `n -> 6 -> 6 -> 3` with the activation after both hidden layers (after `softplus + 0.1` when it
    /// needs a positive input).
    static func network(_ n: Int, make: (Int) -> any ElementwiseActivation, positive: Bool, scale: Double,
                        using rng: inout SeededGenerator) -> Network {
        var nodes = [Node]()
        var current: ValueID = 0
        func add(_ name: String, _ op: any Operator, _ inputs: [ValueID]) {
            nodes.append(Node(name: name, op: op, inputs: inputs, shape: [op.outputSize]))
            current = nodes.count
        }
        let sizes = [n, 6, 6, 3]
        for layer in 1..<sizes.count {
            let (a, b) = (sizes[layer - 1], sizes[layer])
            let s = scale / Double(a).squareRoot()
            add("fc\(layer)", Affine(weight: Matrix(rows: b, cols: a, data: (0..<(a * b)).map { _ in rng.uniform(-s, s) }),
                                     bias: (0..<b).map { _ in rng.uniform(-0.3, 0.3) }), [current])
            if layer == sizes.count - 1 { break }
            if positive {
                add("softplus\(layer)", Softplus(size: b), [current])
                add("shift\(layer)", ElementwiseAffine(scale: [Double](repeating: 1, count: b), shift: [Double](repeating: 0.1, count: b)), [current])
            }
            add("act\(layer)", make(b), [current])
        }
        return try! Network(inputName: "x", inputShape: [n], outputName: "y", nodes: nodes, output: current)
    }

    struct Outcome { var checked = 0; var nonFinite = 0; var nanIntervals = 0 }

    /// Checks every bound kind on `count` random networks; returns how many (bound, sample) pairs were
    /// compared and how many bounds were not finite.
    /// With `allowNaN`, NaN interval bounds are counted instead of failing (Bounds' linear interval map
    /// turns `[−∞, ∞]` into NaN: no claim, so not unsound).
    static func check(make: (Int) -> any ElementwiseActivation, positive: Bool, scale: Double, maxWidth: Double,
                      count: Int, seed: UInt64, label: String, allowNaN: Bool = false) -> Outcome {
        var rng = SeededGenerator(seed: seed)
        var outcome = Outcome()
        for _ in 0..<count {
            let n = Int.random(in: 2...4, using: &rng)
            let net = network(n, make: make, positive: positive, scale: scale, using: &rng)
            let box = RandomNetworks.box(n, maxWidth: maxWidth, using: &rng)
            let input = box.intervalBatch
            let x = RandomNetworks.samples(of: box, count: 400, using: &rng)
            let values = net.evaluateAll(x)
            let y = values[net.output]
            let objective = Matrix(rows: 2, cols: 3, data: (0..<6).map { _ in rng.uniform(-1, 1) })
            // IBP on every value.
            let ibp = intervalBounds(net, input: input)
            for v in 0...net.nodes.count {
                for s in 0..<x.rows {
                    for j in 0..<values[v].cols {
                        let z = values[v][s, j], lo = ibp[v].lower[0, j], hi = ibp[v].upper[0, j]
                        if lo.isNaN || hi.isNaN { outcome.nanIntervals += 1 }
                        #expect(allowNaN || !lo.isNaN && !hi.isNaN, "\(label): IBP NaN at value \(v)")
                        #expect(!(lo > z) && !(hi < z), "\(label): IBP [\(lo), \(hi)] misses \(z) at value \(v)")
                        outcome.checked += 1
                    }
                }
            }
            let crown = CROWN(network: net, tryRelaxationVariants: true)
            let bounds = crown.intermediateBounds(input: input)
            var optimiser = BoundOptimisation()
            optimiser.stopAbove = nil
            optimiser.iterations = 8
            let optimisedBounds = crown.optimisedIntermediateBounds(input: input, options: optimiser)
            for (v, b) in bounds.merging(optimisedBounds.map { ($0.key + 100_000, $0.value) }, uniquingKeysWith: { a, _ in a }) {
                let value = v >= 100_000 ? v - 100_000 : v
                for s in 0..<x.rows {
                    for j in 0..<values[value].cols {
                        let z = values[value][s, j], lo = b.lower[0, j], hi = b.upper[0, j]
                        #expect(!(lo > z) && !(hi < z), "\(label): intermediate bound [\(lo), \(hi)] misses \(z) at value \(value)")
                    }
                }
            }
            let plain = crown.lowerBound(of: net.output, objective: objective, constant: [0, 0], input: input, bounds: bounds)
            let (opt, _) = crown.optimisedLowerBound(of: net.output, objective: objective, constant: [0, 0], input: input,
                                                      bounds: optimisedBounds, options: optimiser)
            for i in 0..<2 {
                let candidates = [plain.lower[0, i], opt.lower[i]]
                outcome.nonFinite += candidates.filter { !$0.isFinite }.count
                for s in 0..<x.rows {
                    var o = 0.0
                    for j in 0..<3 { o += objective[i, j] * y[s, j] }
                    guard o.isFinite else { continue }
                    for (k, bound) in candidates.enumerated() {
                        // NaN and −∞ claim nothing; a finite bound must hold.
                        #expect(!(bound > o), "\(label): \(k == 0 ? "CROWN" : "alpha-CROWN") bound \(bound) above objective \(o)")
                        outcome.checked += 1
                    }
                }
            }
        }
        return outcome
    }

    @Test(arguments: activations.indices)
    func boundsEncloseSampledOutputs(index: Int) {
        let a = Self.activations[index]
        let outcome = Self.check(make: a.make, positive: a.positive, scale: 1.5, maxWidth: 0.6, count: 8,
                                 seed: 900 + UInt64(index), label: a.name)
        #expect(outcome.checked > 10_000)
        #expect(outcome.nonFinite == 0 && outcome.nanIntervals == 0, "\(a.name): \(outcome.nonFinite) non-finite bounds on ordinary networks")
    }

    /// Exp on inputs far beyond overflow and Reciprocal/Log across their pole: bounds may be infinite or
    /// NaN (no claim), never finite and wrong.
    @Test func overflowAndPolesGiveNoWrongBound() {
        for name in ["Exp", "Reciprocal", "Log", "Pow-1"] {
            let a = Self.activations.first { $0.name == name }!
            let (label, make) = (a.name, a.make)
            let outcome = Self.check(make: make, positive: false, scale: label == "Exp" ? 900 : 3, maxWidth: 2, count: 4,
                                     seed: 990, label: label + " (extreme)", allowNaN: true)
            #expect(outcome.checked > 0)
        }
    }
}
