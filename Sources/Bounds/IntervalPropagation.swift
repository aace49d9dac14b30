import LinearAlgebra
import NNGraph

/// Interval bound propagation (IBP): pushes a batch of input boxes through every operator's
/// sound interval map.
///
/// Returns bounds for every value (index = value id). Sound: for every input inside row `b` of
/// `input`, every value of the network evaluated in exact arithmetic lies inside row `b` of its
/// interval; each step is moved outward by its rounding error (``RoundingError/outwardInterval(_:_:)``).
public func intervalBounds(_ network: Network, input: IntervalMatrix) -> [IntervalMatrix] {
    var bounds = [input]
    bounds.reserveCapacity(network.nodes.count + 1)
    for node in network.nodes {
        bounds.append(RoundingError.outwardInterval(node.op, node.inputs.map { bounds[$0] }))
    }
    return bounds
}

extension IntervalMatrix {
    /// Elementwise intersection with another sound interval of the same points (both must hold,
    /// so the intersection does too).
    /// A NaN end (no information) takes the other interval's end.
    public func intersected(with other: IntervalMatrix) -> IntervalMatrix {
        var result = self
        for i in 0..<lower.data.count {
            let (l1, l2) = (lower.data[i], other.lower.data[i]), (u1, u2) = (upper.data[i], other.upper.data[i])
            result.lower.data[i] = l1.isNaN ? l2 : (l2.isNaN ? l1 : max(l1, l2))
            result.upper.data[i] = u1.isNaN ? u2 : (u2.isNaN ? u1 : min(u1, u2))
        }
        return result
    }

    /// Rows of the batch taken in the given order (used to hand subdomains their parent's bounds).
    public func selectingRows(_ indices: [Int]) -> IntervalMatrix {
        func pick(_ m: Matrix) -> Matrix {
            var data = [Double]()
            data.reserveCapacity(indices.count * m.cols)
            for r in indices { data.append(contentsOf: m.data[(r * m.cols)..<((r + 1) * m.cols)]) }
            return Matrix(rows: indices.count, cols: m.cols, data: data)
        }
        return IntervalMatrix(lower: pick(lower), upper: pick(upper))
    }
}
