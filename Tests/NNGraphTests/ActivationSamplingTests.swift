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
    ] + smooth

    /// The smooth (and step) activations, with several exponents of Pow.
    static let smooth: [any ElementwiseActivation] = [
        Exp(size: 1), Log(size: 1), Reciprocal(size: 1), Sqrt(size: 1), Softplus(size: 1), Sin(size: 1), Cos(size: 1),
        Erf(size: 1), Softsign(size: 1), Sign(size: 1),
        Pow(size: 1, exponent: 2), Pow(size: 1, exponent: 3), Pow(size: 1, exponent: 4), Pow(size: 1, exponent: 5),
        Pow(size: 1, exponent: 0.5), Pow(size: 1, exponent: 1.5), Pow(size: 1, exponent: 0.3), Pow(size: 1, exponent: -1),
        Pow(size: 1, exponent: -2), Pow(size: 1, exponent: -3),
        Gelu(size: 1), Gelu(size: 1, scale: -0.7, erfScale: 2.3), Gelu(size: 1, scale: 1, erfScale: 0.7071067690849304),
        GeluTanh(size: 1), SiLU(size: 1), SiLU(size: 1, scale: -2.5),
    ]

    static let smoothKinds: Set<String> = Set(smooth.map(\.kind))

    /// Intervals specific to the smooth operators: multiples of π/2 and wider than 2π (Sin, Cos); touching
    /// or crossing 0 and subnormal (Log, Reciprocal, Sqrt, Pow); near overflow (Exp, Pow); infinite ends.
    static func smoothIntervals() -> [(Double, Double)] {
        let h = Double.pi / 2
        var list: [(Double, Double)] = [
            (0, h), (h, 2 * h), (-h, h), (2 * h, 4 * h), (0, 4 * h), (-6 * h, 6 * h + 1), (-1, 7), (1e6, 1e6 + 7),
            (4 * h - 1e-9, 4 * h + 1e-9), (h - 1e-12, h + 1e-12), (3 * h, 3 * h), (-h, -h), (1e11, 1e11 + 2), (-20, -14),
            (0, 1), (-1, 0), (-1e-300, 1e-300), (1e-310, 1), (-2, -1e-320), (1e-5, 1e5), (5e-324, 5e-324), (-0.001, 1e4),
            (700, 710), (709, 709.8), (709.7, 800), (-800, -700), (-1e6, 710), (1e154, 1e155), (-1e155, 1e154),
            (-2.5, 2.5), (-0.8, -0.7), (1.414, 5), (-3, 0), (-1.42, 1.42), (-2.4, 2.41), (-30, 1), (-1, 30),
            (-.infinity, 0), (0, .infinity), (-.infinity, .infinity), (-.infinity, -3), (2, .infinity), (-.infinity, 4),
        ]
        for k in -4...4 { list += [(Double(k) * h, Double(k + 1) * h), (Double(k) * h - 0.3, Double(k) * h + 0.3)] }
        return list
    }

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
        if smoothKinds.contains(act.kind) { list += smoothIntervals() }
        var rng = SeededGenerator(seed: seed)
        for _ in 0..<300 {
            let scale = [0.01, 1, 5, 30, 1e4][Int.random(in: 0..<5, using: &rng)]
            let a = rng.uniform(-scale, scale), b = rng.uniform(-scale, scale)
            list.append((min(a, b), max(a, b)))
        }
        return list
    }

    static func samples(_ l: Double, _ u: Double, _ act: any ElementwiseActivation) -> [Double] {
        if !l.isFinite || !u.isFinite || !(u - l).isFinite {
            // Finite points of an infinite interval: steps away from a finite end, or a spread of magnitudes.
            let steps = [0.0, 1e-300, 1e-6, 0.5, 1, 3, 10, 100, 709, 710, 1e4, 1e10, 1e300]
            var xs = [Double]()
            if l.isFinite { xs += steps.map { l + $0 } }
            if u.isFinite { xs += steps.map { u - $0 } }
            if !l.isFinite && !u.isFinite { xs += steps + steps.map { -$0 } }
            if l <= 0 && u >= 0 { xs += [0, -0.0] }
            return xs.filter { $0 >= l && $0 <= u && $0.isFinite }
        }
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

    /// Whether `line` (already moved outward by its defect) is a valid lower bound of the computed `f`
    /// with value error `e` and line error `le`: NaN never is; `−∞` always is; `+∞` never is (the exact
    /// function is finite wherever its computed value is, or overflows from a finite exact value).
    static func isBelow(_ line: Double, _ f: Double, _ e: Double, _ le: Double) -> Bool {
        if line.isNaN || f.isNaN || line == .infinity { return false }
        if line == -.infinity || f == .infinity { return true }
        if f == -.infinity { return false }
        return line <= f + e + le
    }

    /// The mirror image of ``isBelow(_:_:_:_:)``.
    static func isAbove(_ line: Double, _ f: Double, _ e: Double, _ le: Double) -> Bool {
        isBelow(-line, -f, e, le)
    }

    /// No NaN anywhere in a line or its defect, no infinite slope, no intercept infinite on the wrong side.
    static func lineIsNumber(lower: Bool, _ s: Double, _ c: Double, _ d: Double) -> Bool {
        s.isFinite && !c.isNaN && c != (lower ? .infinity : -.infinity) && !d.isNaN && d >= 0
    }

    @Test func intervalMapsEncloseEverySample() {
        for act in Self.activations {
            for (l, u) in Self.intervals(for: act, seed: 11) {
                let box = IntervalMatrix(lower: Matrix(rows: 1, cols: 1, data: [l]), upper: Matrix(rows: 1, cols: 1, data: [u]))
                let image = act.interval([box])
                let (lo, hi) = (image.lower.data[0], image.upper.data[0])
                let finiteInput = l.isFinite && u.isFinite
                if Self.smoothKinds.contains(act.kind) || finiteInput {
                    #expect(!lo.isNaN && !hi.isNaN && lo != .infinity && hi != -.infinity,
                            "\(act.kind): interval [\(lo), \(hi)] of [\(l), \(u)] is not a pair of numbers")
                }
                for x in Self.samples(l, u, act) {
                    let (f, e) = Self.value(act, x)
                    let loE = lo.isFinite ? act.valueRoundingError * abs(lo) : 0, hiE = hi.isFinite ? act.valueRoundingError * abs(hi) : 0
                    #expect(Self.isBelow(lo, f, e.isFinite ? e : 0, loE) && Self.isAbove(hi, f, e.isFinite ? e : 0, hiE),
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
                    if Self.smoothKinds.contains(act.kind) || (l.isFinite && u.isFinite) {
                        #expect(Self.lineIsNumber(lower: true, rx.lowerSlope[k], rx.lowerIntercept[k], defects.lower[k])
                                && Self.lineIsNumber(lower: false, rx.upperSlope[k], rx.upperIntercept[k], defects.upper[k]),
                                "\(act.kind) variant \(variant): lines on [\(l), \(u)] are not numbers: \(rx[k]), defects \(defects.lower[k]), \(defects.upper[k])")
                    }
                    for x in Self.samples(l, u, act) {
                        let (f, e) = Self.value(act, x)
                        let below = rx.lowerSlope[k] * x + rx.lowerIntercept[k] - defects.lower[k]
                        let above = rx.upperSlope[k] * x + rx.upperIntercept[k] + defects.upper[k]
                        #expect(Self.isBelow(below, f, e, Self.lineError(rx.lowerSlope[k], rx.lowerIntercept[k], x)),
                                "\(act.kind) variant \(variant): lower line above f at \(x) on [\(l), \(u)]")
                        #expect(Self.isAbove(above, f, e, Self.lineError(rx.upperSlope[k], rx.upperIntercept[k], x)),
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
                if Self.smoothKinds.contains(act.kind) || (l.isFinite && u.isFinite) {
                    #expect(Self.lineIsNumber(lower: r % 2 == 0, s, c, d), "\(act.kind): family line \(s)·x + \(c) (defect \(d)) on [\(l), \(u)]")
                }
                for x in Self.samples(l, u, act) {
                    let (f, e) = Self.value(act, x)
                    if r % 2 == 0 {
                        #expect(Self.isBelow(s * x + c - d, f, e, Self.lineError(s, c, x)), "\(act.kind): family lower line above f at \(x) on [\(l), \(u)]")
                    } else {
                        #expect(Self.isAbove(s * x + c + d, f, e, Self.lineError(s, c, x)), "\(act.kind): family upper line below f at \(x) on [\(l), \(u)]")
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
                    // A line with an infinite intercept (Log, Reciprocal across 0) has no parameter.
                    if !at.intercept.data[r].isFinite { continue }
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
