import NNGraph

/// Products that exporters emit for one-input activations, fused into that activation: a bilinear
/// relaxation of `x · g(x)` treats `x` and `g(x)` as independent and is much looser than the
/// activation's own lines.
///
/// The pattern is `(k·b) · (α·f(γ·b) + β)` for an elementwise activation `f` on the value `b`, each
/// affine step optional (uniform ElementwiseAffine nodes; `γ·b` and `k·b` with no shift); the activation
/// itself says whether that product is another activation (``ElementwiseActivation/timesInput(factor:innerScale:outerScale:outerShift:)``:
/// PyTorch's `x * sigmoid(x)` is SiLU, `x * (erf(x / 1.4142135) + 1)` is GELU), with the graph's own
/// constants, so the fused operator computes exactly what the graph does.
///
/// The operand nodes stay in the builder; ``GraphBuilder/finish(output:shape:keeping:)`` drops them when nothing
/// else reads them.
extension GraphBuilder {
    mutating func product(_ x: ValueID, _ y: ValueID, count: Int, shape: [Int], name: String) -> Operand {
        for (a, b) in [(x, y), (y, x)] {
            for (base, k) in [(a, 1.0), unscaled(a)] {
                if let op = fusedActivation(base: base, factor: k, other: b) {
                    return append(op, inputs: [base], shape: shape, name: name)
                }
            }
        }
        return append(Product(size: count), inputs: [x, y], shape: shape, name: name)
    }

    /// The activation `g` with `(k·base) · other = g(base)`, if `other` has the pattern's form.
    private func fusedActivation(base: ValueID, factor k: Double, other: ValueID) -> (any ElementwiseActivation)? {
        var inner = other, alpha = 1.0, beta = 0.0
        if let (op, input) = producer(other), let affine = op as? ElementwiseAffine,
           let a = uniform(affine.scale), let b = uniform(affine.shift) {
            (inner, alpha, beta) = (input, a, b)
        }
        guard let (op, input) = producer(inner), let f = op as? any ElementwiseActivation else { return nil }
        let (argument, gamma) = input == base ? (base, 1.0) : unscaled(input)
        guard argument == base else { return nil }
        return f.timesInput(factor: k, innerScale: gamma, outerScale: alpha, outerShift: beta)
    }

    /// `(b, k)` when `v` is `k·b` by a uniform ElementwiseAffine with no shift, else `(v, 1)`.
    private func unscaled(_ v: ValueID) -> (ValueID, Double) {
        guard let (op, input) = producer(v), let affine = op as? ElementwiseAffine,
              let k = uniform(affine.scale), k != 0, k.isFinite, uniform(affine.shift) == 0 else { return (v, 1) }
        return (input, k)
    }

    private func producer(_ v: ValueID) -> (any Operator, ValueID)? {
        guard v > 0, nodes[v - 1].inputs.count == 1 else { return nil }
        return (nodes[v - 1].op, nodes[v - 1].inputs[0])
    }

    private func uniform(_ values: [Double]) -> Double? {
        guard let first = values.first, values.allSatisfy({ $0 == first }) else { return nil }
        return first
    }
}
