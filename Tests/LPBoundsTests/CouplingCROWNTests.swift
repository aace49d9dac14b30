import Bounds
import Foundation
import LinearAlgebra
import LPBounds
import NNGraph
import Testing
import TestSupport
import VNNLib

/// A case's linear input constraints in CROWN through Lagrange multipliers (``CROWN/coupled(with:)``):
/// sampled points of box ∩ constraints stay inside every bound, the bound is never looser than the
/// box-only one and never tighter than the LP with the constraints as rows (CROWN with multipliers is a
/// dual point of that LP), and on a linear network with one constraint it equals the LP optimum.
@Suite("Input couplings in CROWN")
struct CouplingCROWNTests {
    /// Boxes of every scale: ordinary (widths up to 1.5 in [-1, 1]), tiny (width 1e-7), huge (width
    /// about 2000), and one-sided (the constraints keep a sliver at one side of an ordinary box).
    enum BoxKind: CaseIterable { case ordinary, tiny, huge, oneSided }

    static func box(_ kind: BoxKind, _ n: Int, using rng: inout SeededGenerator) -> InputBox {
        switch kind {
        case .ordinary, .oneSided: return RandomNetworks.box(n, maxWidth: 1.5, using: &rng)
        case .tiny, .huge:
            let w = kind == .tiny ? 1e-7 : 2000
            let c = (0..<n).map { _ in rng.uniform(-1, 1) * (kind == .huge ? 500 : 1) }
            return InputBox(lower: c.map { $0 - w / 2 }, upper: c.map { $0 + w / 2 })
        }
    }

    /// One random instance: a ReLU network, a box of `kind`, 1–2 couplings that cut it, and objective rows.
    struct Instance {
        var network: Network
        var box: InputBox
        var couplings: [LinearConstraint]
        var objective: Matrix
        var constant: [Double]
        var region: SpecCase { SpecCase(box: box, disjuncts: [], inputConstraints: couplings) }
        var rows: [LinearConstraint] {
            (0..<objective.rows).map { LinearConstraint(coefficients: objective.row($0), constant: constant[$0]) }
        }
    }

    static func instance(seed: UInt64, kind: BoxKind, linear: Bool = false, couplings count: Int? = nil) -> Instance {
        var rng = SeededGenerator(seed: seed)
        let n = 3 + Int(seed % 2)
        let network = linear ? RandomNetworks.mlp([n, 3], using: &rng) : RandomNetworks.mlp([n, 6, 6, 3], weightScale: 1.5, using: &rng)
        let box = Self.box(kind, n, using: &rng)
        let k = count ?? 1 + Int(seed % 2)
        let couplings = (0..<k).map { _ in
            CouplingRowsTests.coupling(box, t: kind == .oneSided ? rng.uniform(0.001, 0.05) : rng.uniform(0.1, 0.7), using: &rng)
        }
        let objective = Matrix(rows: 3, cols: 3, data: (0..<9).map { _ in rng.uniform(-1, 1) })
        return Instance(network: network, box: box, couplings: couplings, objective: objective,
                        constant: (0..<3).map { _ in rng.uniform(-0.5, 0.5) })
    }

    /// Points of box ∩ couplings: uniform samples that satisfy the couplings, and samples pulled onto them.
    static func regionPoints(_ inst: Instance, using rng: inout SeededGenerator) -> [[Double]] {
        let samples = RandomNetworks.samples(of: inst.box, count: 300, using: &rng)
        var points = [[Double]]()
        for r in 0..<samples.rows {
            let x = samples.row(r)
            for p in [x, RegionProjection.pulled(x, box: inst.box, constraints: inst.couplings)] where inst.region.contains(p) {
                points.append(p)
            }
        }
        return points
    }

    @Test("Sampled points of box ∩ couplings lie inside CROWN's and alpha-CROWN's coupled bounds",
          arguments: BoxKind.allCases)
    func sampledPointsInside(kind: BoxKind) throws {
        var checked = 0
        for seed in UInt64(1200)..<1215 {
            let inst = Self.instance(seed: seed, kind: kind)
            let crown = CROWN(network: inst.network).coupled(with: InputCouplings(inst.couplings, box: inst.box))
            let input = inst.box.intervalBatch
            let inter = crown.intermediateBounds(input: input)
            let plain = crown.lowerBound(of: inst.network.output, objective: inst.objective, constant: inst.constant,
                                         input: input, bounds: inter)
            var settings = BoundOptimisation()
            settings.iterations = 8
            settings.stopAbove = nil
            let (optimised, _) = crown.optimisedLowerBound(of: inst.network.output, objective: inst.objective,
                                                           constant: inst.constant, input: input, bounds: inter, options: settings)
            var rng = SeededGenerator(seed: seed &+ 77)
            let points = Self.regionPoints(inst, using: &rng)
            guard !points.isEmpty else { continue }
            let values = inst.network.evaluateAll(Matrix(rowVectors: points))
            let n = inst.box.lower.count
            for (p, x) in points.enumerated() {
                for (v, b) in inter {
                    for j in 0..<b.cols {
                        let z = values[v][p, j], tol = 1e-10 * (1 + abs(z))
                        #expect(z >= b.lower[0, j] - tol && z <= b.upper[0, j] + tol,
                                "\(kind) seed \(seed): value \(v)[\(j)] = \(z) outside [\(b.lower[0, j]), \(b.upper[0, j])]")
                    }
                }
                let y = values[inst.network.output].row(p)
                for i in 0..<inst.objective.rows {
                    var f = inst.constant[i]
                    for j in 0..<y.count { f += inst.objective[i, j] * y[j] }
                    let tol = 1e-10 * (1 + abs(f))
                    #expect(f >= plain.lower[0, i] - tol, "\(kind) seed \(seed) row \(i): \(f) below CROWN's \(plain.lower[0, i])")
                    #expect(f >= optimised.lower[i] - tol, "\(kind) seed \(seed) row \(i): \(f) below alpha-CROWN's \(optimised.lower[i])")
                    // The certificates hold on the region too.
                    for (a, c) in [(plain.inputCoefficients.row(i), plain.inputConstant[i]),
                                   (optimised.inputCoefficients.row(i), optimised.inputConstant[i])] {
                        var g = c
                        for j in 0..<n { g += a[j] * x[j] }
                        #expect(f >= g - 1e-9 * (1 + abs(f) + abs(g)), "\(kind) seed \(seed) row \(i): certificate \(g) above \(f)")
                    }
                }
                checked += 1
            }
        }
        #expect(checked >= 100, "\(kind): only \(checked) region points checked")
    }

    @Test("Coupled CROWN lies between the box-only CROWN bound and the LP optimum with the rows")
    func betweenBoxOnlyAndLP() throws {
        var gains = [Double]()
        for seed in UInt64(1300)..<1330 {
            let inst = Self.instance(seed: seed, kind: seed % 3 == 0 ? .oneSided : .ordinary)
            let plain = CROWN(network: inst.network)
            let coupled = plain.coupled(with: InputCouplings(inst.couplings, box: inst.box))
            let input = inst.box.intervalBatch
            // The same intermediate bounds (box only) for all four, so only the couplings differ.
            let inter = plain.intermediateBounds(input: input)
            let boxOnly = plain.lowerBound(of: inst.network.output, objective: inst.objective, constant: inst.constant,
                                           input: input, bounds: inter)
            let withRows = coupled.lowerBound(of: inst.network.output, objective: inst.objective, constant: inst.constant,
                                              input: input, bounds: inter)
            let lp = try ObjectiveLP(network: inst.network)
            let lpCoupled = try lp.minimumOfEachRow(inst.rows, box: inst.box, bounds: inter, inputConstraints: inst.couplings)
            let lpBox = try lp.minimumOfEachRow(inst.rows, box: inst.box, bounds: inter)
            for i in 0..<inst.objective.rows {
                let b = boxOnly.lower[0, i], c = withRows.lower[0, i]
                #expect(c >= b, "seed \(seed) row \(i): coupled \(c) looser than box-only \(b)")
                guard lpCoupled[i].status == .optimal, let opt = lpCoupled[i].lpValue, let optBox = lpBox[i].lpValue else { continue }
                #expect(c <= opt + 1e-7 * (1 + abs(opt)), "seed \(seed) row \(i): coupled CROWN \(c) above the LP optimum \(opt)")
                if opt - optBox > 1e-6 { gains.append(min(1, max(0, (c - b) / (opt - optBox)))) }
            }
        }
        // Share of the LP's gain from the rows that CROWN with multipliers recovers (same intermediate bounds).
        let sorted = gains.sorted()
        let mean = gains.reduce(0, +) / Double(max(gains.count, 1))
        print("CouplingCROWNTests: \(gains.count) rows with an LP gain; CROWN recovers mean \(String(format: "%.3f", mean)), "
              + "median \(String(format: "%.3f", sorted.isEmpty ? 0 : sorted[sorted.count / 2]))")
        #expect(gains.count >= 10 && mean > 0.3, "rows \(gains.count), mean recovered share \(mean)")
    }

    @Test("On a linear network with one coupling, coupled CROWN equals the LP optimum; an empty region gives a positive bound")
    func linearNetworkIsExact() throws {
        for seed in UInt64(1400)..<1420 {
            let kind: BoxKind = [.ordinary, .tiny, .huge, .oneSided][Int(seed % 4)]
            let inst = Self.instance(seed: seed, kind: kind, linear: true, couplings: 1)
            let coupled = CROWN(network: inst.network).coupled(with: InputCouplings(inst.couplings, box: inst.box))
            let input = inst.box.intervalBatch
            let bound = coupled.lowerBound(of: inst.network.output, objective: inst.objective, constant: inst.constant,
                                           input: input, bounds: coupled.intermediateBounds(input: input))
            let lp = try ObjectiveLP(network: inst.network).minimumOfEachRow(inst.rows, box: inst.box, inputConstraints: inst.couplings)
            for i in 0..<inst.objective.rows {
                guard let opt = lp[i].lpValue else { Issue.record("\(kind) seed \(seed): LP \(lp[i].status)"); continue }
                let scale = 1 + abs(opt) + inst.box.upper.map(abs).max()! + inst.box.lower.map(abs).max()!
                #expect(bound.lower[0, i] <= opt + 1e-6 * scale, "\(kind) seed \(seed) row \(i): \(bound.lower[0, i]) above \(opt)")
                #expect(bound.lower[0, i] >= opt - 1e-6 * scale, "\(kind) seed \(seed) row \(i): \(bound.lower[0, i]) below \(opt)")
            }
        }
        // x0 + x1 <= -3 on [0, 1]²: no input satisfies it, so every objective is bounded above 0.
        let network = reluNetwork([(weight: [[1, 0], [0, 1]], bias: [0, 0]), (weight: [[1, 1]], bias: [0])])
        let box = InputBox(lower: [0, 0], upper: [1, 1])
        let crown = CROWN(network: network).coupled(with: InputCouplings([LinearConstraint(coefficients: [1, 1], constant: 3)], box: box))
        let inter = crown.intermediateBounds(input: box.intervalBatch)
        let bound = crown.lowerBound(of: network.output, objective: Matrix(rows: 1, cols: 1, data: [-1]), constant: [0],
                                     input: box.intervalBatch, bounds: inter)
        #expect(bound.lower[0, 0] > 0)
    }

    /// `y = relu(x0) + relu(x1)` on `[0, 1]²`, unsafe where `y >= 1.5`, under `x0 + x1 <= 1`: CROWN alone
    /// proves it once it sees the coupling (box-only CROWN cannot: the box reaches `y = 2`).
    @Test("CROWN with the coupling decides what the box alone cannot")
    func couplingDecidesInCROWN() throws {
        let network = reluNetwork([(weight: [[1, 0], [0, 1]], bias: [0, 0]), (weight: [[1, 1]], bias: [0])])
        let box = InputBox(lower: [0, 0], upper: [1, 1])
        let sum = LinearConstraint(coefficients: [1, 1], constant: -1)
        let plain = CROWN(network: network)
        let coupled = plain.coupled(with: InputCouplings([sum], box: box))
        let objective = Matrix(rows: 1, cols: 1, data: [-1])
        for (crown, proves) in [(plain, false), (coupled, true)] {
            let inter = crown.intermediateBounds(input: box.intervalBatch)
            let b = crown.lowerBound(of: network.output, objective: objective, constant: [1.5], input: box.intervalBatch, bounds: inter)
            #expect((b.lower[0, 0] > 0) == proves, "bound \(b.lower[0, 0])")
        }
        #expect(InputCouplings([], box: box) == nil)
    }
}
