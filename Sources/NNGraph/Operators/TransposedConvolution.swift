import LinearAlgebra

/// Transposed 2-D convolution with bias (ONNX `ConvTranspose`, 1-D as height 1), on flat CHW vectors.
///
/// With input `x` of shape `[C_in, H_in, W_in]` and the ONNX weight `W` of shape `[C_in, C_out/g, kH, kW]`,
/// `y[o, p] = bias[o] + Σ x[c, ih, iw] · W[c, o', ki, kj]` over the input positions and kernel taps that
/// land on output position `p = (ih·sH − padTop + ki·dH, iw·sW − padLeft + kj·dW)`, for the input channels
/// `c` of output channel `o`'s group (`o'` its index in the group); taps landing outside the output are
/// dropped (the `pads` crop), and output positions no tap reaches hold only the bias.
///
/// That is exactly the transpose of the ``Convolution`` `K` described by ``adjointGeometry``: it reads an
/// image of the *output's* shape `[C_out, H_out, W_out]` and produces one of the *input's* shape, with the
/// same weight tensor (whose layout `[C_in, C_out/g, kH, kW]` is a convolution weight with `C_in` output
/// channels), the same strides, dilations, groups and begin pads; its zero padding is the ConvTranspose's
/// cropping. So `y = Kᵀ x + b`, and every map is one of `K`'s through BLAS:
/// ``forward(_:)`` is `K`'s transposed map (col2im), ``pullBack(_:)`` and the gradient are `K`'s forward
/// map (`A Kᵀ` per row is `K` applied to each row, exact), ``interval(_:)`` is the centre–radius form
/// `Kᵀ c + b ± |K|ᵀ r`, and ``pushForward(lower:upper:)`` applies `(K⁺)ᵀ`, `(K⁻)ᵀ` to the coefficient columns.
public struct TransposedConvolution: LinearOperator, ParameterCounting {
    /// The convolution `K` whose transpose this is: its input is this operator's output.
    public let adjointGeometry: ConvolutionGeometry
    /// The ONNX weight tensor `[C_in, C_out/groups, kH, kW]`, flat.
    public let weight: [Double]
    /// One value per output channel (`adjointGeometry.inputChannels`).
    public let bias: [Double]
    /// `K` with the weights, their absolute values, positive and negative parts (no bias).
    let adjoint: Convolution
    let absolute: Convolution
    let positive: Convolution
    let negative: Convolution

    /// `geometry` is the adjoint convolution's (see the type's documentation); `weight` has
    /// `geometry.outputChannels · geometry.kernelLength` values, `bias` (zeros when nil)
    /// `geometry.inputChannels`.
    public init(adjointGeometry geometry: ConvolutionGeometry, weight: [Double], bias: [Double]? = nil) {
        precondition(bias == nil || bias!.count == geometry.inputChannels, "TransposedConvolution: bias length \(bias!.count)")
        adjointGeometry = geometry
        self.weight = weight
        self.bias = bias ?? [Double](repeating: 0, count: geometry.inputChannels)
        adjoint = Convolution(geometry: geometry, weight: weight)
        absolute = Convolution(geometry: geometry, weight: weight.map(abs))
        positive = Convolution(geometry: geometry, weight: weight.map { max($0, 0) })
        negative = Convolution(geometry: geometry, weight: weight.map { min($0, 0) })
    }

    public var kind: String { "TransposedConvolution" }
    public var arity: Int { 1 }
    public var inputSize: Int { adjointGeometry.outputSize }
    public var outputSize: Int { adjointGeometry.inputSize }
    public var parameterCount: Int { weight.count + bias.count }

    public func forward(_ inputs: [Matrix]) -> Matrix {
        var y = adjoint.convolveTransposed(inputs[0], biasTerms: false).part
        addBias(to: &y)
        return y
    }

    public func gradient(inputs: [Matrix], output: Matrix, outputGradient: Matrix) -> [Matrix] {
        [adjoint.convolve(outputGradient, with: adjoint.kernels)]
    }

    /// Centre–radius form: centre `Kᵀ c + b`, radius `|K|ᵀ r`.
    public func interval(_ inputs: [IntervalMatrix]) -> IntervalMatrix {
        let x = inputs[0]
        var centre = x.lower, radius = x.lower
        for i in 0..<centre.data.count {
            centre.data[i] = 0.5 * (x.lower.data[i] + x.upper.data[i])
            radius.data[i] = 0.5 * (x.upper.data[i] - x.lower.data[i])
        }
        var c = adjoint.convolveTransposed(centre, biasTerms: false).part
        addBias(to: &c)
        let r = absolute.convolveTransposed(radius, biasTerms: false).part
        var lower = c, upper = c
        lower.add(r, scale: -1)
        upper.add(r)
        return IntervalMatrix(lower: lower, upper: upper)
    }

    /// The bias of each output element's channel.
    public var offset: [Double] {
        let plane = adjointGeometry.inputHeight * adjointGeometry.inputWidth
        return (0..<outputSize).map { bias[$0 / plane] }
    }

    /// Each coefficient column is mapped as one sample by `(K⁺)ᵀ` and `(K⁻)ᵀ`.
    public func pushForward(lower: [Matrix], upper: [Matrix]) -> (lower: Matrix, upper: Matrix) {
        let l = lower[0].transposed, u = upper[0].transposed
        var lo = positive.convolveTransposed(l, biasTerms: false).part
        var hi = positive.convolveTransposed(u, biasTerms: false).part
        lo.add(negative.convolveTransposed(u, biasTerms: false).part)
        hi.add(negative.convolveTransposed(l, biasTerms: false).part)
        return (lo.transposed, hi.transposed)
    }

    /// `A Kᵀ` is `K` applied to every row of `A`; the constant is `A b` summed per channel.
    public func pullBack(_ coefficients: Matrix) -> (inputs: [Matrix], constant: [Double]) {
        let a = coefficients
        var constant = [Double](repeating: 0, count: a.rows)
        if bias.contains(where: { $0 != 0 }) {
            let plane = adjointGeometry.inputHeight * adjointGeometry.inputWidth, n = outputSize
            for r in 0..<a.rows {
                var s = 0.0
                for o in 0..<bias.count where bias[o] != 0 {
                    var t = 0.0
                    for p in 0..<plane { t += a.data[r * n + o * plane + p] }
                    s += bias[o] * t
                }
                constant[r] = s
            }
        }
        return ([adjoint.convolve(a, with: adjoint.kernels)], constant)
    }

    private func addBias(to y: inout Matrix) {
        guard bias.contains(where: { $0 != 0 }) else { return }
        let plane = adjointGeometry.inputHeight * adjointGeometry.inputWidth, n = outputSize
        for r in 0..<y.rows {
            for o in 0..<bias.count {
                let b = bias[o], base = r * n + o * plane
                for p in 0..<plane { y.data[base + p] += b }
            }
        }
    }
}
