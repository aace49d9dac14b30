import Foundation
import LinearAlgebra
import NNGraph
import VNNLib

/// Options of the projected-gradient attack on a specification's violation margin.
public struct SpecPGDOptions: Sendable {
    /// Independent starts: the box centre first, then uniform random points.
    public var restarts: Int = 16
    /// Gradient steps per start.
    public var steps: Int = 60
    /// First step as a fraction of each dimension's box width; decays geometrically to `finalStep`.
    public var initialStep: Double = 0.1
    public var finalStep: Double = 0.001
    /// Seed of the random starts (runs are reproducible).
    public var seed: UInt64 = 0

    public init() {}
}

/// Projected gradient descent (Madry et al. 2018, signed-gradient L∞ steps) on the violation
/// margin of one ``SpecCase`` (see ``SpecCase/margin(_:)``), all restarts as one batch.
///
/// Returns the first input found whose margin is `<= 0`, or nil. The result is a *candidate*: the
/// caller re-validates it by concrete evaluation before reporting `sat`.
/// - Parameter start: the first start instead of the box centre (e.g. a promising point found elsewhere).
public func specPGD(_ network: Network, _ specCase: SpecCase, options: SpecPGDOptions = SpecPGDOptions(),
                    deadline: Date = .distantFuture, start: [Double]? = nil) -> [Double]? {
    let n = network.inputSize
    let box = specCase.box
    var rng = SplitMix(seed: options.seed)
    var rows = [[Double]]()
    rows.append(start ?? (0..<n).map { 0.5 * (box.lower[$0] + box.upper[$0]) })
    for _ in 1..<max(1, options.restarts) {
        rows.append((0..<n).map { box.lower[$0] + rng.unit() * (box.upper[$0] - box.lower[$0]) })
    }
    var x = Matrix(rowVectors: rows)
    let width = (0..<n).map { box.upper[$0] - box.lower[$0] }
    let steps = max(1, options.steps)
    let decay = steps > 1 ? pow(options.finalStep / options.initialStep, 1 / Double(steps - 1)) : 1
    var step = options.initialStep
    for _ in 0..<steps {
        if Date() >= deadline { return nil }
        var margins = [Double](repeating: 0, count: x.rows)
        let (y, grad) = network.gradient(x) { out in
            var g = Matrix(rows: out.rows, cols: out.cols)
            for r in 0..<out.rows {
                let (m, gy) = specCase.marginGradient(out.row(r))
                margins[r] = m
                for j in 0..<out.cols { g[r, j] = gy[j] }
            }
            return g
        }
        for r in 0..<x.rows where margins[r] <= 0 && specCase.isViolated(by: y.row(r)) { return x.row(r) }
        for r in 0..<x.rows {
            for j in 0..<n {
                let g = grad[r, j]
                let moved = x[r, j] - step * width[j] * (g > 0 ? 1 : (g < 0 ? -1 : 0))
                x[r, j] = min(max(moved, box.lower[j]), box.upper[j])
            }
        }
        step *= decay
    }
    let y = network.evaluate(x)
    for r in 0..<x.rows where specCase.isViolated(by: y.row(r)) { return x.row(r) }
    return nil
}

/// SplitMix64, for reproducible random starts.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed &+ 0x1234_5678 }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}
