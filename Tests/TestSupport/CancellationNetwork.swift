import Foundation
import LinearAlgebra
import NNGraph
import VNNLib

/// A network on which naive floating-point bounds are wrong: `y = ReLU(x + 10¹⁶) − 10¹⁶`, which is
/// `y = x` in exact arithmetic, while `Double` rounds `x + 10¹⁶` to `10¹⁶` for every `x` in
/// `[0, 0.5]` (the spacing of doubles near `10¹⁶` is 2). Property: `y >= 0.25` is unsafe on
/// `x ∈ [0, 0.5]`; exactly, `x = 0.5` violates it, but interval arithmetic without outward
/// rounding computes `y ∈ [0, 0]` and "proves" it.
public enum CancellationNetwork {
    public static let offset = 1e16
    public static let threshold = 0.25
    public static let box = InputBox(lower: [0], upper: [0.5])

    /// `y = ReLU(x + offset) − offset`.
    public static func network(offset: Double = CancellationNetwork.offset) -> Network {
        let first = Node(name: "shift", op: Affine(weight: Matrix(rows: 1, cols: 1, data: [1]), bias: [offset]),
                         inputs: [0], shape: [1])
        let relu = Node(name: "relu", op: ReLU(size: 1), inputs: [1], shape: [1])
        let back = Node(name: "unshift", op: Affine(weight: Matrix(rows: 1, cols: 1, data: [1]), bias: [-offset]),
                        inputs: [2], shape: [1])
        return try! Network(inputName: "x", inputShape: [1], outputName: "y", nodes: [first, relu, back], output: 3)
    }

    /// The property as a specification: one case, unsafe when `y − threshold >= 0`, i.e.
    /// `threshold − y <= 0` (default: `y >= 0.25` on `[0, 0.5]`).
    public static func specification(box: InputBox = CancellationNetwork.box, threshold: Double = CancellationNetwork.threshold) -> Specification {
        let unsafe = LinearConstraint(coefficients: [-1], constant: threshold)
        return Specification(inputCount: 1, outputCount: 1, cases: [SpecCase(box: box, disjuncts: [[unsafe]])])
    }

    /// `y(x)` in exact decimal arithmetic (every number involved is a short decimal, so `Decimal`'s
    /// 38 digits hold it exactly).
    public static func exactOutput(_ x: Decimal, offset: Decimal = Decimal(string: "10000000000000000")!) -> Decimal {
        let z = x + offset
        return (z > 0 ? z : 0) - offset
    }

    /// The same trap with every magnitude within what GLPK accepts (`<= 10¹⁵`), so that LP and MILP
    /// methods get past input checking: offset `2⁴⁹` (doubles there are `0.125` apart), `x ∈ [0, 0.05]`,
    /// unsafe `y >= 0.04`. Exactly `x = 0.05` violates it; in `Double`, `x + 2⁴⁹` rounds to `2⁴⁹`.
    public enum WithinSolverRange {
        public static let offset = 0x1p49
        public static let exactOffset = Decimal(string: "562949953421312")!
        public static let threshold = 0.04
        public static let box = InputBox(lower: [0], upper: [0.05])

        public static func network() -> Network { CancellationNetwork.network(offset: offset) }
        public static func specification() -> Specification {
            CancellationNetwork.specification(box: box, threshold: threshold)
        }
    }
}
