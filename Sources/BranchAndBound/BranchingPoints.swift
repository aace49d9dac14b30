import Foundation
import NNGraph

/// Where to split a smooth neuron's interval `[l, u]` (GenBaB's pre-optimised branching points, Shi et
/// al. 2025): per operator, for every interval of a grid over `[−range, range]`, the point that
/// minimises the summed looseness of the two children's relaxations, each child's looseness being the
/// area between its upper and lower line, `∫ (U − L)`. Intervals off the grid, and operators whose lines
/// are not finite on a grid interval, get the midpoint.
///
/// The table of an operator is computed on first use in the process, from the operator's own fixed
/// relaxation, and kept for the rest of the run (``BranchingPointTables``); it costs a few hundred
/// thousand relaxations once (measured in benchmarks/RESULTS.md), nothing per split. Any point strictly
/// inside the interval is sound: the two children cover the parent.
public struct BranchingPointTable: Sendable {
    public static let range = 10.0, step = 0.5
    static let candidates = (1..<16).map { Double($0) / 16 }
    static var gridCount: Int { Int((2 * range / step).rounded()) + 1 }

    /// Fraction of `u − l` at which to split, per grid cell `(i, j)`, `i < j` (NaN: use the midpoint).
    let fractions: [Double]

    public init(_ act: any ElementwiseActivation) {
        let g = Self.gridCount
        var lows = [Double](), highs = [Double](), cells = [Int]()
        for i in 0..<g {
            for j in (i + 1)..<g {
                let l = -Self.range + Double(i) * Self.step, u = -Self.range + Double(j) * Self.step
                for t in Self.candidates {
                    let p = l + t * (u - l)
                    lows += [l, p]
                    highs += [p, u]
                }
                cells.append(i * g + j)
            }
        }
        let rx = act.relaxations(lower: lows, upper: highs, variant: 0)
        func area(_ k: Int) -> Double {
            let (a, b) = (lows[k], highs[k])
            let gapA = (rx.upperSlope[k] - rx.lowerSlope[k]) * a + rx.upperIntercept[k] - rx.lowerIntercept[k]
            let gapB = (rx.upperSlope[k] - rx.lowerSlope[k]) * b + rx.upperIntercept[k] - rx.lowerIntercept[k]
            return 0.5 * (b - a) * (gapA + gapB)
        }
        var fractions = [Double](repeating: .nan, count: g * g)
        let per = 2 * Self.candidates.count
        for (c, cell) in cells.enumerated() {
            var best = Double.infinity, bestT = Double.nan
            for (q, t) in Self.candidates.enumerated() {
                let k = c * per + 2 * q
                let total = area(k) + area(k + 1)
                if total.isFinite && total < best - 1e-12 * abs(best) { best = total; bestT = t }
            }
            fractions[cell] = bestT
        }
        self.fractions = fractions
    }

    /// The split point of `[l, u]`: the nearest grid cell's fraction, or the midpoint.
    public func point(_ l: Double, _ u: Double) -> Double {
        let mid = 0.5 * (l + u)
        let g = Self.gridCount
        guard l >= -Self.range, u <= Self.range, u - l >= Self.step else { return mid }
        let i = Int(((l + Self.range) / Self.step).rounded()), j = Int(((u + Self.range) / Self.step).rounded())
        guard i >= 0, j < g, i < j else { return mid }
        let t = fractions[i * g + j]
        guard t.isFinite else { return mid }
        let p = l + t * (u - l)
        return p > l && p < u ? p : mid
    }
}

/// The branching-point tables of the operators met so far in this process, keyed by the operator's
/// description at size 1 (its kind and constants).
public final class BranchingPointTables: @unchecked Sendable {
    public static let shared = BranchingPointTables()
    private let lock = NSLock()
    private var tables: [String: BranchingPointTable] = [:]
    private var seconds: [(kind: String, seconds: Double)] = []

    public func table(for act: any ElementwiseActivation) -> BranchingPointTable {
        let key = String(describing: act.resized(1))
        lock.lock()
        defer { lock.unlock() }
        if let t = tables[key] { return t }
        let start = Date()
        let t = BranchingPointTable(act.resized(1))
        tables[key] = t
        seconds.append((act.kind, Date().timeIntervalSince(start)))
        return t
    }

    /// The tables built so far in this process and what each cost, e.g. `Sigmoid 41 ms`; nil when none.
    public func buildTimes() -> String? {
        lock.lock()
        defer { lock.unlock() }
        guard !seconds.isEmpty else { return nil }
        return seconds.map { "\($0.kind) \(Int(($0.seconds * 1000).rounded())) ms" }.joined(separator: ", ")
    }
}
