import LinearAlgebra

/// Picks input elements by index, `y_j = x[indices[j]]` (a gather): an index may appear several times or
/// not at all. Max-pooling is lowered into selections of window elements, differences, ReLUs and sums
/// (`max(a, b) = a + relu(b − a)`) by the ONNX loader.
public struct Selection: LinearOperator {
    public let inputSize: Int
    /// For each output element, the input element it copies (`0 ..< inputSize`).
    public let indices: [Int]

    public init(inputSize: Int, indices: [Int]) {
        precondition(indices.allSatisfy { $0 >= 0 && $0 < inputSize }, "Selection: index out of 0..<\(inputSize)")
        self.inputSize = inputSize
        self.indices = indices
    }

    public var kind: String { "Selection" }
    public var arity: Int { 1 }
    public var outputSize: Int { indices.count }

    public func forward(_ inputs: [Matrix]) -> Matrix { inputs[0].gatheringColumns(indices) }

    public func gradient(inputs: [Matrix], output: Matrix, outputGradient: Matrix) -> [Matrix] {
        [outputGradient.scatteringColumns(indices, into: inputSize)]
    }

    public func interval(_ inputs: [IntervalMatrix]) -> IntervalMatrix {
        IntervalMatrix(lower: inputs[0].lower.gatheringColumns(indices), upper: inputs[0].upper.gatheringColumns(indices))
    }

    public var offset: [Double] { [Double](repeating: 0, count: outputSize) }

    public func pushForward(lower: [Matrix], upper: [Matrix]) -> (lower: Matrix, upper: Matrix) {
        (lower[0].gatheringRows(indices), upper[0].gatheringRows(indices))
    }

    /// Column `j` of the coefficients is added to column `indices[j]` of the input's.
    public func pullBack(_ coefficients: Matrix) -> (inputs: [Matrix], constant: [Double]) {
        ([coefficients.scatteringColumns(indices, into: inputSize)], [Double](repeating: 0, count: coefficients.rows))
    }
}

extension Matrix {
    /// `out[r, j] = self[r, indices[j]]`.
    func gatheringColumns(_ indices: [Int]) -> Matrix {
        var out = Matrix(rows: rows, cols: indices.count)
        let (n, m) = (cols, indices.count)
        data.withUnsafeBufferPointer { src in
            indices.withUnsafeBufferPointer { idx in
                out.data.withUnsafeMutableBufferPointer { dst in
                    for r in 0..<rows {
                        for j in 0..<m { dst[r * m + j] = src[r * n + idx[j]] }
                    }
                }
            }
        }
        return out
    }

    /// `out[r, indices[j]] += self[r, j]`, starting from zeros of width `width`.
    func scatteringColumns(_ indices: [Int], into width: Int) -> Matrix {
        var out = Matrix(rows: rows, cols: width)
        let m = cols
        data.withUnsafeBufferPointer { src in
            indices.withUnsafeBufferPointer { idx in
                out.data.withUnsafeMutableBufferPointer { dst in
                    for r in 0..<rows {
                        for j in 0..<m { dst[r * width + idx[j]] += src[r * m + j] }
                    }
                }
            }
        }
        return out
    }

    /// Row `j` of the result is row `indices[j]` of `self`.
    func gatheringRows(_ indices: [Int]) -> Matrix {
        var out = Matrix(rows: indices.count, cols: cols)
        let n = cols
        guard n > 0 else { return out }
        data.withUnsafeBufferPointer { src in
            out.data.withUnsafeMutableBufferPointer { dst in
                for (j, i) in indices.enumerated() {
                    (dst.baseAddress! + j * n).update(from: src.baseAddress! + i * n, count: n)
                }
            }
        }
        return out
    }
}
