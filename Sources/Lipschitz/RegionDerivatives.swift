import Bounds
import Foundation
import LinearAlgebra
import NNGraph

/// The derivative intervals of every activation over an input box: pre-activation bounds from CROWN
/// (intersected with IBP; Sources/Bounds, sound in floating point), then each activation's Clarke
/// derivative range on them (``DerivativeRange``).
public struct RegionDerivatives: Sendable {
    /// Per activation node: lower and upper derivative per neuron.
    public let ranges: [Int: (low: [Double], high: [Double])]

    /// Activation neurons whose derivative is not a single value over the box.
    public var unstableCount: Int {
        ranges.values.reduce(0) { total, r in total + zip(r.low, r.high).filter { $0 < $1 }.count }
    }

    /// - Parameter optimiseUntil: when given, the pre-activation bounds are α-CROWN's
    ///   (``CROWN/optimisedIntermediateBounds(input:known:options:neuronLimit:)``, at least as tight as
    ///   CROWN's, sound at every iterate) until then; fewer unstable neurons mean fewer derivative
    ///   intervals in the Jacobian graph.
    public init(graph: JacobianNetwork, lower: [Double], upper: [Double], deadline: Date? = nil, optimiseUntil: Date? = nil) {
        let box = IntervalMatrix(lower: Matrix(rows: 1, cols: lower.count, data: lower),
                                 upper: Matrix(rows: 1, cols: upper.count, data: upper))
        let crown = CROWN(network: graph.network)
        let bounds: [ValueID: IntervalMatrix]
        if let optimiseUntil {
            var o = BoundOptimisation()
            o.deadline = deadline.map { min($0, optimiseUntil) } ?? optimiseUntil
            bounds = crown.optimisedIntermediateBounds(input: box, options: o)
        } else {
            bounds = crown.intermediateBounds(input: box, deadline: deadline)
        }
        self.init(graph: graph, preActivation: bounds)
    }

    /// From pre-activation bounds already known (one row each).
    public init(graph: JacobianNetwork, preActivation bounds: [ValueID: IntervalMatrix]) {
        var ranges = [Int: (low: [Double], high: [Double])]()
        for i in graph.activationNodes {
            let v = graph.preActivation(ofNode: i)
            let n = graph.network.size(of: v)
            let b = bounds[v]
            let lower = b.map { Array($0.lower.data.prefix(n)) } ?? [Double](repeating: -.infinity, count: n)
            let upper = b.map { Array($0.upper.data.prefix(n)) } ?? [Double](repeating: .infinity, count: n)
            ranges[i] = DerivativeRange.bounds(graph.network.nodes[i].op, lower: lower, upper: upper)!
        }
        self.ranges = ranges
    }
}
