import Bounds
import LinearAlgebra
import LPBounds
import NNGraph
import Testing
import TestSupport
import VNNLib

/// An affine map known to the encoder only through the ``LinearOperator`` protocol (so its Jacobian
/// is read off by pulling back identity rows), and a permutation (whose rows are copies, shared variables).
struct OpaqueAffine: LinearOperator {
    let inner: Affine
    var kind: String { "OpaqueAffine" }
    var arity: Int { 1 }
    var outputSize: Int { inner.outputSize }
    func forward(_ inputs: [Matrix]) -> Matrix { inner.forward(inputs) }
    func gradient(inputs: [Matrix], output: Matrix, outputGradient: Matrix) -> [Matrix] {
        inner.gradient(inputs: inputs, output: output, outputGradient: outputGradient)
    }
    func interval(_ inputs: [IntervalMatrix]) -> IntervalMatrix { inner.interval(inputs) }
    func pullBack(_ coefficients: Matrix) -> (inputs: [Matrix], constant: [Double]) { inner.pullBack(coefficients) }
    func pushForward(lower: [Matrix], upper: [Matrix]) -> (lower: Matrix, upper: Matrix) { inner.pushForward(lower: lower, upper: upper) }
    var offset: [Double] { inner.offset }
}

struct Reverse: LinearOperator {
    let outputSize: Int
    var kind: String { "Reverse" }
    var arity: Int { 1 }
    private func reversed(_ m: Matrix) -> Matrix {
        var out = m
        for r in 0..<m.rows { for j in 0..<m.cols { out[r, j] = m[r, m.cols - 1 - j] } }
        return out
    }
    func forward(_ inputs: [Matrix]) -> Matrix { reversed(inputs[0]) }
    func gradient(inputs: [Matrix], output: Matrix, outputGradient: Matrix) -> [Matrix] { [reversed(outputGradient)] }
    func interval(_ inputs: [IntervalMatrix]) -> IntervalMatrix {
        IntervalMatrix(lower: reversed(inputs[0].lower), upper: reversed(inputs[0].upper))
    }
    func pullBack(_ coefficients: Matrix) -> (inputs: [Matrix], constant: [Double]) {
        ([reversed(coefficients)], [Double](repeating: 0, count: coefficients.rows))
    }
    func pushForward(lower: [Matrix], upper: [Matrix]) -> (lower: Matrix, upper: Matrix) {
        (lower[0].transposed, upper[0].transposed)  // not used by the LP encoder
    }
    var offset: [Double] { [Double](repeating: 0, count: outputSize) }
}

@Suite("Linear operators through the generic protocol")
struct GenericOperatorTests {
    /// The same function with Affine nodes hidden behind the protocol and a permutation pair inserted.
    func disguised(_ network: Network) -> Network {
        var nodes = [Node]()
        var map = [ValueID: ValueID]()
        map[0] = 0
        for (i, node) in network.nodes.enumerated() {
            var inputs = node.inputs.map { map[$0]! }
            if let affine = node.op as? Affine {
                let n = affine.inputSize
                nodes.append(Node(name: "rev\(i)a", op: Reverse(outputSize: n), inputs: inputs, shape: [n]))
                nodes.append(Node(name: "rev\(i)b", op: Reverse(outputSize: n), inputs: [nodes.count], shape: [n]))
                inputs = [nodes.count]
                nodes.append(Node(name: node.name, op: OpaqueAffine(inner: affine), inputs: inputs, shape: node.shape))
            } else {
                nodes.append(Node(name: node.name, op: node.op, inputs: inputs, shape: node.shape))
            }
            map[i + 1] = nodes.count
        }
        return try! Network(inputName: "x", inputShape: network.inputShape, outputName: "y", nodes: nodes, output: map[network.output]!)
    }

    @Test("MILP optimum and LP bounds are the same through the generic path")
    func sameResults() throws {
        for seed in UInt64(700)..<715 {
            var rng = SeededGenerator(seed: seed)
            let network = RandomNetworks.mlp([3, 5, 5, 2], weightScale: 1.5, using: &rng)
            let other = disguised(network)
            let box = RandomNetworks.box(3, maxWidth: 1.5, using: &rng)
            let rows = [randomRow(2, using: &rng)]
            let a = try MILPVerifier(network: network), b = try MILPVerifier(network: other)
            let ma = try a.minimum(of: rows, box: box, bounds: try a.bigMBounds(box, deadline: nil))
            let mb = try b.minimum(of: rows, box: box, bounds: try b.bigMBounds(box, deadline: nil))
            #expect(abs(try #require(ma.value) - (try #require(mb.value))) <= 1e-7 * ma.scale, "seed \(seed)")
            let la = try ObjectiveLP(network: network).minimumOfMaximum(
                rows, box: box, bounds: CROWN(network: network).intermediateBounds(input: box.intervalBatch))
            let lb = try ObjectiveLP(network: other).minimumOfMaximum(
                rows, box: box, bounds: CROWN(network: other).intermediateBounds(input: box.intervalBatch))
            #expect(abs(la.lowerBound - lb.lowerBound) <= 1e-6 * (1 + abs(la.lowerBound)), "seed \(seed)")
        }
    }

    @Test("An operator that is neither linear nor an activation is reported by name")
    func unsupported() throws {
        struct Square: Operator {
            let outputSize: Int
            var kind: String { "Square" }
            var arity: Int { 1 }
            func forward(_ inputs: [Matrix]) -> Matrix { inputs[0].map { $0 * $0 } }
            func gradient(inputs: [Matrix], output: Matrix, outputGradient: Matrix) -> [Matrix] { [outputGradient] }
            func interval(_ inputs: [IntervalMatrix]) -> IntervalMatrix { inputs[0] }
        }
        let network = try Network(inputName: "x", inputShape: [2], outputName: "y",
                                  nodes: [Node(name: "sq", op: Square(outputSize: 2), inputs: [0], shape: [2])], output: 1)
        #expect(throws: LPBoundsError.unsupportedOperator(node: "sq", kind: "Square")) { try ObjectiveLP(network: network) }
    }
}
