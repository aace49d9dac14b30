import Foundation
import NNGraph
import ONNXProto

/// Reads ONNX models into the ``Network`` graph IR.
///
/// Supported operators (default domain): Gemm, MatMul (one constant operand), Add, Sub, Mul, Div (one
/// constant operand, numpy broadcasting; `c / x` is refused), Add/Sub of two computed tensors of equal
/// size (residual connections), Relu, Sigmoid, Tanh, Flatten, Reshape (constant shape), Constant,
/// Identity, Dropout (inference), Conv (1-D/2-D, constant weights; strides, pads, dilations, group,
/// auto_pad), BatchNormalization (inference), MaxPool and AveragePool (1-D/2-D;
/// `ceil_mode`), GlobalMaxPool, GlobalAveragePool, Concat, Transpose.
///
/// Load-time simplification (so exporter subgraphs around view/flatten/reshape vanish): `Shape` and
/// `Size` of any tensor fold to constants (shapes are static; a symbolic batch dimension counts as 1).
/// Pure rearrangements — Slice, Gather (constant indices), Split, Expand, Tile, Where (constant
/// condition), Concat — are folded on constants and become exact ``Selection`` nodes on computed tensors;
/// Squeeze, Unsqueeze, Reshape and Cast to a floating-point type add no node. ConstantOfShape, Range,
/// ScatterND, comparisons and logic (Equal, Less, Greater, LessOrEqual, GreaterOrEqual, And, Or, Xor,
/// Not), elementwise math (Floor, Ceil, Round, Sqrt, Exp, Log, Neg, Abs, Sign, Reciprocal, Pow, Mod, Min,
/// Max, Clip), integer Casts and ReduceSum/Mean/Prod/Max/Min are evaluated on constants only. Parameters
/// that moved from attributes to inputs across opsets are read in both forms (``OpsetForms``).
///
/// Nodes whose inputs are all constants are evaluated at load time; an Affine or Convolution followed
/// by a constant Add/Sub/Mul/Div or BatchNormalization (per channel, for a Convolution) becomes one
/// node, as does a Selection of a Selection; MaxPool is lowered into linear maps and ReLUs (`max(a, b) = a + relu(b − a)`, see ``WindowMaximum``). The
/// network input is the one graph input that is not an initializer; a symbolic or zero leading (batch)
/// dimension counts as 1. Shapes in the IR are the ONNX shapes with that leading dimension (e.g.
/// `[1, 1, 28, 28]`), so flat indices match VNN-LIB's `X_i`.
///
/// Every problem is reported as one ``ONNXError`` naming the file (and node, operator or tensor).
public enum ONNXLoader {
    /// The largest tensor (or derived weight matrix) the loader creates, in elements: 100 million
    /// (800 MB as `Double`). Larger ones are refused before anything is allocated.
    public static let maxTensorElements = 100_000_000
    /// The largest computed value (the network input, or any node output that depends on it), in
    /// elements: 4 million (the largest VNN-COMP network, VGG-16 on 224 x 224 images, peaks at 3.2
    /// million). Checked for the input before any node is converted, and for each node's output
    /// after it is converted, so one node's conversion works on at most this many input elements.
    public static let maxValueElements = 4_000_000
    /// The largest total, in elements, of all computed values of the network (the sum over its
    /// nodes' outputs, including the nodes MaxPool is lowered into): 100 million. Bounds the memory
    /// and load time of many-node graphs whose nodes each stay under ``maxValueElements``.
    public static let maxNetworkElements = 100_000_000
    /// The largest model file accepted, in bytes: 2 GiB, the protobuf limit.
    public static let maxFileBytes = 2_147_483_647

    /// Loads the ONNX model at `path` and converts it into a ``Network``.
    /// - Throws: ``ONNXError`` naming `path`.
    public static func load(contentsOf path: String) throws -> Network {
        let data = try ModelDecoding.readFile(path)
        return try load(data: data, fileName: path)
    }

    /// Converts the ONNX model in `data` into a ``Network``; `fileName` names it in errors.
    /// - Throws: ``ONNXError`` naming `fileName`.
    public static func load(data: Data, fileName: String) throws -> Network {
        let model = try ModelDecoding.decodeModel(data, file: fileName)
        return try GraphConversion.network(from: model, file: fileName)
    }

    /// Loads the model at `path` and finds the IR value of each ONNX value (node output or graph
    /// input) named in `names`, e.g. the hidden nodes of a VNN-LIB 2.0 query. Each named value keeps
    /// its ONNX meaning exactly: nothing after it is folded into it, and it stays in the network even
    /// when the output does not depend on it. Values are flat row-major vectors, so element `k` of
    /// the ONNX tensor is entry `k` of the IR value.
    /// - Throws: ``ONNXError`` naming `path`; unknown names are not an error (``ValueLookup/missing``).
    public static func load(contentsOf path: String, exposing names: [String]) throws -> (network: Network, values: [String: ValueLookup]) {
        let data = try ModelDecoding.readFile(path)
        let model = try ModelDecoding.decodeModel(data, file: path)
        return try GraphConversion.network(from: model, file: path, exposing: names)
    }

    /// Summarises the ONNX model at `path` without converting it (works for unsupported models too).
    /// - Throws: ``ONNXError`` when the file is missing or not an ONNX model.
    public static func info(contentsOf path: String) throws -> ModelInfo {
        let data = try ModelDecoding.readFile(path)
        return try info(data: data, fileName: path)
    }

    /// Summarises the ONNX model in `data`; `fileName` names it.
    public static func info(data: Data, fileName: String) throws -> ModelInfo {
        let model = try ModelDecoding.decodeModel(data, file: fileName)
        return ModelInfo(model: model, file: fileName)
    }
}

/// What an ONNX value name denotes in a loaded ``Network`` (``ONNXLoader/load(contentsOf:exposing:)``).
public enum ValueLookup: Sendable, Equatable {
    /// A value computed from the input: its IR value (0 is the network input) and its ONNX shape
    /// (a symbolic batch dimension counts as 1).
    case computed(ValueID, shape: [Int])
    /// A constant (initializer, `Constant` node, or folded at load time): it does not depend on the input.
    case constant(shape: [Int])
    /// No value of that name in the graph.
    case missing
}
