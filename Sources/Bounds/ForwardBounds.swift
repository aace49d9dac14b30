import Foundation
import LinearAlgebra
import NNGraph

/// How intermediate (pre-activation) bounds are computed.
public enum IntermediateBoundMethod: String, Sendable, CaseIterable {
    /// A CROWN backward pass from every bounded value: tightest, cost grows with depth squared.
    case backward
    /// Linear bounds pushed forward as functions of the input (as in auto_LiRPA's forward mode and
    /// ReluVal/Neurify's symbolic intervals): cost grows with the input dimension, so it suits
    /// low-dimensional inputs.
    case forward

    /// Backward: on ACAS Xu it needs orders of magnitude fewer domains than forward.
    public static func automatic(inputSize: Int) -> IntermediateBoundMethod { _ = inputSize; return .backward }
}

extension CROWN {
    /// Bounds of every value that feeds an activation, by the chosen method, intersected with IBP
    /// and with `known`.
    public func intermediateBounds(input: IntervalMatrix, known: [ValueID: IntervalMatrix] = [:],
                                   method: IntermediateBoundMethod, deadline: Date? = nil) -> [ValueID: IntervalMatrix] {
        switch method {
        case .backward: return intermediateBounds(input: input, known: known, deadline: deadline)
        case .forward: return forwardIntermediateBounds(input: input, known: known)
        }
    }

    /// Forward linear bounds: every value `v` carries, per domain, linear functions `L(x) <= v <= U(x)`
    /// of the input, stored neuron-major as `size(v) x batch·(d+1)` blocks (column `b·(d+1) + i` is the
    /// coefficient of `x_i` for domain `b`, column `b·(d+1) + d` the constant). Affine operators map
    /// them exactly (positive weights keep the side, negative ones swap it); activations apply their
    /// relaxation lines, valid on the concretised (and IBP-intersected) interval.
    func forwardIntermediateBounds(input: IntervalMatrix, known: [ValueID: IntervalMatrix]) -> [ValueID: IntervalMatrix] {
        let ibp = intervalBounds(network, input: input)
        let batch = input.rows, d = network.inputSize, width = d + 1
        let needed = Set(boundedValues)
        let lastNeeded = boundedValues.last ?? 0
        var lower = [Matrix?](repeating: nil, count: network.nodes.count + 1)
        var upper = lower
        var identity = Matrix(rows: d, cols: batch * width)
        for b in 0..<batch { for i in 0..<d { identity[i, b * width + i] = 1 } }
        lower[0] = identity
        upper[0] = identity
        var bounds = [ValueID: IntervalMatrix]()

        func concretise(_ v: ValueID) -> IntervalMatrix {
            let n = network.size(of: v)
            var result = ibp[v]
            let lo = lower[v]!, hi = upper[v]!
            for j in 0..<n {
                for b in 0..<batch {
                    let base = j * lo.cols + b * width
                    var l = lo.data[base + d], u = hi.data[base + d]
                    for i in 0..<d {
                        let (xl, xu) = (input.lower.data[b * d + i], input.upper.data[b * d + i])
                        let a = lo.data[base + i], c = hi.data[base + i]
                        l += a >= 0 ? a * xl : a * xu
                        u += c >= 0 ? c * xu : c * xl
                    }
                    result.lower.data[b * n + j] = max(result.lower.data[b * n + j], l)
                    result.upper.data[b * n + j] = min(result.upper.data[b * n + j], u)
                }
            }
            if let k = known[v] { result = result.intersected(with: k) }
            return result
        }
        if needed.contains(0) { bounds[0] = known[0].map { input.intersected(with: $0) } ?? input }

        for (i, node) in network.nodes.enumerated() where i + 1 <= lastNeeded {
            let v = i + 1
            if let linear = node.op as? any LinearOperator {
                var (lo, hi) = linear.pushForward(lower: node.inputs.map { lower[$0]! }, upper: node.inputs.map { upper[$0]! })
                let offset = linear.offset
                for j in 0..<offset.count where offset[j] != 0 {
                    for b in 0..<batch {
                        lo.data[j * lo.cols + b * width + d] += offset[j]
                        hi.data[j * hi.cols + b * width + d] += offset[j]
                    }
                }
                lower[v] = lo
                upper[v] = hi
            } else if let act = node.op as? any ElementwiseActivation {
                let pre = node.inputs[0]
                guard let pb = bounds[pre] else { preconditionFailure("forward bounds: no bounds for value \(pre)") }
                var lo = lower[pre]!, hi = upper[pre]!
                let srcLo = lo, srcHi = hi, n = act.outputSize, cols = lo.cols
                for j in 0..<n {
                    for b in 0..<batch {
                        let r = act.relaxation(lower: pb.lower.data[b * n + j], upper: pb.upper.data[b * n + j])
                        let base = j * cols + b * width
                        for c in 0..<width {
                            let (l, u) = (srcLo.data[base + c], srcHi.data[base + c])
                            lo.data[base + c] = r.lowerSlope >= 0 ? r.lowerSlope * l : r.lowerSlope * u
                            hi.data[base + c] = r.upperSlope >= 0 ? r.upperSlope * u : r.upperSlope * l
                        }
                        lo.data[base + d] += r.lowerIntercept
                        hi.data[base + d] += r.upperIntercept
                    }
                }
                lower[v] = lo
                upper[v] = hi
            } else {
                preconditionFailure("forward bounds: operator \(node.op.kind) has no linear relaxation")
            }
            if needed.contains(v) { bounds[v] = concretise(v) }
        }
        return bounds
    }
}
