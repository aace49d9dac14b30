import LinearAlgebra
import Testing
import TestSupport
@testable import NNGraph

/// Hand-checked values and algebraic identities for every IR operator.
@Suite struct OperatorTests {
    @Test func affineForwardIsWxPlusB() {
        let op = Affine(weight: Matrix(rowVectors: [[1, 2], [-1, 0.5]]), bias: [0.5, -1])
        let y = op.forward([Matrix(rowVectors: [[3, -1], [0, 2]])])
        #expect(y == Matrix(rowVectors: [[1.5, -4.5], [4.5, 0]]))
    }

    @Test func elementwiseAffineAndCombinationAndReshape() {
        let x = Matrix(rowVectors: [[1, -2, 3]])
        #expect(ElementwiseAffine(scale: [2, -1, 0.5], shift: [0, 1, -1]).forward([x]) == Matrix(rowVectors: [[2, 3, 0.5]]))
        #expect(LinearCombination(weights: [1, -2], size: 3).forward([x, x]) == Matrix(rowVectors: [[-1, 2, -3]]))
        #expect(Reshape(size: 3).forward([x]) == x)
    }

    @Test func activationValues() {
        #expect(ReLU(size: 1).value(-2) == 0 && ReLU(size: 1).value(3) == 3)
        #expect(abs(Sigmoid(size: 1).value(0) - 0.5) < 1e-15)
        #expect(abs(Tanh(size: 1).value(1) - 0.7615941559557649) < 1e-15)
    }

    /// Every linear operator: `A·f(x) = pullBack(A)·x + constant`, and pushing exact (equal lower
    /// and upper) coefficients forward reproduces the same map.
    @Test func linearOperatorsPullBackAndPushForwardAgreeWithForward() {
        var rng = SeededGenerator(seed: 3)
        let ops: [any LinearOperator] = [
            Affine(weight: Matrix(rows: 3, cols: 4, data: (0..<12).map { _ in rng.uniform(-1, 1) }), bias: [0.1, -0.2, 0.3]),
            ElementwiseAffine(scale: [1, -2, 0.5, 3], shift: [0, 1, -1, 2]),
            LinearCombination(weights: [1.5, -0.5], size: 4),
            Reshape(size: 4),
        ]
        for op in ops {
            let inputs = (0..<op.arity).map { _ in Matrix(rows: 1, cols: 4, data: (0..<4).map { _ in rng.uniform(-2, 2) }) }
            let y = op.forward(inputs)
            let a = Matrix(rows: 2, cols: op.outputSize, data: (0..<(2 * op.outputSize)).map { _ in rng.uniform(-1, 1) })
            let (parts, constant) = op.pullBack(a)
            let ay = y.multiplied(by: a, transposeOther: true)
            for r in 0..<2 {
                var s = constant[r]
                for (part, x) in zip(parts, inputs) { for j in 0..<4 { s += part[r, j] * x[0, j] } }
                #expect(abs(s - ay[0, r]) < 1e-12, "pullBack of \(op.kind)")
            }
            // Exact linear functions x_i = e_i pushed forward give the Jacobian columns.
            let exact = inputs.map { x in Matrix(rows: 4, cols: 1, data: x.data) }
            let (lo, hi) = op.pushForward(lower: exact, upper: exact)
            for j in 0..<op.outputSize {
                #expect(abs(lo[j, 0] + op.offset[j] - y[0, j]) < 1e-12, "pushForward lower of \(op.kind)")
                #expect(abs(hi[j, 0] + op.offset[j] - y[0, j]) < 1e-12, "pushForward upper of \(op.kind)")
            }
        }
    }

    /// Relaxation lines enclose the function on dense grids of random intervals.
    @Test(arguments: TestActivation.allCases)
    func relaxationsEncloseTheFunction(activation: TestActivation) {
        let op = activation.op(size: 1)
        var rng = SeededGenerator(seed: 5)
        for _ in 0..<2000 {
            let a = rng.uniform(-8, 8), b = rng.uniform(-8, 8)
            let (l, u) = (min(a, b), max(a, b))
            let r = op.relaxation(lower: l, upper: u)
            let batch = op.relaxations(lower: [l], upper: [u])
            #expect(batch.lowerSlope[0] == r.lowerSlope && batch.upperIntercept[0] == r.upperIntercept)
            for variant in 0..<op.relaxationVariants {
                let v = op.relaxations(lower: [l], upper: [u], variant: variant)
                for k in 0...50 {
                    let x = l + (u - l) * Double(k) / 50
                    let f = op.value(x)
                    #expect(v.lowerSlope[0] * x + v.lowerIntercept[0] <= f + 1e-12, "variant \(variant) lower line above f at \(x) on [\(l), \(u)]")
                    #expect(v.upperSlope[0] * x + v.upperIntercept[0] >= f - 1e-12, "variant \(variant) upper line below f at \(x) on [\(l), \(u)]")
                }
            }
        }
    }
}
