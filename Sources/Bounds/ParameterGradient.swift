import LinearAlgebra
import NNGraph

extension CROWN {
    /// The (sub)gradient of every row's bound of a recorded pass with respect to the row's own
    /// parameters, in the shape of ``BoundParameters``, from one forward sweep.
    ///
    /// The bound is `Σ a₀·x* + c` with `x*` the box corner each input coefficient picks; its derivative
    /// with respect to the coefficient block at any value is that value of the *linearised* network
    /// (every activation replaced by the line the row used) evaluated at `x*`. So for a line
    /// `s(p)·z + c(p)` the chain rule gives `∂bound/∂p = A_out·(ẑ_in·ds/dp + dc/dp)`, credited to the
    /// lower line's parameter where `A_out >= 0` (the lower line was used) and to the upper line's
    /// elsewhere; at split neurons `∂bound/∂β = −split·ẑ`.
    func parameterGradient(of pass: BackwardPass, target: ValueID, input: IntervalMatrix, rowDomain: [Int],
                           splits: SplitPattern, parameters: BoundParameters) -> BoundParameters {
        let rows = pass.coefficients.rows
        let n0 = network.inputSize
        let a0 = pass.coefficients
        var z = [Matrix?](repeating: nil, count: target + 1)
        var x = Matrix(rows: rows, cols: n0)
        for r in 0..<rows {
            let d = rowDomain[r]
            for j in 0..<n0 {
                x.data[r * n0 + j] = a0.data[r * n0 + j] >= 0 ? input.lower.data[d * n0 + j] : input.upper.data[d * n0 + j]
            }
        }
        z[0] = x
        var grad = BoundParameters()
        for i in 0..<target where pass.visited[i] {
            let node = network.nodes[i]
            if node.op is any LinearOperator {
                z[i + 1] = node.op.forward(node.inputs.map { z[$0] ?? Matrix(rows: rows, cols: network.size(of: $0)) })
            } else if let planes = pass.planes[i] {
                let zx = z[node.inputs[0]] ?? Matrix(rows: rows, cols: planes.x.cols)
                let zy = z[node.inputs[1]] ?? Matrix(rows: rows, cols: planes.x.cols)
                var zout = planes.constant
                for k in 0..<zout.data.count { zout.data[k] += planes.x.data[k] * zx.data[k] + planes.y.data[k] * zy.data[k] }
                z[i + 1] = zout
                if let a = pass.activationCoefficients[i] {
                    var lower = Matrix(rows: a.rows, cols: a.cols), upper = lower
                    for k in 0..<a.data.count {
                        let g = a.data[k] * (planes.dx.data[k] * zx.data[k] + planes.dy.data[k] * zy.data[k] + planes.dConstant.data[k])
                        if a.data[k] >= 0 { lower.data[k] = g } else { upper.data[k] = g }
                    }
                    if parameters.lower[i] != nil { grad.lower[i] = lower }
                    if parameters.upper[i] != nil { grad.upper[i] = upper }
                }
            } else if let lines = pass.lines[i], let zin = z[node.inputs[0]] {
                var zout = lines.intercept
                for k in 0..<zout.data.count { zout.data[k] += lines.slope.data[k] * zin.data[k] }
                z[i + 1] = zout
                if !lines.slopeDerivative.data.isEmpty, let a = pass.activationCoefficients[i] {
                    var lower = Matrix(rows: a.rows, cols: a.cols), upper = lower
                    for k in 0..<a.data.count {
                        let g = a.data[k] * (zin.data[k] * lines.slopeDerivative.data[k] + lines.interceptDerivative.data[k])
                        if a.data[k] >= 0 { lower.data[k] = g } else { upper.data[k] = g }
                    }
                    if parameters.lower[i] != nil { grad.lower[i] = lower }
                    if parameters.upper[i] != nil { grad.upper[i] = upper }
                }
            }
            if let s = splits[i + 1], let zv = z[i + 1] {
                let n = s.cols
                var g = Matrix(rows: rows, cols: n)
                for r in 0..<rows {
                    let d = rowDomain[r]
                    for j in 0..<n where s.data[d * n + j] != 0 { g.data[r * n + j] = -s.data[d * n + j] * zv.data[r * n + j] }
                }
                grad.beta[i + 1] = g
            }
        }
        return grad
    }
}
