import LinearAlgebra
import NNGraph

/// IBP tightness (Mao et al., "Understanding Certified Training with Interval Bound Propagation",
/// ICLR 2024): per output, the radius of the optimal box of a linearisation of the network over an
/// ε-box divided by the radius of the box that interval bound propagation computes for the same
/// linearisation. For a linear map `y = Jx` the optimal box has radius `|J|·ε` per output and IBP's
/// has `|J_L|·…·|J_1|·ε` (on a graph: summed over paths), so the ratio is in `(0, 1]` and independent
/// of ε; 1 means IBP loses nothing.
///
/// - global: every activation replaced by the identity (the deep-linear-network view of the paper);
/// - local (at a clean input): every activation replaced by its derivative there, so inactive ReLUs
///   drop out and active ones pass.
///
/// A diagnostic of the model (how much IBP over-approximates), not a bound: plain floating point.
extension JacobianNetwork {
    /// Global tightness per output.
    public func globalTightness() -> [Double] {
        tightness { node in [Double](repeating: 1, count: network.nodes[node].op.outputSize) }
    }

    /// Local tightness per output at `input`.
    public func localTightness(at input: [Double]) -> [Double] {
        let values = network.evaluateAll(Matrix(rows: 1, cols: input.count, data: input))
        return tightness { node in
            guard let act = network.nodes[node].op as? any ElementwiseActivation else { return [] }
            return values[network.nodes[node].inputs[0]].data.map(act.derivative)
        }
    }

    /// `‖row_i of J‖₁ / (row_i of |J|-chain)·1` for the linearisation with activation slopes `slopes(node)`.
    func tightness(slopes: (Int) -> [Double]) -> [Double] {
        let m = network.outputSize
        let exact = chain(rows: Matrix.identity(m), absolute: false, slopes: slopes)
        let interval = chain(rows: Matrix.identity(m), absolute: true, slopes: slopes)
        return (0..<m).map { i in
            let num = exact.row(i).reduce(0) { $0 + abs($1) }, den = interval.row(i).reduce(0, +)
            return den > 0 ? num / den : 1
        }
    }

    /// `rows·J` through the graph with the given activation slopes; with `absolute`, every block and
    /// slope is replaced by its absolute value (IBP's radius propagation).
    func chain(rows: Matrix, absolute: Bool, slopes: (Int) -> [Double]) -> Matrix {
        var grads = [Matrix?](repeating: nil, count: network.nodes.count + 1)
        grads[network.output] = rows
        for i in stride(from: network.nodes.count - 1, through: 0, by: -1) where reachesOutput[i] {
            guard let g = grads[i + 1] else { continue }
            let node = network.nodes[i]
            var parts = [(ValueID, Matrix)]()
            if let blocks = absolute ? absoluteJacobians[i] : jacobians[i] {
                for (k, v) in node.inputs.enumerated() { parts.append((v, g.multiplied(by: blocks[k]))) }
            } else {
                let s = slopes(i)
                var out = g
                for r in 0..<g.rows { for j in 0..<g.cols { out.data[r * g.cols + j] *= absolute ? abs(s[j]) : s[j] } }
                parts.append((node.inputs[0], out))
            }
            for (v, part) in parts {
                if grads[v] == nil { grads[v] = part } else { grads[v]!.add(part) }
            }
        }
        return grads[0] ?? Matrix(rows: rows.rows, cols: network.inputSize)
    }
}
