import LinearAlgebra

extension Network {
    /// Evaluates every value for a batch of inputs (`batch x inputSize`); element `v` is value `v`.
    public func evaluateAll(_ input: Matrix) -> [Matrix] {
        precondition(input.cols == inputSize, "evaluate: \(input.cols) input values, network takes \(inputSize)")
        var values = [input]
        values.reserveCapacity(nodes.count + 1)
        for node in nodes {
            values.append(node.op.forward(node.inputs.map { values[$0] }))
        }
        return values
    }

    /// Network outputs for a batch of inputs (`batch x inputSize` → `batch x outputSize`).
    public func evaluate(_ input: Matrix) -> Matrix { evaluateAll(input)[output] }

    /// Network output for one input vector.
    public func evaluate(_ input: [Double]) throws -> [Double] {
        guard input.count == inputSize else { throw NetworkError.inputSize(expected: inputSize, got: input.count) }
        return evaluate(Matrix(rows: 1, cols: input.count, data: input)).data
    }

    /// Outputs and the input gradient of `Σ_j outputGradient[b, j] · y_j(x_b)` for each batch row,
    /// by reverse-mode differentiation through every operator.
    public func gradient(_ input: Matrix, outputGradient: (Matrix) -> Matrix) -> (output: Matrix, gradient: Matrix) {
        let values = evaluateAll(input)
        let out = values[output]
        var grads = [Matrix?](repeating: nil, count: nodes.count + 1)
        grads[output] = outputGradient(out)
        for i in stride(from: nodes.count - 1, through: 0, by: -1) {
            guard let g = grads[i + 1] else { continue }
            let node = nodes[i]
            let inputGrads = node.op.gradient(inputs: node.inputs.map { values[$0] }, output: values[i + 1], outputGradient: g)
            for (v, ig) in zip(node.inputs, inputGrads) {
                if grads[v] == nil { grads[v] = ig } else { grads[v]!.add(ig) }
            }
        }
        return (out, grads[0] ?? Matrix(rows: input.rows, cols: inputSize))
    }
}
