import Foundation
import LinearAlgebra
import NNGraph
import Testing
import TestSupport

/// Every activation operator of the IR, sampled: its interval map, every fixed relaxation variant and its
/// line family with random parameters enclose the function (each line moved outward by the defect it
/// reports) at dense samples of ordinary, tiny, huge, one-sided and degenerate intervals, and intervals
/// that end at or straddle breakpoints. Family derivatives match finite differences.
@Suite struct ActivationSamplingTests {
    /// One instance of every activation type, with parameters that exercise each shape (a concave
    /// LeakyReLU, one-sided and collapsed Clips).
    static let activations: [any ElementwiseActivation] = TestActivation.allCases.map { $0.op(size: 1) } + [
        LeakyReLU(size: 1, alpha: 1.7), LeakyReLU(size: 1, alpha: -0.4), LeakyReLU(size: 1, alpha: 0.01),
        Clip(size: 1, lower: 0, upper: 6), Clip(size: 1, lower: -1, upper: nil), Clip(size: 1, lower: nil, upper: 2.5),
        Clip(size: 1, lower: 0.5, upper: 0.5), Clip(size: 1, lower: 1, upper: -1),
    ]

    /// Breakpoints of a piecewise-linear activation (none for smooth ones).
    static func breakpoints(_ act: any ElementwiseActivation) -> [Double] {
        (act as? any PiecewiseLinearActivation)?.pieces.breakpoints ?? []
    }

    static func intervals(for act: any ElementwiseActivation, seed: UInt64) -> [(Double, Double)] {
        var list: [(Double, Double)] = [
            (0, 0), (1.5, 1.5), (-2, -2), (0.3, 0.3 + 1e-12), (-1e-10, 1e-10), (-1e-7, 2e-7), (-1e6, 1e6),
            (-500, 3), (-3, 700), (0, 5), (-5, 0), (2, 9), (-9, -2), (-1, 1), (-8, 0.5), (-0.5, 8), (1e-300, 1e-299),
        ]
        for b in breakpoints(act) {
            list += [(b, b), (b, b + 1), (b - 1, b), (b - 1e-9, b + 1e-9), (b - 3, b + 0.2), (b - 0.2, b + 3)]
        }
        var rng = SeededGenerator(seed: seed)
        for _ in 0..<300 {
            let scale = [0.01, 1, 5, 30, 1e4][Int.random(in: 0..<5, using: &rng)]
            let a = rng.uniform(-scale, scale), b = rng.uniform(-scale, scale)
            list.append((min(a, b), max(a, b)))
        }
        return list
    }

    static func samples(_ l: Double, _ u: Double, _ act: any ElementwiseActivation) -> [Double] {
        var xs = (0...100).map { l + (u - l) * Double($0) / 100 } + [l, u]
        xs += breakpoints(act).filter { $0 >= l && $0 <= u }
        if l < 0 && u > 0 { xs.append(0) }
        return xs.filter { $0 >= l && $0 <= u }
    }

    /// `f(x)` computed, and how far it may be from exact `f(x)`.
    static func value(_ act: any ElementwiseActivation, _ x: Double) -> (f: Double, error: Double) {
        let f = act.value(x)
        return (f, act.valueRoundingError * abs(f) + 1e-300)
    }

    /// How far a computed `s·x + c` may be from the exact one.
    static func lineError(_ s: Double, _ c: Double, _ x: Double) -> Double {
        4 * LineDefect.unit * (abs(s * x) + abs(c)) + 1e-300
    }

    @Test func intervalMapsEncloseEverySample() {
        for act in Self.activations {
            for (l, u) in Self.intervals(for: act, seed: 11) {
                let box = IntervalMatrix(lower: Matrix(rows: 1, cols: 1, data: [l]), upper: Matrix(rows: 1, cols: 1, data: [u]))
                let image = act.interval([box])
                let (lo, hi) = (image.lower.data[0], image.upper.data[0])
                for x in Self.samples(l, u, act) {
                    let (f, e) = Self.value(act, x)
                    #expect(f >= lo - e - act.valueRoundingError * abs(lo) && f <= hi + e + act.valueRoundingError * abs(hi),
                            "\(act.kind): f(\(x)) = \(f) outside [\(lo), \(hi)] on [\(l), \(u)]")
                }
            }
        }
    }

    @Test func fixedRelaxationsEncloseEverySample() {
        for act in Self.activations {
            let list = Self.intervals(for: act, seed: 12)
            let lower = list.map(\.0), upper = list.map(\.1)
            for variant in 0..<act.relaxationVariants {
                let rx = act.relaxations(lower: lower, upper: upper, variant: variant)
                let defects = act.lineDefects(lower: lower, upper: upper, relaxation: rx)
                for (k, (l, u)) in list.enumerated() {
                    for x in Self.samples(l, u, act) {
                        let (f, e) = Self.value(act, x)
                        let below = rx.lowerSlope[k] * x + rx.lowerIntercept[k] - defects.lower[k]
                        let above = rx.upperSlope[k] * x + rx.upperIntercept[k] + defects.upper[k]
                        #expect(below <= f + e + Self.lineError(rx.lowerSlope[k], rx.lowerIntercept[k], x),
                                "\(act.kind) variant \(variant): lower line above f at \(x) on [\(l), \(u)]")
                        #expect(above >= f - e - Self.lineError(rx.upperSlope[k], rx.upperIntercept[k], x),
                                "\(act.kind) variant \(variant): upper line below f at \(x) on [\(l), \(u)]")
                    }
                }
            }
        }
    }

    @Test func lineFamiliesEncloseEverySampleForAnyParameter() {
        var rng = SeededGenerator(seed: 13)
        var families = 0
        for act in Self.activations {
            let list = Self.intervals(for: act, seed: 14)
            let lower = list.map(\.0), upper = list.map(\.1)
            guard let family = act.lineFamily(lower: lower, upper: upper) else { continue }
            families += 1
            // Rows: every interval twice (a positive and a negative coefficient), random parameters,
            // including values outside [0, 1] that must be clamped.
            let rows = 2 * list.count
            let rowDomain = (0..<rows).map { $0 / 2 }
            let a = Matrix(rows: rows, cols: 1, data: (0..<rows).map { $0 % 2 == 0 ? 1 : -1 })
            let p = Matrix(rows: rows, cols: 1, data: (0..<rows).map { _ in rng.uniform(-0.2, 1.2) })
            let lines = family.lines(coefficients: a, lowerParameters: p, upperParameters: p, rowDomain: rowDomain,
                                     derivatives: false)
            for r in 0..<rows {
                let (l, u) = list[rowDomain[r]]
                let (s, c, d) = (lines.slope.data[r], lines.intercept.data[r], lines.defect.data[r])
                for x in Self.samples(l, u, act) {
                    let (f, e) = Self.value(act, x)
                    if r % 2 == 0 {
                        #expect(s * x + c - d <= f + e + Self.lineError(s, c, x), "\(act.kind): family lower line above f at \(x) on [\(l), \(u)]")
                    } else {
                        #expect(s * x + c + d >= f - e - Self.lineError(s, c, x), "\(act.kind): family upper line below f at \(x) on [\(l), \(u)]")
                    }
                }
            }
        }
        #expect(families >= 6, "every activation but the collapsed ones offers a family")
    }

    /// Derivatives of slope and intercept with respect to the parameter, against central differences,
    /// away from the points where the touched vertex (or tangent case) changes.
    @Test func lineFamilyDerivativesMatchFiniteDifferences() {
        var rng = SeededGenerator(seed: 15)
        var checked = 0
        for act in Self.activations {
            let list: [(Double, Double)] = [(-2, 3), (-3, 1), (-0.7, 4), (-5, -0.5), (0.5, 6), (-1.5, 1.5)]
            let lower = list.map(\.0), upper = list.map(\.1)
            guard let family = act.lineFamily(lower: lower, upper: upper) else { continue }
            let rowDomain = Array(list.indices) + Array(list.indices)
            let a = Matrix(rows: rowDomain.count, cols: 1, data: rowDomain.indices.map { $0 < list.count ? 1 : -1 })
            for _ in 0..<20 {
                let p = Matrix(rows: rowDomain.count, cols: 1, data: rowDomain.map { _ in rng.uniform(0.1, 0.9) })
                let h = 1e-6
                func shifted(_ delta: Double) -> ChosenLines {
                    family.lines(coefficients: a, lowerParameters: p.map { $0 + delta }, upperParameters: p.map { $0 + delta },
                                 rowDomain: rowDomain, derivatives: false)
                }
                let at = family.lines(coefficients: a, lowerParameters: p, upperParameters: p, rowDomain: rowDomain, derivatives: true)
                let (up, down) = (shifted(h), shifted(-h))
                for r in rowDomain.indices {
                    let ds = (up.slope.data[r] - down.slope.data[r]) / (2 * h)
                    let dc = (up.intercept.data[r] - down.intercept.data[r]) / (2 * h)
                    // Where the touched vertex changes inside [p − h, p + h] the difference is not a derivative.
                    let kink = abs((up.intercept.data[r] - at.intercept.data[r]) - (at.intercept.data[r] - down.intercept.data[r])) > 1e-9
                    if kink { continue }
                    checked += 1
                    #expect(abs(ds - at.slopeDerivative.data[r]) <= 1e-4 * (1 + abs(ds)), "\(act.kind) slope derivative row \(r)")
                    #expect(abs(dc - at.interceptDerivative.data[r]) <= 1e-4 * (1 + abs(dc)), "\(act.kind) intercept derivative row \(r)")
                }
            }
        }
        #expect(checked > 500)
    }
}
