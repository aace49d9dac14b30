import LinearAlgebra
import NNGraph
import VNNLib

/// Hand-built networks whose answers are known analytically.
public enum SmallNetworks {
    /// `y = relu(x0 + x1) - relu(x0 - x1)`. On [0,1]^2 it is `2·x1` where `x0 >= x1` and `x0 + x1`
    /// elsewhere: its maximum there is 2, at (1, 1), and its minimum 0, at (0, 0).
    public static func twoReLU() -> Network {
        let w = Matrix(rowVectors: [[1, 1], [1, -1]])
        let nodes = [
            Node(name: "fc1", op: Affine(weight: w, bias: [0, 0]), inputs: [0], shape: [2]),
            Node(name: "relu", op: ReLU(size: 2), inputs: [1], shape: [2]),
            Node(name: "fc2", op: Affine(weight: Matrix(rowVectors: [[1, -1]]), bias: [0]), inputs: [2], shape: [1]),
        ]
        return try! Network(inputName: "x", inputShape: [2], outputName: "y", nodes: nodes, output: 3)
    }

    /// `y = relu(x0 + x1) + relu(−x0 − x1) + relu(x0 − x1) + relu(−x0 + x1) = |x0 + x1| + |x0 − x1|
    /// = 2·max(|x0|, |x1|)`. On [-1,1]^2 its maximum is 2, at the corners; the triangle LP relaxation
    /// (every pre-activation in [-2, 2]) reaches 4 at (0, 0), where each ReLU may take the value 1.
    public static func maxNorm() -> Network {
        let w = Matrix(rowVectors: [[1, 1], [-1, -1], [1, -1], [-1, 1]])
        let nodes = [
            Node(name: "fc1", op: Affine(weight: w, bias: [0, 0, 0, 0]), inputs: [0], shape: [4]),
            Node(name: "relu", op: ReLU(size: 4), inputs: [1], shape: [4]),
            Node(name: "fc2", op: Affine(weight: Matrix(rowVectors: [[1, 1, 1, 1]]), bias: [0]), inputs: [2], shape: [1]),
        ]
        return try! Network(inputName: "x", inputShape: [2], outputName: "y", nodes: nodes, output: 3)
    }

    /// The unsafe set `y_0 >= threshold` over a box, as a specification.
    public static func outputAtLeast(_ threshold: Double, box: InputBox, outputs: Int = 1) -> Specification {
        var c = [Double](repeating: 0, count: outputs)
        c[0] = -1
        return Specification(inputCount: box.lower.count, outputCount: outputs,
                             cases: [SpecCase(box: box, disjuncts: [[LinearConstraint(coefficients: c, constant: threshold)]])])
    }
}
