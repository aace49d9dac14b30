import LinearAlgebra

/// Reorders the elements, `y_j = x[indices[j]]` with `indices` a permutation of `0 ..< n` (ONNX
/// `Transpose` on flat row-major data; see ``transposing(shape:permutation:)``).
public struct Permutation: LinearOperator {
    /// For each output element, the input element it copies; every input element exactly once.
    public let indices: [Int]

    public init(indices: [Int]) {
        var seen = [Bool](repeating: false, count: indices.count)
        for i in indices {
            precondition(i >= 0 && i < indices.count && !seen[i], "Permutation: indices are not a permutation")
            seen[i] = true
        }
        self.indices = indices
    }

    /// The permutation of ONNX `Transpose(perm)` on a tensor of shape `shape`: output axis `k` is input
    /// axis `permutation[k]` (a permutation of the axes).
    public static func transposing(shape: [Int], permutation: [Int]) -> Permutation {
        precondition(permutation.sorted() == Array(shape.indices), "Permutation: \(permutation) is not a permutation of the axes")
        var strides = [Int](repeating: 1, count: shape.count)
        for axis in stride(from: shape.count - 2, through: 0, by: -1) { strides[axis] = strides[axis + 1] * shape[axis + 1] }
        let outShape = permutation.map { shape[$0] }
        let outStrides = permutation.map { strides[$0] }
        let total = shape.reduce(1, *)
        var indices = [Int](repeating: 0, count: total)
        var position = [Int](repeating: 0, count: shape.count)
        var source = 0
        for j in 0..<total {
            indices[j] = source
            // Next output multi-index (last axis fastest), keeping `source` in step.
            var axis = shape.count - 1
            while axis >= 0 {
                position[axis] += 1
                source += outStrides[axis]
                if position[axis] < outShape[axis] { break }
                source -= outStrides[axis] * outShape[axis]
                position[axis] = 0
                axis -= 1
            }
        }
        return Permutation(indices: indices)
    }

    public var kind: String { "Permutation" }
    public var arity: Int { 1 }
    public var outputSize: Int { indices.count }

    public func forward(_ inputs: [Matrix]) -> Matrix { inputs[0].gatheringColumns(indices) }

    public func gradient(inputs: [Matrix], output: Matrix, outputGradient: Matrix) -> [Matrix] {
        [outputGradient.scatteringColumns(indices, into: outputSize)]
    }

    public func interval(_ inputs: [IntervalMatrix]) -> IntervalMatrix {
        IntervalMatrix(lower: inputs[0].lower.gatheringColumns(indices), upper: inputs[0].upper.gatheringColumns(indices))
    }

    public var offset: [Double] { [Double](repeating: 0, count: outputSize) }

    public func pushForward(lower: [Matrix], upper: [Matrix]) -> (lower: Matrix, upper: Matrix) {
        (lower[0].gatheringRows(indices), upper[0].gatheringRows(indices))
    }

    /// Column `j` of the coefficients becomes column `indices[j]`.
    public func pullBack(_ coefficients: Matrix) -> (inputs: [Matrix], constant: [Double]) {
        ([coefficients.scatteringColumns(indices, into: outputSize)], [Double](repeating: 0, count: coefficients.rows))
    }
}
