import LinearAlgebra

/// 2-D convolution with bias (ONNX `Conv`; also `AveragePool` as a depthwise convolution), on flat CHW
/// vectors: `y[o, oh, ow] = bias[o] + Σ_{c, ki, kj} weight[o, c, ki, kj] · x[g·C_g + c, ih, iw]` with the
/// input position and group `g` of ``ConvolutionGeometry``.
///
/// Every map goes through BLAS on blocks of rows: the forward pass gathers image patches (im2col) into a
/// `kernelLength x rows·outputPlane` matrix and multiplies it by the `C_out/g x kernelLength` kernel of each
/// group; the transposed map (``pullBack(_:)``, ``gradient(inputs:output:outputGradient:)``) multiplies the
/// transposed kernel by the coefficients arranged as `C_out/g x rows·outputPlane` and scatter-adds the
/// result into the input positions (col2im). Rows are processed in chunks whose buffers hold about
/// 2 million values.
public struct Convolution: LinearOperator, ParameterCounting {
    public let geometry: ConvolutionGeometry
    /// The ONNX weight tensor `[outputChannels, inputChannels/groups, kernelHeight, kernelWidth]`, flat.
    public let weight: [Double]
    /// One value per output channel.
    public let bias: [Double]
    /// Per group: the `outputChannelsPerGroup x kernelLength` kernel; its absolute value (interval
    /// propagation); its positive and negative parts (forward linear bounds).
    let kernels: [Matrix]
    let absoluteKernels: [Matrix]
    let positiveKernels: [Matrix]
    let negativeKernels: [Matrix]
    /// ``ConvolutionGeometry/patchTable()``.
    let patches: [Int32]
    /// Values per im2col buffer that decide how many rows are processed together (tests lower it to
    /// exercise several chunks).
    var chunkBudget = 1 << 21

    /// A convolution with the given geometry; `weight` has `outputChannels · kernelLength` values and
    /// `bias` (zeros when nil) `outputChannels`.
    public init(geometry: ConvolutionGeometry, weight: [Double], bias: [Double]? = nil) {
        let g = geometry
        precondition(weight.count == g.outputChannels * g.kernelLength,
                     "Convolution: \(weight.count) weights for \(g.outputChannels) x \(g.kernelLength)")
        precondition(bias == nil || bias!.count == g.outputChannels, "Convolution: bias length \(bias!.count)")
        self.geometry = geometry
        self.weight = weight
        self.bias = bias ?? [Double](repeating: 0, count: g.outputChannels)
        let block = g.outputChannelsPerGroup * g.kernelLength
        kernels = (0..<g.groups).map { k in
            Matrix(rows: g.outputChannelsPerGroup, cols: g.kernelLength, data: Array(weight[(k * block)..<((k + 1) * block)]))
        }
        absoluteKernels = kernels.map { $0.map(abs) }
        positiveKernels = kernels.map { $0.map { max($0, 0) } }
        negativeKernels = kernels.map { $0.map { min($0, 0) } }
        patches = g.patchTable()
    }

    public var kind: String { "Convolution" }
    public var arity: Int { 1 }
    public var inputSize: Int { geometry.inputSize }
    public var outputSize: Int { geometry.outputSize }
    public var parameterCount: Int { weight.count + bias.count }

    public func forward(_ inputs: [Matrix]) -> Matrix {
        var y = convolve(inputs[0], with: kernels)
        addBias(to: &y)
        return y
    }

    public func gradient(inputs: [Matrix], output: Matrix, outputGradient: Matrix) -> [Matrix] {
        [convolveTransposed(outputGradient, biasTerms: false).part]
    }

    /// Centre–radius form: centre `conv(c) + b`, radius `conv_|W|(r)`.
    public func interval(_ inputs: [IntervalMatrix]) -> IntervalMatrix {
        let x = inputs[0]
        var centre = x.lower, radius = x.lower
        for i in 0..<centre.data.count {
            centre.data[i] = 0.5 * (x.lower.data[i] + x.upper.data[i])
            radius.data[i] = 0.5 * (x.upper.data[i] - x.lower.data[i])
        }
        var c = convolve(centre, with: kernels)
        addBias(to: &c)
        let r = convolve(radius, with: absoluteKernels)
        var lower = c, upper = c
        lower.add(r, scale: -1)
        upper.add(r)
        return IntervalMatrix(lower: lower, upper: upper)
    }

    /// The bias of each output element's channel.
    public var offset: [Double] {
        let plane = geometry.outputPlane
        return (0..<outputSize).map { bias[$0 / plane] }
    }

    /// Each coefficient column is convolved as one sample: positive weights keep the side, negative ones swap it.
    public func pushForward(lower: [Matrix], upper: [Matrix]) -> (lower: Matrix, upper: Matrix) {
        let l = lower[0].transposed, u = upper[0].transposed
        var lo = convolve(l, with: positiveKernels), hi = convolve(u, with: positiveKernels)
        lo.add(convolve(u, with: negativeKernels))
        hi.add(convolve(l, with: negativeKernels))
        return (lo.transposed, hi.transposed)
    }

    public func pullBack(_ coefficients: Matrix) -> (inputs: [Matrix], constant: [Double]) {
        let (part, constant) = convolveTransposed(coefficients, biasTerms: bias.contains { $0 != 0 })
        return ([part], constant)
    }

    // MARK: - im2col / col2im through BLAS

    /// Rows per chunk, so that a patch or coefficient buffer holds about ``chunkBudget`` values.
    private func chunkRows(_ total: Int) -> Int {
        let g = geometry
        let perRow = g.outputPlane * max(g.kernelLength, g.outputChannelsPerGroup)
        return max(1, min(total, chunkBudget / max(perRow, 1)))
    }

    /// The linear part `W x` for every row of `x`, with per-group kernels `k` (the weights or their
    /// absolute, positive or negative parts).
    func convolve(_ x: Matrix, with k: [Matrix]) -> Matrix {
        let g = geometry, plane = g.outputPlane, outCols = g.outputSize, perGroup = g.outputChannelsPerGroup
        var out = Matrix(rows: x.rows, cols: outCols)
        let chunk = chunkRows(x.rows)
        var start = 0
        while start < x.rows {
            let n = min(chunk, x.rows - start)
            for group in 0..<g.groups {
                let cols = gatherPatches(x, rows: start..<(start + n), group: group)
                let y = k[group] * cols  // perGroup x n·plane
                y.data.withUnsafeBufferPointer { src in
                    out.data.withUnsafeMutableBufferPointer { dst in
                        for o in 0..<perGroup {
                            for j in 0..<n {
                                let from = src.baseAddress! + (o * n + j) * plane
                                let to = dst.baseAddress! + (start + j) * outCols + (group * perGroup + o) * plane
                                to.update(from: from, count: plane)
                            }
                        }
                    }
                }
            }
            start += n
        }
        return out
    }

    /// `A W` for every row `A` of `a` (`rows x outputSize` → `rows x inputSize`): the transposed convolution.
    /// With `biasTerms`, also returns `A b` (the bias term of each row), summed in the same pass over `a`;
    /// otherwise zeros.
    func convolveTransposed(_ a: Matrix, biasTerms: Bool) -> (part: Matrix, constant: [Double]) {
        let g = geometry, plane = g.outputPlane, outCols = g.outputSize, perGroup = g.outputChannelsPerGroup
        var out = Matrix(rows: a.rows, cols: g.inputSize)
        var constant = [Double](repeating: 0, count: a.rows)
        let chunk = chunkRows(a.rows)
        var start = 0
        while start < a.rows {
            let n = min(chunk, a.rows - start)
            for group in 0..<g.groups {
                // Coefficients of this group's output channels as perGroup x n·plane.
                var block = Matrix(rows: perGroup, cols: n * plane)
                a.data.withUnsafeBufferPointer { src in
                    block.data.withUnsafeMutableBufferPointer { dst in
                        for o in 0..<perGroup {
                            let b = bias[group * perGroup + o]
                            for j in 0..<n {
                                let from = src.baseAddress! + (start + j) * outCols + (group * perGroup + o) * plane
                                (dst.baseAddress! + (o * n + j) * plane).update(from: from, count: plane)
                                if biasTerms && b != 0 {
                                    var sum = 0.0
                                    for p in 0..<plane { sum += from[p] }
                                    constant[start + j] += b * sum
                                }
                            }
                        }
                    }
                }
                let cols = kernels[group].multiplied(by: block, transposeSelf: true)  // kernelLength x n·plane
                scatterPatches(cols, rows: start..<(start + n), group: group, into: &out)
            }
            start += n
        }
        return (out, constant)
    }

    /// im2col: `kernelLength x rows·outputPlane`, column `j·outputPlane + p` holding the patch of output
    /// position `p` in row `rows.lowerBound + j`, for the input channels of `group`.
    private func gatherPatches(_ x: Matrix, rows: Range<Int>, group: Int) -> Matrix {
        let g = geometry, plane = g.outputPlane, n = rows.count, inCols = x.cols
        let offset = group * g.inputChannelsPerGroup * g.inputHeight * g.inputWidth
        var cols = Matrix(rows: g.kernelLength, cols: n * plane)
        patches.withUnsafeBufferPointer { table in
            x.data.withUnsafeBufferPointer { src in
                cols.data.withUnsafeMutableBufferPointer { dst in
                    for j in 0..<n {
                        let base = (rows.lowerBound + j) * inCols + offset
                        for k in 0..<g.kernelLength {
                            let to = (k * n + j) * plane, entries = k * plane
                            for p in 0..<plane {
                                let i = Int(table[entries + p])
                                if i >= 0 { dst[to + p] = src[base + i] }
                            }
                        }
                    }
                }
            }
        }
        return cols
    }

    /// col2im: adds column `j·outputPlane + p` of `cols` (`kernelLength x rows·outputPlane`) into the input
    /// positions that patch `p` reads, in row `rows.lowerBound + j` of `out`.
    private func scatterPatches(_ cols: Matrix, rows: Range<Int>, group: Int, into out: inout Matrix) {
        let g = geometry, plane = g.outputPlane, n = rows.count, inCols = out.cols
        let offset = group * g.inputChannelsPerGroup * g.inputHeight * g.inputWidth
        patches.withUnsafeBufferPointer { table in
            cols.data.withUnsafeBufferPointer { src in
                out.data.withUnsafeMutableBufferPointer { dst in
                    for j in 0..<n {
                        let base = (rows.lowerBound + j) * inCols + offset
                        for k in 0..<g.kernelLength {
                            let from = (k * n + j) * plane, entries = k * plane
                            for p in 0..<plane {
                                let i = Int(table[entries + p])
                                if i >= 0 { dst[base + i] += src[from + p] }
                            }
                        }
                    }
                }
            }
        }
    }

    private func addBias(to y: inout Matrix) {
        let plane = geometry.outputPlane, n = outputSize
        guard bias.contains(where: { $0 != 0 }) else { return }
        y.data.withUnsafeMutableBufferPointer { dst in
            for r in 0..<y.rows {
                for o in 0..<geometry.outputChannels {
                    let b = bias[o], base = r * n + o * plane
                    for p in 0..<plane { dst[base + p] += b }
                }
            }
        }
    }
}
