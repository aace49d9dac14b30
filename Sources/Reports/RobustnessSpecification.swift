import Bounds
import LinearAlgebra
import NNGraph
import VNNLib

/// The robustness property of one labelled input as a specification and as a CROWN objective.
enum RobustnessSpecification {
    /// The unsafe set "some class j ≠ label scores at least as high as the label" over `box`: one
    /// disjunct per j with the constraint `y_label − y_j <= 0` (coefficients `e_label − e_j`).
    static func specification(label: Int, classes: Int, lower: [Double], upper: [Double]) -> Specification {
        let disjuncts: [[LinearConstraint]] = (0..<classes).filter { $0 != label }.map { j in
            var c = [Double](repeating: 0, count: classes)
            c[label] = 1
            c[j] = -1
            return [LinearConstraint(coefficients: c, constant: 0)]
        }
        return Specification(inputCount: lower.count, outputCount: classes,
                             cases: [SpecCase(box: InputBox(lower: lower, upper: upper), disjuncts: disjuncts)])
    }

    /// A CROWN lower bound of `min_{j≠label} (y_label − y_j)` over the box `lower ... upper`; positive
    /// proves that no point of the box changes the label. Nil when the bound is not finite.
    static func boundMargin(_ crown: CROWN, label: Int, lower: [Double], upper: [Double]) -> Double? {
        let network = crown.network
        let classes = network.outputSize
        guard classes >= 2 else { return nil }
        var c = Matrix(rows: classes - 1, cols: classes)
        var row = 0
        for j in 0..<classes where j != label {
            c[row, label] = 1
            c[row, j] = -1
            row += 1
        }
        let input = IntervalMatrix(lower: Matrix(rowVectors: [lower]), upper: Matrix(rowVectors: [upper]))
        let bounds = crown.intermediateBounds(input: input)
        let result = crown.lowerBound(of: network.output, objective: c, constant: [Double](repeating: 0, count: classes - 1),
                                      input: input, bounds: bounds)
        let margin = result.lower.data.min() ?? -.infinity
        return margin.isFinite ? margin : nil
    }
}
