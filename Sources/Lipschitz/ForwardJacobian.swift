import LinearAlgebra
import NNGraph

/// The forward interval pass through the Jacobian graph, for one domain: encloses `∂v/∂x` for every value
/// `v` as an interval matrix, starting from the identity at the input, and returns the enclosure of
/// `c·∂y/∂x` for each objective row. It loses correlations along different paths than the backward pass
/// (it keeps each input's column separate), so the two enclosures are intersected (both hold).
///
/// Stored transposed (`inputSize × size(v)`), so that a linear step is the backward pass's
/// ``IntervalJacobian/linearStep(_:_:_:)`` with `Jᵀ`, and an activation step multiplies every row by the
/// same derivative intervals: the same rounding analysis applies.
extension IntervalJacobian {
    func forward(objective: Matrix, derivatives: [Int: (low: [Double], high: [Double])]) -> IntervalRows {
        let network = graph.network
        let n = network.inputSize
        var values = [IntervalRows?](repeating: nil, count: network.nodes.count + 1)
        values[0] = IntervalRows(mid: Matrix.identity(n), rad: Matrix(rows: n, cols: n))
        for (i, node) in network.nodes.enumerated() where graph.reachesOutput[i] {
            if let blocks = graph.jacobians[i], let absBlocks = graph.absoluteJacobians[i] {
                var total: IntervalRows?
                for (k, v) in node.inputs.enumerated() {
                    guard let t = values[v] else { continue }
                    let part = Self.linearStep(t, blocks[k].transposed, absBlocks[k].transposed)
                    if total == nil { total = part } else { total!.accumulate(part) }
                }
                values[i + 1] = total
            } else if let t = values[node.inputs[0]], let d = derivatives[i] {
                let low = Matrix(rows: n, cols: d.low.count, data: (0..<n).flatMap { _ in d.low })
                let high = Matrix(rows: n, cols: d.high.count, data: (0..<n).flatMap { _ in d.high })
                values[i + 1] = Self.activationStep(t, low: low, high: high).0
            }
        }
        // A network whose output does not depend on the input has a zero Jacobian.
        let out = values[network.output] ?? IntervalRows(mid: Matrix(rows: n, cols: network.outputSize),
                                                         rad: Matrix(rows: n, cols: network.outputSize))
        let c = objective.transposed
        let g = Self.linearStep(out, c, c.map(abs))  // n × R: column r is row r's gradient
        return IntervalRows(mid: g.mid.transposed, rad: g.rad.transposed)
    }
}
