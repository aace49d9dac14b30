import LinearAlgebra
import NNGraph
import VNNLib

/// Lower and upper bounds of every neuron of one value, for one input region.
struct ValueBounds: Sendable, Equatable {
    var lower: [Double]
    var upper: [Double]

    /// Bounds beyond this magnitude are treated as absent (GLPK rejects data beyond 1e15, and such
    /// bounds make big-M encodings numerically meaningless).
    static let largest = 1e12

    /// The interval of row `row` of `matrix`, checked: `size` columns, no NaN.
    init(_ matrix: IntervalMatrix, row: Int, value: ValueID, size: Int) throws {
        guard matrix.cols == size else {
            throw LPBoundsError.invalidBounds(value: value, reason: "\(matrix.cols) columns, the value has \(size) neurons")
        }
        guard row >= 0 && row < matrix.rows else {
            throw LPBoundsError.invalidBounds(value: value, reason: "no row \(row) (the bounds have \(matrix.rows) rows)")
        }
        lower = Array(matrix.lower.data[(row * size)..<((row + 1) * size)])
        upper = Array(matrix.upper.data[(row * size)..<((row + 1) * size)])
        for j in 0..<size where lower[j].isNaN || upper[j].isNaN {
            throw LPBoundsError.invalidBounds(value: value, reason: "neuron \(j) has a NaN bound")
        }
    }

    init(lower: [Double], upper: [Double]) {
        self.lower = lower
        self.upper = upper
    }

    /// The bounds as a one-row interval batch.
    var interval: IntervalMatrix {
        IntervalMatrix(lower: Matrix(rows: 1, cols: lower.count, data: lower),
                       upper: Matrix(rows: 1, cols: upper.count, data: upper))
    }

    /// Intersection with other sound bounds of the same points. Where the two cross (which only
    /// rounding or an empty region can cause), the neuron gets the hull of the two instead: still a
    /// superset of the true range, so the program stays sound and the solver decides emptiness.
    /// NaN (from ∞ − ∞ in interval arithmetic) and magnitudes beyond ``largest`` become infinite.
    func intersected(with other: ValueBounds?) -> ValueBounds {
        var result = self
        for j in 0..<lower.count {
            var l = lower[j], u = upper[j]
            if let other {
                let (ol, ou) = (other.lower[j], other.upper[j])
                if max(l, ol) <= min(u, ou) { l = max(l, ol); u = min(u, ou) } else { l = min(l, ol); u = max(u, ou) }
            }
            result.lower[j] = (l.isNaN || l < -Self.largest) ? -.infinity : l
            result.upper[j] = (u.isNaN || u > Self.largest) ? .infinity : u
        }
        return result
    }
}

extension InputBox {
    /// Checks the box against an input size: equal lengths, finite bounds, `lower <= upper`.
    func validated(inputSize: Int) throws -> ValueBounds {
        guard lower.count == inputSize && upper.count == inputSize else {
            throw LPBoundsError.invalidBox(reason: "\(lower.count) lower and \(upper.count) upper bounds; "
                                           + "the network has \(inputSize) inputs")
        }
        for j in 0..<inputSize {
            guard lower[j].isFinite && upper[j].isFinite && lower[j] <= upper[j] else {
                throw LPBoundsError.invalidBox(reason: "input \(j) has bounds [\(lower[j]), \(upper[j])]; "
                                               + "expected finite numbers with lower <= upper")
            }
        }
        return ValueBounds(lower: lower, upper: upper)
    }
}

/// Converts caller-given bounds (row `row` of each batch) to ``ValueBounds``, checking shapes.
func selectRow(_ bounds: [ValueID: IntervalMatrix], row: Int, network: Network) throws -> [ValueID: ValueBounds] {
    var result = [ValueID: ValueBounds]()
    for (value, matrix) in bounds {
        guard value >= 0 && value <= network.nodes.count else {
            throw LPBoundsError.invalidBounds(value: value, reason: "the network has values 0...\(network.nodes.count)")
        }
        result[value] = try ValueBounds(matrix, row: row, value: value, size: network.size(of: value))
    }
    return result
}
