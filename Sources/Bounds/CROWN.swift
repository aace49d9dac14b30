import LinearAlgebra
import NNGraph

/// Linear lower bounds of `C·y + d` over a batch of input boxes, in the form the branch-and-bound
/// needs: the bound itself and the linear function of the input that certifies it.
public struct LinearLowerBound: Sendable {
    /// `batch x m`: for every domain `b` and objective row `i`, a value `<= (C y(x) + d)_i` for all x in box `b`.
    public var lower: Matrix
    /// `batch·m x inputSize`: row `b·m + i` holds `a` with `(C y(x) + d)_i >= a·x + c` on box `b`.
    public var inputCoefficients: Matrix
    /// `batch·m`: the constants `c` of those linear functions.
    public var inputConstant: [Double]
    /// Objective rows per domain.
    public let rowsPerDomain: Int
}

/// CROWN linear bound propagation (Zhang et al., "Efficient Neural Network Robustness Certification
/// with General Activation Functions", NeurIPS 2018), batched over many input boxes.
///
/// Every value feeding an activation gets bounds by a backward pass from that value (intersected
/// with IBP and with any bounds known for an enclosing domain); the objective is then bounded by
/// one more backward pass. Matrix work is `cblas_dgemm` on `batch·rows x n` coefficient blocks.
///
/// Soundness: each backward step replaces an activation by linear lines that enclose it on the
/// neuron's interval (``ElementwiseActivation/relaxation(lower:upper:)``) and an affine operator by
/// its exact pull-back, so the final linear function of the input is a valid lower bound, and its
/// minimum over the box is taken exactly.
public struct CROWN: Sendable {
    public let network: Network
    /// Values that feed an activation and so need bounds, ascending.
    public let boundedValues: [ValueID]

    public init(network: Network) {
        self.network = network
        var needed = Set<ValueID>()
        for node in network.nodes where node.op is any ElementwiseActivation { needed.insert(node.inputs[0]) }
        self.boundedValues = needed.sorted()
    }

    /// Bounds of every value that feeds an activation, for a batch of input boxes.
    /// - Parameter known: sound bounds already known for some values on these same boxes (e.g. from
    ///   an enclosing domain); results are intersected with them.
    public func intermediateBounds(input: IntervalMatrix, known: [ValueID: IntervalMatrix] = [:]) -> [ValueID: IntervalMatrix] {
        let ibp = intervalBounds(network, input: input)
        var bounds = [ValueID: IntervalMatrix]()
        for v in boundedValues {
            var b = ibp[v]
            if let k = known[v] { b = b.intersected(with: k) }
            if v != 0 && !isExactFromInput(v) {
                let n = network.size(of: v)
                var c = Matrix(rows: 2 * n, cols: n)
                for j in 0..<n { c[j, j] = 1; c[n + j, j] = -1 }
                let lb = lowerBound(of: v, objective: c, constant: [Double](repeating: 0, count: 2 * n),
                                    input: input, bounds: bounds).lower
                var crown = b
                for r in 0..<input.rows {
                    for j in 0..<n {
                        crown.lower.data[r * n + j] = lb.data[r * 2 * n + j]
                        crown.upper.data[r * n + j] = -lb.data[r * 2 * n + n + j]
                    }
                }
                b = b.intersected(with: crown)
            }
            bounds[v] = b
        }
        return bounds
    }

    /// True when value `v` is an affine function of the input with no activation in between; IBP
    /// of one affine map is then exact per neuron, and a backward pass adds nothing.
    private func isExactFromInput(_ v: ValueID) -> Bool {
        guard v > 0 else { return true }
        let node = network.nodes[v - 1]
        guard node.op is any LinearOperator, node.inputs.count == 1 else { return false }
        return node.inputs[0] == 0
    }

    /// Lower bounds of `C·y_target + d` over each input box, given bounds for every value that feeds
    /// an activation between the input and `target` (from ``intermediateBounds(input:known:)``).
    public func lowerBound(of target: ValueID, objective c: Matrix, constant d: [Double],
                           input: IntervalMatrix, bounds: [ValueID: IntervalMatrix]) -> LinearLowerBound {
        precondition(c.cols == network.size(of: target) && d.count == c.rows, "CROWN: objective shape")
        let batch = input.rows, m = c.rows
        var pending = [Matrix?](repeating: nil, count: target + 1)
        pending[target] = Matrix.vstack(Array(repeating: c, count: batch))
        var constant = [Double](repeating: 0, count: batch * m)
        for b in 0..<batch { for i in 0..<m { constant[b * m + i] = d[i] } }

        for i in stride(from: target - 1, through: 0, by: -1) {
            guard let a = pending[i + 1] else { continue }
            pending[i + 1] = nil
            let node = network.nodes[i]
            if let linear = node.op as? any LinearOperator {
                let (parts, k) = linear.pullBack(a)
                for r in 0..<constant.count { constant[r] += k[r] }
                for (v, part) in zip(node.inputs, parts) {
                    if pending[v] == nil { pending[v] = part } else { pending[v]!.add(part) }
                }
            } else if let act = node.op as? any ElementwiseActivation {
                let v = node.inputs[0]
                guard let pre = bounds[v] else { preconditionFailure("CROWN: no bounds for value \(v) before \(node.name)") }
                let part = relaxBackward(a, activation: act, bounds: pre, rowsPerDomain: m, constant: &constant)
                if pending[v] == nil { pending[v] = part } else { pending[v]!.add(part) }
            } else {
                preconditionFailure("CROWN: operator \(node.op.kind) has no linear relaxation")
            }
        }
        let a0 = pending[0] ?? Matrix(rows: batch * m, cols: network.inputSize)
        let lower = concretize(a0, constant: constant, input: input, rowsPerDomain: m)
        return LinearLowerBound(lower: lower, inputCoefficients: a0, inputConstant: constant, rowsPerDomain: m)
    }

    /// One backward step through an activation for a lower bound: a non-negative coefficient takes
    /// the lower line, a negative one the upper line.
    private func relaxBackward(_ a: Matrix, activation: any ElementwiseActivation, bounds: IntervalMatrix,
                               rowsPerDomain m: Int, constant: inout [Double]) -> Matrix {
        let n = a.cols, batch = bounds.rows
        var ls = [Double](repeating: 0, count: batch * n), li = ls, us = ls, ui = ls
        for k in 0..<(batch * n) {
            let r = activation.relaxation(lower: bounds.lower.data[k], upper: bounds.upper.data[k])
            ls[k] = r.lowerSlope; li[k] = r.lowerIntercept; us[k] = r.upperSlope; ui[k] = r.upperIntercept
        }
        var out = a
        out.data.withUnsafeMutableBufferPointer { o in
            for row in 0..<a.rows {
                let base = (row / m) * n, rb = row * n
                var acc = 0.0
                for j in 0..<n {
                    let coef = o[rb + j]
                    if coef >= 0 {
                        o[rb + j] = coef * ls[base + j]; acc += coef * li[base + j]
                    } else {
                        o[rb + j] = coef * us[base + j]; acc += coef * ui[base + j]
                    }
                }
                constant[row] += acc
            }
        }
        return out
    }

    /// `min over box b of a·x + c` for every row: each coefficient takes the box end that lowers it.
    private func concretize(_ a: Matrix, constant: [Double], input: IntervalMatrix, rowsPerDomain m: Int) -> Matrix {
        let n = a.cols, batch = input.rows
        var lower = Matrix(rows: batch, cols: m)
        for row in 0..<a.rows {
            let b = row / m
            var s = constant[row]
            for j in 0..<n {
                let coef = a.data[row * n + j]
                s += coef >= 0 ? coef * input.lower.data[b * n + j] : coef * input.upper.data[b * n + j]
            }
            lower.data[row] = s
        }
        return lower
    }
}
