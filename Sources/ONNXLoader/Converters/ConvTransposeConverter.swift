import LinearAlgebra
import NNGraph

/// ONNX `ConvTranspose` (1-D or 2-D) with a constant weight `W` `[C_in, C_out/group, k...]` and optional
/// constant bias `B` `[C_out]`, on an input `[1, C_in, spatial...]`: one ``TransposedConvolution`` node
/// (evaluated at load time on a constant input).
///
/// Per spatial axis with input length `n`, stride `s`, dilated kernel extent `e = (k − 1)·d + 1` and
/// `output_padding` `a`, the full output length is `s·(n − 1) + a + e`, of which `pads` crop `p_begin`
/// and `p_end`. With `output_shape`, the crop is `max(0, full − output_shape)`, split as the ONNX spec and
/// onnxruntime do (the larger half at the end for `SAME_UPPER`, at the beginning otherwise); with `auto_pad`
/// `SAME_UPPER` or `SAME_LOWER` the crop makes the output `n·s` long, split the same way; `VALID` crops nothing.
/// Refused: 3-D inputs, a batch above 1, a computed weight or bias, and output lengths that leave whole
/// strides past the last tap (`output_padding` at least the stride, or an `output_shape` beyond that).
struct ConvTransposeConverter: OperatorConverter {
    func convert(_ node: NodeContext, _ graph: inout GraphBuilder) throws -> [Operand] {
        try node.expectInputs(2, 3)
        let x = try node.input(0)
        let w = try node.constantInput(1, role: "the weight W")
        let shape = x.shape
        guard shape.count == 3 || shape.count == 4 else {
            throw NodeIssue.unsupported("ConvTranspose input X of shape \(ShapeMath.format(shape)); only 1-D and 2-D "
                + "inputs [N, C, L] or [N, C, H, W] are supported")
        }
        guard shape[0] == 1 else {
            throw NodeIssue.unsupported("a batch of \(shape[0]) images in X \(ShapeMath.format(shape)); only a batch dimension of 1 is supported")
        }
        let d = shape.count - 2
        guard w.shape.count == shape.count, w.shape[0] == shape[1] else {
            throw NodeIssue.shapeMismatch("weight W has shape \(ShapeMath.format(w.shape)), which does not fit input X \(ShapeMath.format(shape))")
        }
        let group = try node.int("group", default: 1)
        guard group >= 1, shape[1] % group == 0 else {
            throw NodeIssue.invalid("attribute 'group' is \(group); it must divide the \(shape[1]) input channels")
        }
        let inputChannels = shape[1], outputChannels = w.shape[1] * group
        let kernel = Array(w.shape[2...])
        if let declared = try node.ints("kernel_shape"), declared != kernel {
            throw NodeIssue.invalid("attribute 'kernel_shape' \(declared) differs from the weight's spatial shape \(ShapeMath.format(kernel))")
        }
        func list(_ name: String, count: Int, fill: Int, minimum: Int) throws(NodeIssue) -> [Int] {
            guard let v = try node.ints(name) else { return [Int](repeating: fill, count: count) }
            guard v.count == count, v.allSatisfy({ $0 >= minimum && $0 <= SpatialWindow.largestAttribute }) else {
                throw NodeIssue.invalid("attribute '\(name)' is \(v); expected \(count) values, each at least \(minimum)")
            }
            return v
        }
        let strides = try list("strides", count: d, fill: 1, minimum: 1)
        let dilations = try list("dilations", count: d, fill: 1, minimum: 1)
        let outputPadding = try list("output_padding", count: d, fill: 0, minimum: 0)
        let autoPad = try node.string("auto_pad", default: "NOTSET")
        guard ["NOTSET", "", "VALID", "SAME_UPPER", "SAME_LOWER"].contains(autoPad) else {
            throw NodeIssue.unsupported("attribute 'auto_pad' = '\(autoPad)'; supported: NOTSET, VALID, SAME_UPPER, SAME_LOWER")
        }
        var outputShape = try node.ints("output_shape")
        if let o = outputShape, o.count == d + 2 { outputShape = Array(o[2...]) }
        if let o = outputShape, o.count != d || o.contains(where: { $0 < 1 || $0 > SpatialWindow.largestAttribute }) {
            throw NodeIssue.invalid("attribute 'output_shape' is \(o); expected \(d) positive spatial lengths")
        }
        var pads = try list("pads", count: 2 * d, fill: 0, minimum: 0)
        if autoPad != "NOTSET" && autoPad != "" && pads.contains(where: { $0 != 0 }) && outputShape == nil {
            throw NodeIssue.invalid("attribute 'pads' (\(pads)) cannot be combined with auto_pad = '\(autoPad)'")
        }
        var lengths = [Int]()
        for i in 0..<d {
            let n = shape[2 + i], extent = (kernel[i] - 1) * dilations[i] + 1
            let full = strides[i] * (n - 1) + outputPadding[i] + extent
            var total: Int? = nil
            if let o = outputShape { total = max(0, full - o[i]) }
            else if autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER" { total = max(0, full - n * strides[i]) }
            if let t = total {
                let upper = autoPad == "SAME_UPPER"
                pads[i] = upper ? t / 2 : t - t / 2
                pads[i + d] = t - pads[i]
            }
            let length = outputShape?[i] ?? full - pads[i] - pads[i + d]
            guard length >= 1 else {
                throw NodeIssue.shapeMismatch("pads \(pads) crop the whole output along spatial axis \(i) (full length \(full))")
            }
            lengths.append(length)
        }
        let outShape = [1, outputChannels] + lengths
        _ = try ShapeMath.elementCount(outShape, what: "ConvTranspose output")
        _ = try ShapeMath.elementCount([w.shape[1...].reduce(1, *), shape[2...].reduce(1, *)], what: "ConvTranspose patch table")
        func twoD(_ v: [Int], _ fill: Int) -> [Int] { d == 1 ? [fill, v[0]] : v }
        let size = twoD(lengths, 1), k = twoD(kernel, 1), s = twoD(strides, 1), dil = twoD(dilations, 1)
        let begin = twoD(Array(pads[..<d]), 0), inner = twoD(Array(shape[2...]), 1)
        // Zero padding of the adjoint convolution after the output, so that its last window starts at
        // the last input position.
        var after = [0, 0]
        for i in 0..<2 {
            let reach: Int = s[i] * (inner[i] - 1) + (k[i] - 1) * dil[i] + 1
            after[i] = max(0, reach - size[i] - begin[i])
        }
        let geometry: ConvolutionGeometry
        do {
            geometry = try ConvolutionGeometry(
                inputChannels: outputChannels, inputHeight: size[0], inputWidth: size[1], outputChannels: inputChannels,
                kernelHeight: k[0], kernelWidth: k[1], strideHeight: s[0], strideWidth: s[1],
                padTop: begin[0], padLeft: begin[1], padBottom: after[0], padRight: after[1],
                dilationHeight: dil[0], dilationWidth: dil[1], groups: group)
        } catch {
            throw NodeIssue.invalid("\(error)")
        }
        guard geometry.outputHeight == inner[0] && geometry.outputWidth == inner[1] else {
            throw NodeIssue.unsupported("output length \(ShapeMath.format(lengths)) leaves whole strides after the last "
                + "kernel tap (output_padding \(outputPadding), strides \(strides)); only outputs shorter than that are supported")
        }
        var bias: [Double]? = nil
        if node.optionalInput(2) != nil {
            let b = try node.constantInput(2, role: "the bias B")
            guard b.values.count == outputChannels && b.shape.count == 1 else {
                throw NodeIssue.shapeMismatch("bias B has shape \(ShapeMath.format(b.shape)); expected [\(outputChannels)]")
            }
            bias = b.values
        }
        let op = TransposedConvolution(adjointGeometry: geometry, weight: w.values, bias: bias)
        switch x {
        case .constant(let t):
            let y = op.forward([Matrix(rows: 1, cols: t.values.count, data: t.values)])
            return [.constant(ConstantTensor(shape: outShape, values: y.data))]
        case .computed(let v, _):
            return [graph.append(op, inputs: [v], shape: outShape, name: node.name)]
        }
    }
}
