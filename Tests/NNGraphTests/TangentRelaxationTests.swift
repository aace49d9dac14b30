import Foundation
import NNGraph
import Testing
import TestSupport

/// The parameterised sigmoid/tanh relaxation: every parameter gives lines that enclose the function,
/// tangent lines touch it, the admissible ranges are tight, and the derivatives are right.
@Suite struct TangentRelaxationTests {
    static let activations: [any SShapedActivation] = [Sigmoid(size: 1), Tanh(size: 1)]

    /// Intervals of every kind: degenerate, tiny, huge, convex only, concave only, straddling 0
    /// (balanced and lopsided), far in the tails, plus random ones.
    static func intervals(seed: UInt64) -> [(Double, Double)] {
        var list: [(Double, Double)] = [
            (0, 0), (1.5, 1.5), (-2, -2), (0.3, 0.3 + 1e-12), (-1e-10, 1e-10), (2, 2 + 1e-8), (-1e-7, 2e-7),
            (-1000, 1000), (-500, 3), (-3, 700), (-60, -40), (40, 60), (-800, -1), (1, 900),
            (-5, -0.1), (-3, 0), (0, 4), (0.2, 6), (-1, 1), (-0.01, 0.02), (-8, 0.5), (-0.5, 8), (-4, 4),
            (-20, 0.1), (-0.1, 20), (-30, 30),
        ]
        var rng = SeededGenerator(seed: seed)
        for _ in 0..<300 {
            let scale = [0.01, 1, 5, 30][Int.random(in: 0..<4, using: &rng)]
            let a = rng.uniform(-scale, scale), b = rng.uniform(-scale, scale)
            list.append((min(a, b), max(a, b)))
        }
        return list
    }

    /// Points where a line is checked: a grid, both ends, 0 and the tangent point.
    static func samples(_ l: Double, _ u: Double, extra: [Double]) -> [Double] {
        var xs = (0...200).map { l + (u - l) * Double($0) / 200 } + [l, u] + extra
        if l < 0 && u > 0 { xs.append(0) }
        return xs.filter { $0 >= l && $0 <= u }
    }

    @Test func everyParameterGivesLinesThatEncloseTheFunction() {
        var rng = SeededGenerator(seed: 3)
        var tangentsChecked = 0
        for act in Self.activations {
            let list = Self.intervals(seed: 2)
            let ranges = act.tangentRanges(lower: list.map(\.0), upper: list.map(\.1))
            for (k, (l, u)) in list.enumerated() {
                let h = max(abs(l), abs(u))
                let parameters = [0, 1, 0.5, rng.uniform(0, 1), rng.uniform(0, 1), -0.3, 1.7, .nan]
                for p in parameters {
                    for isLower in [true, false] {
                        let line = act.tangentLine(lower: isLower, parameter: p, neuron: k, ranges: ranges)
                        #expect(line.slope.isFinite && line.intercept.isFinite && line.slope >= 0)
                        // The same allowance the bound computations add for sigmoid/tanh lines.
                        let allowance = 16 * (Double.ulpOfOne / 2) * (1 + abs(line.slope) * h + abs(line.intercept))
                        var touch: [Double] = []
                        let isTangent = isLower ? ranges.lowerIsTangent[k] : ranges.upperIsTangent[k]
                        if isTangent {
                            let (from, to) = isLower ? (ranges.lowerFrom[k], ranges.lowerTo[k]) : (ranges.upperFrom[k], ranges.upperTo[k])
                            let q = p.isNaN ? 0.5 : min(max(p, 0), 1)
                            touch = [from + q * (to - from)]
                        }
                        for x in Self.samples(l, u, extra: touch) {
                            let f = act.value(x), y = line.slope * x + line.intercept
                            if isLower {
                                #expect(y <= f + allowance, "\(act.kind) lower line p=\(p) above f at \(x) on [\(l), \(u)] by \(y - f)")
                            } else {
                                #expect(y >= f - allowance, "\(act.kind) upper line p=\(p) below f at \(x) on [\(l), \(u)] by \(f - y)")
                            }
                        }
                        // A tangent touches f at its point (within the margin and rounding).
                        if let t = touch.first, t >= l, t <= u {
                            tangentsChecked += 1
                            let gap = abs(line.slope * t + line.intercept - act.value(t))
                            #expect(gap < 1e-11 * (1 + h), "\(act.kind) tangent at \(t) misses f by \(gap) on [\(l), \(u)]")
                        }
                    }
                }
            }
        }
        #expect(tangentsChecked > 2000)
    }

    /// The kinds of lines per interval: tangents where the curvature allows, chords elsewhere, and
    /// the ends of the admissible ranges across 0 touch the opposite end point.
    @Test func admissibleRangesAreTight() {
        for act in Self.activations {
            let list = Self.intervals(seed: 4).filter { $0.1 - $0.0 > 1e-6 }
            let r = act.tangentRanges(lower: list.map(\.0), upper: list.map(\.1))
            for (k, (l, u)) in list.enumerated() {
                if u <= 0 {
                    #expect(r.lowerIsTangent[k] && !r.upperIsTangent[k] && r.lowerFrom[k] == l && r.lowerTo[k] == u)
                } else if l >= 0 {
                    #expect(r.upperIsTangent[k] && !r.lowerIsTangent[k] && r.upperFrom[k] == l && r.upperTo[k] == u)
                } else {
                    if r.upperIsTangent[k] {
                        let d = r.upperFrom[k], s = act.derivatives(d).first
                        #expect(d >= 0 && d <= u)
                        // The tangent at d passes through (l, f(l)) unless d is u (the tangent at u is
                        // admissible only within rounding).
                        if d < u {
                            #expect(abs(act.value(d) + s * (l - d) - act.value(l)) < 1e-9 * (1 + abs(l)), "\(act.kind) upper start on [\(l), \(u)]")
                        }
                    } else {
                        // The chord is an upper line: the tangent at u passes below f(l).
                        #expect(act.value(u) + act.derivatives(u).first * (l - u) < act.value(l))
                    }
                    if r.lowerIsTangent[k] {
                        let d = r.lowerTo[k], s = act.derivatives(d).first
                        #expect(d <= 0 && d >= l)
                        if d > l {
                            #expect(abs(act.value(d) + s * (u - d) - act.value(u)) < 1e-9 * (1 + abs(u)), "\(act.kind) lower end on [\(l), \(u)]")
                        }
                    } else {
                        #expect(act.value(l) + act.derivatives(l).first * (u - l) > act.value(u))
                    }
                }
            }
        }
    }

    /// `derivatives` agrees with central differences of `value` and of itself, in the tails too.
    @Test func derivativesMatchFiniteDifferences() {
        for act in Self.activations {
            for x in [-30.0, -7, -2.5, -0.7, -1e-3, 0, 1e-3, 0.4, 1.9, 6, 25] {
                let h = 1e-5 * max(1, abs(x))
                let (d1, d2) = act.derivatives(x)
                let numeric1 = (act.value(x + h) - act.value(x - h)) / (2 * h)
                let numeric2 = (act.derivatives(x + h).first - act.derivatives(x - h).first) / (2 * h)
                #expect(abs(d1 - numeric1) <= 1e-6 * max(abs(d1), 1e-12) + 1e-11, "\(act.kind) f'(\(x))")
                #expect(abs(d2 - numeric2) <= 1e-5 * max(abs(d2), 1e-12) + 1e-10, "\(act.kind) f''(\(x))")
                #expect(abs(d1 - act.derivative(x)) <= 1e-12)
            }
        }
    }

    /// The line's slope and intercept derivatives with respect to its parameter match central
    /// differences where the line is a tangent.
    @Test func lineDerivativesMatchFiniteDifferences() {
        var compared = 0
        for act in Self.activations {
            let list = Self.intervals(seed: 6).filter { $0.1 - $0.0 > 0.05 && max(abs($0.0), abs($0.1)) < 20 }
            let r = act.tangentRanges(lower: list.map(\.0), upper: list.map(\.1))
            for k in list.indices {
                for isLower in [true, false] where isLower ? r.lowerIsTangent[k] : r.upperIsTangent[k] {
                    for p in [0.2, 0.5, 0.8] {
                        let h = 1e-6
                        let line = act.tangentLine(lower: isLower, parameter: p, neuron: k, ranges: r)
                        let up = act.tangentLine(lower: isLower, parameter: p + h, neuron: k, ranges: r)
                        let down = act.tangentLine(lower: isLower, parameter: p - h, neuron: k, ranges: r)
                        let ds = (up.slope - down.slope) / (2 * h), dc = (up.intercept - down.intercept) / (2 * h)
                        #expect(abs(ds - line.slopeDerivative) < 1e-6 * (1 + abs(ds)), "\(act.kind) ds/dp")
                        #expect(abs(dc - line.interceptDerivative) < 1e-6 * (1 + abs(dc)), "\(act.kind) dc/dp")
                        compared += 1
                    }
                }
            }
        }
        #expect(compared > 500)
    }
}
