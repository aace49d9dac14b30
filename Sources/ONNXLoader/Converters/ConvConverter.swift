import LinearAlgebra
import NNGraph

/// ONNX `Conv` (1-D or 2-D) with a constant weight `W` of shape `[C_out, C_in/group, kH, kW]` and an
/// optional constant bias `B` of shape `[C_out]`, on an input `[1, C_in, H, W]` (or `[1, C_in, L]`): one
/// ``Convolution`` node. Attributes: `kernel_shape` (must agree with `W`), `strides`, `pads` (asymmetric
/// allowed), `dilations`, `group`, `auto_pad` (NOTSET, VALID, SAME_UPPER, SAME_LOWER). A constant input is
/// convolved at load time. A computed weight or bias, a batch larger than 1 and 3-D convolutions are refused.
struct ConvConverter: OperatorConverter {
    func convert(_ node: NodeContext, _ graph: inout GraphBuilder) throws -> [Operand] {
        try node.expectInputs(2, 3)
        let x = try node.input(0)
        let w = try node.constantInput(1, role: "the weight W")
        let shape = x.shape
        guard shape.count >= 3 else {
            throw NodeIssue.shapeMismatch("Conv input X has shape \(ShapeMath.format(shape)); expected [N, C, ...spatial]")
        }
        guard shape[0] == 1 else {
            throw NodeIssue.unsupported("a batch of \(shape[0]) images in X \(ShapeMath.format(shape)); only a batch dimension of 1 is supported")
        }
        guard w.shape.count == shape.count else {
            throw NodeIssue.shapeMismatch("weight W has shape \(ShapeMath.format(w.shape)), which does not fit input X \(ShapeMath.format(shape))")
        }
        let group = try node.int("group", default: 1)
        let channels = shape[1], outputChannels = w.shape[0]
        guard group >= 1, channels % group == 0, outputChannels % group == 0 else {
            throw NodeIssue.invalid("attribute 'group' is \(group); it must divide the \(channels) input channels and the "
                + "\(outputChannels) output channels")
        }
        guard w.shape[1] == channels / group else {
            throw NodeIssue.shapeMismatch("weight W has shape \(ShapeMath.format(w.shape)): dimension 1 must be "
                + "\(channels / group) (input channels \(channels) / group \(group))")
        }
        let kernel = Array(w.shape[2...])
        if let declared = try node.ints("kernel_shape"), declared != kernel {
            throw NodeIssue.invalid("attribute 'kernel_shape' \(declared) differs from the weight's spatial shape \(ShapeMath.format(kernel))")
        }
        let window = try SpatialWindow.resolve(node, spatial: Array(shape[2...]), kernel: kernel, ceilMode: false)
        let outputShape = [1, outputChannels] + window.outputShape
        _ = try ShapeMath.elementCount(outputShape, what: "Conv output")
        _ = try ShapeMath.elementCount([w.shape[1...].reduce(1, *), window.outputPlane], what: "Conv patch table")
        let geometry = try window.geometry(inputChannels: channels, outputChannels: outputChannels, groups: group)

        var bias: [Double]? = nil
        if node.optionalInput(2) != nil {
            let b = try node.constantInput(2, role: "the bias B")
            guard b.values.count == outputChannels && b.shape.count == 1 else {
                throw NodeIssue.shapeMismatch("bias B has shape \(ShapeMath.format(b.shape)); expected [\(outputChannels)]")
            }
            bias = b.values
        }
        let op = Convolution(geometry: geometry, weight: w.values, bias: bias)
        switch x {
        case .constant(let t):
            let y = op.forward([Matrix(rows: 1, cols: t.values.count, data: t.values)])
            return [.constant(ConstantTensor(shape: outputShape, values: y.data))]
        case .computed(let v, _):
            return [graph.append(op, inputs: [v], shape: outputShape, name: node.name)]
        }
    }
}
