/// The naive global Lipschitz bound, for comparison: per value `v`, a bound `K_v` on the Lipschitz
/// constant of `x ↦ v(x)` from `‖·‖_p` to `‖·‖_p` over all inputs — `K_input = 1`, a linear node adds
/// `Σ_i ‖J_i‖_{p→p}·K_{input i}`, an activation multiplies by its largest `|f'|` (for a chain this is
/// the product of the layers' operator norms). The bound of `c·y` is `‖c‖_*·K_output`. For `p = 2` the
/// operator norms are over-estimated by `min(‖J‖_F, √(‖J‖₁‖J‖_∞))` (see ``InputNorm``), so it stays an
/// upper bound.
extension JacobianNetwork {
    public func globalConstant(norm: InputNorm) -> Double {
        var k = [Double](repeating: 0, count: network.nodes.count + 1)
        k[0] = 1
        let slack = 1 + 4 * Double.ulpOfOne
        for (i, node) in network.nodes.enumerated() where reachesOutput[i] {
            if let blocks = jacobians[i] {
                var total = 0.0
                for (b, v) in zip(blocks, node.inputs) {
                    total += norm.operatorNormBound(rows: b.rows, cols: b.cols, entries: b.data) * k[v]
                }
                k[i + 1] = total * slack
            } else {
                k[i + 1] = (DerivativeRange.globalMagnitude(node.op) ?? .infinity) * k[node.inputs[0]] * slack
            }
        }
        return k[network.output]
    }
}
