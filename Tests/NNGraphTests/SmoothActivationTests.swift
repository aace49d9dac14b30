import Foundation
import LinearAlgebra
import NNGraph
import Testing
import TestSupport

/// The smooth activations' derivatives against finite differences, their interval maps' tightness at the
/// extremes of Sin and Cos, and the documented values outside the ONNX domain.
@Suite struct SmoothActivationTests {
    /// Points inside each function's smooth domain (away from 0 for the pole/kink ones).
    static func points(_ act: any ElementwiseActivation) -> [Double] {
        let all: [Double] = [-30, -7.5, -3, -1.7, -1, -0.6, -0.2, -0.01, 0.01, 0.3, 0.9, 1, 2.5, 4, 9, 25, 100]
        switch act.kind {
        case "Log", "Sqrt": return all.filter { $0 > 0 }
        case "Pow": return (act as! Pow).exponent == (act as! Pow).exponent.rounded() ? all.filter { $0 != 0 && abs($0) < 40 } : all.filter { $0 > 0 }
        case "Exp": return all.filter { $0 < 50 }
        default: return all
        }
    }

    @Test func derivativesMatchFiniteDifferences() {
        var checked = 0
        for act in ActivationSamplingTests.smooth {
            for x in Self.points(act) {
                let h = 1e-6 * max(1, abs(x))
                let fd = (act.value(x + h) - act.value(x - h)) / (2 * h)
                let d = act.derivative(x)
                #expect(abs(fd - d) <= 1e-5 * max(1, abs(d)), "\(act.kind): f'(\(x)) = \(d), finite difference \(fd)")
                if let smooth = act as? any SmoothActivation {
                    let fd2 = (act.derivative(x + h) - act.derivative(x - h)) / (2 * h)
                    let d2 = smooth.secondDerivative(x)
                    #expect(abs(fd2 - d2) <= 1e-4 * max(1, abs(d2)), "\(act.kind): f''(\(x)) = \(d2), finite difference \(fd2)")
                }
                if let s = act as? any SShapedActivation {
                    let (d1, d2) = s.derivatives(x)
                    let fd2 = (s.derivatives(x + h).first - s.derivatives(x - h).first) / (2 * h)
                    #expect(abs(d1 - d) <= 1e-12 * max(1, abs(d)))
                    #expect(abs(fd2 - d2) <= 1e-4 * max(1, abs(d2)), "\(act.kind): f''(\(x)) = \(d2), finite difference \(fd2)")
                }
                checked += 1
            }
        }
        #expect(checked > 250)
    }

    /// The network gradient (vector–Jacobian product) of each operator is its derivative.
    @Test func operatorGradientIsTheDerivative() {
        for act in ActivationSamplingTests.smooth {
            let xs = Self.points(act)
            let x = Matrix(rows: 1, cols: xs.count, data: xs)
            let op = act.resized(xs.count)
            let g = op.gradient(inputs: [x], output: op.forward([x]), outputGradient: Matrix(rows: 1, cols: xs.count, data: [Double](repeating: 2, count: xs.count)))[0]
            for (k, v) in xs.enumerated() { #expect(g.data[k] == 2 * act.derivative(v), "\(act.kind) at \(v)") }
        }
    }

    /// Erf's derivatives stay accurate in the tails (the tangent lines rely on it): against
    /// `(2/√π)·e^(−x²)` evaluated with `x²` exact (x a multiple of 2⁻⁸).
    @Test func erfDerivativeIsAccurateInTheTails() {
        for x in stride(from: -26.0, through: 26.0, by: 0.25) {
            let d = Erf(size: 1).derivatives(x).first
            let exact = 1.1283791670955126 * exp(-(x * x))   // x·x exact for these x
            #expect(abs(d - exact) <= 64 * LineDefect.unit * exact + 1e-320, "erf'(\(x))")
        }
        #expect(Erf(size: 1).derivatives(.infinity).first == 0)
        #expect(Erf(size: 1).derivatives(1e200).first == 0)
    }

    static func image(_ act: any ElementwiseActivation, _ l: Double, _ u: Double) -> (Double, Double) {
        let r = act.interval([IntervalMatrix(lower: Matrix(rows: 1, cols: 1, data: [l]), upper: Matrix(rows: 1, cols: 1, data: [u]))])
        return (r.lower.data[0], r.upper.data[0])
    }

    @Test func trigIntervalsFindTheExtremes() {
        let sin = Sin(size: 1), cos = Cos(size: 1), h = Double.pi / 2
        #expect(Self.image(sin, 0, 2) == (0, 1))
        #expect(Self.image(sin, -0.1, 0.1) == (Foundation.sin(-0.1), Foundation.sin(0.1)))
        #expect(Self.image(sin, -1, 7) == (-1, 1))
        #expect(Self.image(sin, 100, 100 + 7) == (-1, 1))
        #expect(Self.image(sin, 3 * h - 0.1, 3 * h + 0.1).0 == -1)
        #expect(Self.image(cos, -0.1, 0.2).1 == 1)
        #expect(Self.image(cos, 0.1, 3).1 == Foundation.cos(0.1))
        #expect(Self.image(cos, 3, 3.3).0 == -1)
        #expect(Self.image(cos, 1e6, 1e6 + 1e-3) == (min(Foundation.cos(1e6), Foundation.cos(1e6 + 1e-3)), max(Foundation.cos(1e6), Foundation.cos(1e6 + 1e-3))))
        #expect(Self.image(sin, -.infinity, 0) == (-1, 1))
        // Exactly at the critical point's Double: the extreme is counted.
        #expect(Self.image(sin, h, h).1 == 1)
        #expect(Self.image(cos, 2 * h, 2 * h + 1e-9).0 == -1)
    }

    @Test func domainEdgesAndOverflowAreHonest() {
        #expect(Self.image(Log(size: 1), -1, 2) == (-.infinity, Foundation.log(2)))
        #expect(Self.image(Log(size: 1), -3, -1) == (-.infinity, -.greatestFiniteMagnitude))
        #expect(Log(size: 1).value(-1) == -.infinity && Log(size: 1).value(0) == -.infinity)
        #expect(Self.image(Reciprocal(size: 1), -1, 2) == (-.infinity, .infinity))
        #expect(Self.image(Reciprocal(size: 1), 0, 2) == (-.infinity, .infinity))
        #expect(Self.image(Reciprocal(size: 1), 0.5, 2) == (0.5, 2))
        #expect(Self.image(Sqrt(size: 1), -4, 9) == (0, 3))
        #expect(Sqrt(size: 1).value(-4) == 0)
        #expect(Self.image(Exp(size: 1), 710, 800) == (.greatestFiniteMagnitude, .infinity))
        #expect(Self.image(Exp(size: 1), -.infinity, 0) == (0, 1))
        #expect(Self.image(Pow(size: 1, exponent: 2), -3, 2) == (0, 9))
        #expect(Self.image(Pow(size: 1, exponent: 3), -3, 2) == (-27, 8))
        #expect(Self.image(Pow(size: 1, exponent: -2), -3, 2) == (-.infinity, .infinity))
        #expect(Self.image(Pow(size: 1, exponent: -1), -3, -1) == (-1, -1.0 / 3))
        #expect(Self.image(Sign(size: 1), -3, 0) == (-1, 0))
        // Lines with an infinite intercept have slope 0 and no NaN anywhere.
        let r = Reciprocal(size: 1).relaxation(lower: -1, upper: 1)
        #expect(r.lowerSlope == 0 && r.lowerIntercept == -.infinity && r.upperSlope == 0 && r.upperIntercept == .infinity)
        let e = Exp(size: 1).relaxation(lower: 0, upper: 800)
        #expect(e.upperIntercept == .infinity && e.upperSlope == 0 && e.lowerSlope.isFinite && e.lowerIntercept.isFinite)
    }

    @Test func powExponentsAreCheckedAndWrittenBack() {
        #expect(Pow.unsupportedReason(-0.5) != nil && Pow.unsupportedReason(0) != nil && Pow.unsupportedReason(1) != nil)
        #expect(Pow.unsupportedReason(65) != nil && Pow.unsupportedReason(.nan) != nil)
        #expect(Pow.unsupportedReason(2) == nil && Pow.unsupportedReason(-3) == nil && Pow.unsupportedReason(2.5) == nil)
        #expect(Pow(size: 1, exponent: 3).onnxForm == ONNXActivationForm(opType: "Pow", scalarInputs: [3]))
        #expect(Pow(size: 1, exponent: 1.5).value(-2) == 0)
    }
}
