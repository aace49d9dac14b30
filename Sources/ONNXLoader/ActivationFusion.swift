import NNGraph

/// Products that exporters emit for one-input activations, fused into that activation: a bilinear
/// relaxation of `x · g(x)` treats `x` and `g(x)` as independent and is much looser than the
/// activation's own lines.
///
/// - SiLU: `(k·b) · σ(b)` (PyTorch's `x * sigmoid(x)`, `k = 1` or a constant factor) becomes
///   `SiLU(scale: k)` on `b`.
/// - GELU: `(k·b) · (α·erf(γ·b) + α)` (PyTorch's `x * (erf(x / 1.4142135) + 1)`, `α = 1`) becomes
///   `Gelu(scale: k·α, erfScale: γ)` on `b`, with the graph's own constants, so the fused operator
///   computes exactly what the graph does.
///
/// Only the pattern's scale and shift values are compared, and exactly; anything else stays a product.
/// The operand nodes stay in the builder; ``GraphBuilder/finish(output:shape:)`` drops them when nothing
/// else reads them.
extension GraphBuilder {
    mutating func product(_ x: ValueID, _ y: ValueID, count: Int, shape: [Int], name: String) -> Operand {
        for (a, b) in [(x, y), (y, x)] {
            for (base, k) in [(a, 1.0), unscaled(a)] {
                if let op = fusedActivation(base: base, factor: k, other: b, count: count) {
                    return append(op, inputs: [base], shape: shape, name: name)
                }
            }
        }
        return append(Product(size: count), inputs: [x, y], shape: shape, name: name)
    }

    /// The activation `f` with `(k·base) · other = f(base)`, if `other` has one of the patterns.
    private func fusedActivation(base: ValueID, factor k: Double, other: ValueID, count: Int) -> (any ElementwiseActivation)? {
        guard other > 0, let (op, input) = producer(other) else { return nil }
        if op is Sigmoid, input == base { return SiLU(size: count, scale: k) }
        guard let affine = op as? ElementwiseAffine, let alpha = uniform(affine.scale), alpha != 0,
              uniform(affine.shift) == alpha, let (erf, erfInput) = producer(input), erf is Erf else { return nil }
        if erfInput == base { return Gelu(size: count, scale: k * alpha, erfScale: 1) }
        let (inner, gamma) = unscaled(erfInput)
        guard inner == base, gamma > 0, gamma.isFinite else { return nil }
        return Gelu(size: count, scale: k * alpha, erfScale: gamma)
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
