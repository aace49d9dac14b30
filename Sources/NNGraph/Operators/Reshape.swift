import LinearAlgebra

/// Changes the tensor shape without moving data (ONNX Reshape, Flatten, Identity, Dropout at
/// inference): the flat row-major vector is unchanged.
public struct Reshape: LinearOperator {
    public let outputSize: Int
    public init(size: Int) { self.outputSize = size }

    public var kind: String { "Reshape" }
    public var arity: Int { 1 }
    public func forward(_ inputs: [Matrix]) -> Matrix { inputs[0] }
    public func gradient(inputs: [Matrix], output: Matrix, outputGradient: Matrix) -> [Matrix] { [outputGradient] }
    public func interval(_ inputs: [IntervalMatrix]) -> IntervalMatrix { inputs[0] }
    public var offset: [Double] { [Double](repeating: 0, count: outputSize) }
    public func pushForward(lower: [Matrix], upper: [Matrix]) -> (lower: Matrix, upper: Matrix) { (lower[0], upper[0]) }
    public func pullBack(_ coefficients: Matrix) -> (inputs: [Matrix], constant: [Double]) {
        ([coefficients], [Double](repeating: 0, count: coefficients.rows))
    }
}
