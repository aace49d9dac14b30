import Foundation
import NNGraph

/// ONNX `BatchNormalization` at inference: `y = scale · (x − mean) / sqrt(var + epsilon) + B` per channel
/// (axis 1), with constant `scale`, `B`, `mean` and `var` of shape `[C]`. That is an elementwise affine map,
/// which the graph builder folds into the producing Convolution or Affine node when that has no other
/// consumer, and otherwise adds as an ``ElementwiseAffine`` (the per-channel values repeated over each
/// channel's positions). `training_mode` = 1 and `spatial` = 0 (per-element statistics, before opset 9)
/// are refused; `momentum` only matters in training and is ignored.
struct BatchNormalizationConverter: OperatorConverter {
    func convert(_ node: NodeContext, _ graph: inout GraphBuilder) throws -> [Operand] {
        try node.expectInputs(5, 5)
        let x = try node.input(0)
        guard x.shape.count >= 2 else {
            throw NodeIssue.shapeMismatch("input X has shape \(ShapeMath.format(x.shape)); expected [N, C, ...]")
        }
        let training = try node.int("training_mode", default: 0)
        guard training == 0 else {
            throw NodeIssue.unsupported("attribute 'training_mode' = \(training) (statistics of the batch); only inference is supported")
        }
        if node.opset < 9 {
            let spatial = try node.int("spatial", default: 1)
            guard spatial == 1 else {
                throw NodeIssue.unsupported("attribute 'spatial' = \(spatial) (per-element statistics); only spatial = 1 is supported")
            }
        }
        let epsilon = try node.float("epsilon", default: 1e-5)
        let channels = x.shape[1]
        var parameters = [[Double]]()
        for (index, role) in ["scale", "B", "mean", "var"].enumerated() {
            let t = try node.constantInput(index + 1, role: "the \(role)")
            guard t.values.count == channels else {
                throw NodeIssue.shapeMismatch("\(role) has shape \(ShapeMath.format(t.shape)); expected [\(channels)] "
                    + "(one value per channel of X \(ShapeMath.format(x.shape)))")
            }
            parameters.append(t.values)
        }
        var channelScale = [Double](), channelShift = [Double]()
        for c in 0..<channels {
            let variance = parameters[3][c] + epsilon
            guard variance > 0 else {
                throw NodeIssue.invalid("var + epsilon is \(variance) for channel \(c); it must be positive")
            }
            let s = parameters[0][c] / variance.squareRoot()
            channelScale.append(s)
            channelShift.append(parameters[1][c] - parameters[2][c] * s)
        }
        let inner = x.shape[2...].reduce(1, *), outer = x.shape[0]
        var scale = [Double](), shift = [Double]()
        scale.reserveCapacity(outer * channels * inner)
        shift.reserveCapacity(outer * channels * inner)
        for _ in 0..<outer {
            for c in 0..<channels {
                scale.append(contentsOf: repeatElement(channelScale[c], count: inner))
                shift.append(contentsOf: repeatElement(channelShift[c], count: inner))
            }
        }
        switch x {
        case .constant(let t):
            let values = (0..<t.values.count).map { scale[$0] * t.values[$0] + shift[$0] }
            return [.constant(ConstantTensor(shape: t.shape, values: values))]
        case .computed(let v, let shape):
            return [graph.elementwiseAffine(v, scale: scale, shift: shift, shape: shape, name: node.name)]
        }
    }
}
