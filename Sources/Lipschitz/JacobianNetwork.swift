import LinearAlgebra
import NNGraph

/// A network prepared for Jacobian bounds: every node on a path to the output is either a linear
/// operator, whose Jacobian blocks are materialised once, or an activation whose derivative can be
/// bounded (``DerivativeRange``). Construction refuses anything else, naming every such node.
///
/// The input–output Jacobian is then the chain rule over the graph:
/// `∂y/∂x = Σ_paths J_L·D_{L−1}·…·D_1·J_1`, with `D` the diagonal of activation derivatives.
public struct JacobianNetwork: Sendable {
    public let network: Network
    /// Per node: `[J_i]` (outputSize × inputSize_i) per input for a linear node, nil for activations
    /// and for nodes that do not reach the output.
    let jacobians: [[Matrix]?]
    /// `|J_i|` elementwise, next to ``jacobians``.
    let absoluteJacobians: [[Matrix]?]
    /// Nodes that are activations on a path to the output.
    public let activationNodes: [Int]
    /// Whether node `i` lies on a path to the output.
    let reachesOutput: [Bool]

    /// Rows of the identity pulled back at once when materialising a Jacobian block.
    static let materialiseChunk = 512

    public init(_ network: Network) throws {
        self.network = network
        var reaches = [Bool](repeating: false, count: network.nodes.count)
        var needed = Set([network.output])
        for i in stride(from: network.nodes.count - 1, through: 0, by: -1) where needed.contains(i + 1) {
            reaches[i] = true
            for v in network.nodes[i].inputs { needed.insert(v) }
        }
        var unsupported = [String]()
        var jac = [[Matrix]?](repeating: nil, count: network.nodes.count), absJac = jac
        var activations = [Int]()
        for (i, node) in network.nodes.enumerated() where reaches[i] {
            if let linear = node.op as? any LinearOperator {
                // Pulling back rows of the identity gives the blocks exactly: each entry is one stored
                // weight times 1 (plus exact zeros), so no rounding enters.
                let blocks = Self.materialise(linear, inputSizes: node.inputs.map { network.size(of: $0) })
                jac[i] = blocks
                absJac[i] = blocks.map { $0.map(abs) }
            } else if DerivativeRange.supports(node.op) {
                activations.append(i)
            } else {
                unsupported.append("'\(node.name)' (\(node.op.kind))")
            }
        }
        guard unsupported.isEmpty else { throw LipschitzError.unsupportedOperators(unsupported) }
        jacobians = jac
        absoluteJacobians = absJac
        activationNodes = activations
        reachesOutput = reaches
    }

    static func materialise(_ op: any LinearOperator, inputSizes: [Int]) -> [Matrix] {
        let m = op.outputSize
        var blocks = inputSizes.map { Matrix(rows: m, cols: $0) }
        var start = 0
        while start < m {
            let count = min(materialiseChunk, m - start)
            var identity = Matrix(rows: count, cols: m)
            for r in 0..<count { identity[r, start + r] = 1 }
            let pulled = op.pullBack(identity).inputs
            for (b, part) in pulled.enumerated() {
                let n = inputSizes[b]
                blocks[b].data.replaceSubrange((start * n)..<((start + count) * n), with: part.data)
            }
            start += count
        }
        return blocks
    }

    /// The input value of activation node `i` (its pre-activation).
    func preActivation(ofNode i: Int) -> ValueID { network.nodes[i].inputs[0] }
}
