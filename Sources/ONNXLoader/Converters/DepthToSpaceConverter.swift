import NNGraph

/// ONNX `DepthToSpace` (PyTorch's `PixelShuffle`, mode `CRD`; default `DCR`) and `SpaceToDepth`
/// (`PixelUnshuffle` at some opsets): a pure rearrangement of a `[N, C, H, W]` tensor with `blocksize` b,
/// defined by the spec as reshape → transpose → reshape. Evaluated on constants; an exact ``Selection``
/// on computed tensors.
///
/// - DepthToSpace `DCR`: `[N, b, b, C/b², H, W]`, perm `[0, 3, 4, 1, 5, 2]`, → `[N, C/b², H·b, W·b]`;
///   `CRD`: `[N, C/b², b, b, H, W]`, perm `[0, 1, 4, 2, 5, 3]`.
/// - SpaceToDepth: `[N, C, H/b, b, W/b, b]`, perm `[0, 3, 5, 1, 2, 4]`, → `[N, C·b², H/b, W/b]`.
struct DepthToSpaceConverter: OperatorConverter {
    /// False for `SpaceToDepth`.
    var toSpace = true

    func convert(_ node: NodeContext, _ graph: inout GraphBuilder) throws -> [Operand] {
        try node.expectInputs(1, 1)
        let x = try node.input(0)
        guard x.shape.count == 4 else {
            throw NodeIssue.shapeMismatch("input has shape \(ShapeMath.format(x.shape)); expected [N, C, H, W]")
        }
        let b = try node.int("blocksize", default: 0)
        guard b >= 1 && b <= SpatialWindow.largestAttribute else {
            throw NodeIssue.invalid("attribute 'blocksize' is \(b); it must be a positive integer")
        }
        let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let split: [Int], perm: [Int], shape: [Int]
        if toSpace {
            guard c % (b * b) == 0 else {
                throw NodeIssue.shapeMismatch("\(c) channels are not divisible by blocksize² = \(b * b)")
            }
            let mode = try node.string("mode", default: "DCR")
            switch mode {
            case "DCR":
                split = [n, b, b, c / (b * b), h, w]
                perm = [0, 3, 4, 1, 5, 2]
            case "CRD":
                split = [n, c / (b * b), b, b, h, w]
                perm = [0, 1, 4, 2, 5, 3]
            default:
                throw NodeIssue.invalid("attribute 'mode' is '\(mode)'; it must be DCR or CRD")
            }
            shape = [n, c / (b * b), h * b, w * b]
        } else {
            guard h % b == 0 && w % b == 0 else {
                throw NodeIssue.shapeMismatch("spatial size \(h) x \(w) is not divisible by blocksize \(b)")
            }
            split = [n, c, h / b, b, w / b, b]
            perm = [0, 3, 5, 1, 2, 4]
            shape = [n, c * b * b, h / b, w / b]
        }
        _ = try ShapeMath.elementCount(shape, what: "result")
        let indices = Permutation.transposing(shape: split, permutation: perm).indices
        return [Rearrangement.gather(x, indices: indices, shape: shape, name: node.name, graph: &graph)]
    }
}
