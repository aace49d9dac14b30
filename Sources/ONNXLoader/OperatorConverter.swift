import NNGraph

/// Converts one kind of ONNX node into IR nodes (or a constant).
///
/// A converter receives the node's inputs as ``Operand``s. When every input is a constant it must
/// evaluate the node at load time and return constants (constant folding); otherwise it appends IR
/// nodes through the ``GraphBuilder`` and returns the resulting computed operands. It returns one
/// operand per ONNX output it defines, in order; outputs it does not define (e.g. Dropout's mask)
/// must be unused in the graph, which the loader checks.
///
/// Problems specific to the node are thrown as ``NodeIssue`` and reported with the file, node name and
/// operator attached.
///
/// To support a new ONNX operator, add one file with a converter and one line to
/// ``OperatorRegistry/converters``.
protocol OperatorConverter: Sendable {
    func convert(_ node: NodeContext, _ graph: inout GraphBuilder) throws -> [Operand]
}

/// The converters of the supported ONNX operators (default domain), keyed by `op_type`.
enum OperatorRegistry {
    static let converters: [String: any OperatorConverter] = [
        "Gemm": GemmConverter(),
        "MatMul": MatMulConverter(),
        "Add": ElementwiseArithmeticConverter(operation: .add),
        "Sub": ElementwiseArithmeticConverter(operation: .sub),
        "Mul": ElementwiseArithmeticConverter(operation: .mul),
        "Div": ElementwiseArithmeticConverter(operation: .div),
        "Relu": ActivationConverter { ReLU(size: $1) },
        "Sigmoid": ActivationConverter { Sigmoid(size: $1) },
        "Tanh": ActivationConverter { Tanh(size: $1) },
        "LeakyRelu": ActivationConverter { LeakyReLU(size: $1, alpha: try $0.float("alpha", default: 0.01)) },
        "Abs": ActivationConverter { Abs(size: $1) },
        "Sin": ActivationConverter { Sin(size: $1) },
        "Cos": ActivationConverter { Cos(size: $1) },
        "Erf": ActivationConverter { Erf(size: $1) },
        "Softplus": ActivationConverter { Softplus(size: $1) },
        "Softsign": ActivationConverter { Softsign(size: $1) },
        "Gelu": ActivationConverter { node, size in
            switch try node.string("approximate", default: "none") {
            case "none": return Gelu(size: size)
            case "tanh": return GeluTanh(size: size)
            case let other: throw NodeIssue.invalid("attribute approximate is '\(other)'; expected 'none' or 'tanh'")
            }
        },
        "Clip": ClipConverter(),
        "HardSigmoid": HardSigmoidConverter(),
        "PRelu": PReluConverter(),
        "Max": ExtremumConverter(isMaximum: true),
        "Min": ExtremumConverter(isMaximum: false),
        "Flatten": FlattenConverter(),
        "Reshape": ReshapeConverter(),
        "Constant": ConstantConverter(),
        "Identity": IdentityConverter(),
        "Dropout": DropoutConverter(),
        "Conv": ConvConverter(),
        "BatchNormalization": BatchNormalizationConverter(),
        "MaxPool": MaxPoolConverter(),
        "AveragePool": AveragePoolConverter(),
        "GlobalMaxPool": MaxPoolConverter(global: true),
        "GlobalAveragePool": AveragePoolConverter(global: true),
        "Concat": ConcatConverter(),
        "Transpose": TransposeConverter(),
        "ConvTranspose": ConvTransposeConverter(),
        "Softmax": SoftmaxConverter(),
        "LayerNormalization": LayerNormalizationConverter(),
        "Resize": ResizeConverter(upsample: false),
        "Upsample": ResizeConverter(upsample: true),
        "Pad": PadConverter(),
        "Neg": NegConverter(),
        "Sum": SumConverter(mean: false),
        "Mean": SumConverter(mean: true),
        "ReduceSum": ReduceConverter(kind: .sum),
        "ReduceMean": ReduceConverter(kind: .mean),
        // Shapes and rearrangements (folded on constants; exact Selection/alias on computed tensors).
        "Shape": ShapeConverter(),
        "Size": SizeConverter(),
        "Gather": GatherConverter(),
        "Slice": SliceConverter(),
        "Split": SplitConverter(),
        "Squeeze": SqueezeConverter(),
        "Unsqueeze": UnsqueezeConverter(),
        "Expand": ExpandConverter(),
        "Tile": TileConverter(),
        "DepthToSpace": DepthToSpaceConverter(),
        "SpaceToDepth": DepthToSpaceConverter(toSpace: false),
        "GatherElements": GatherElementsConverter(),
        "GatherND": GatherNDConverter(),
        "CumSum": CumSumConverter(),
        "Trilu": TriluConverter(),
        "Where": WhereConverter(),
        "Cast": CastConverter(),
        // Evaluated at load time only (constants).
        "ConstantOfShape": ConstantOfShapeConverter(),
        "Range": RangeConverter(),
        "ScatterND": ScatterNDConverter(),
        "NonZero": NonZeroConverter(),
        "Equal": LogicalConverter(operation: .equal),
        "Less": LogicalConverter(operation: .less),
        "Greater": LogicalConverter(operation: .greater),
        "LessOrEqual": LogicalConverter(operation: .lessOrEqual),
        "GreaterOrEqual": LogicalConverter(operation: .greaterOrEqual),
        "And": LogicalConverter(operation: .and),
        "Or": LogicalConverter(operation: .or),
        "Xor": LogicalConverter(operation: .xor),
        "Not": LogicalConverter(operation: .not),
        "Floor": ConstantMathConverter(function: .floor),
        "Ceil": ConstantMathConverter(function: .ceil),
        "Round": ConstantMathConverter(function: .round),
        "Sqrt": SmoothActivationConverter(folding: .sqrt) { Sqrt(size: $1) },
        "Exp": SmoothActivationConverter(folding: .exp) { Exp(size: $1) },
        "Log": SmoothActivationConverter(folding: .log) { Log(size: $1) },
        "Sign": SmoothActivationConverter(folding: .sign) { Sign(size: $1) },
        "Reciprocal": SmoothActivationConverter(folding: .reciprocal) { Reciprocal(size: $1) },
        "Pow": PowConverter(),
        "Mod": ConstantMathConverter(function: .mod),
        "ReduceProd": ReduceConverter(kind: .prod),
        "ReduceMax": ReduceConverter(kind: .max),
        "ReduceMin": ReduceConverter(kind: .min),
    ]

    /// The registry key of a node: its `op_type` in the default domain (`""` or `ai.onnx`), else
    /// `domain.op_type`, which no converter handles.
    static func key(domain: String, opType: String) -> String {
        domain.isEmpty || domain == "ai.onnx" ? opType : "\(domain).\(opType)"
    }

    /// The converter for a key, or nil when the operator is not supported.
    static func converter(for key: String) -> (any OperatorConverter)? {
        converters[key]
    }
}

extension ONNXLoader {
    /// The ONNX operator types (default domain) the loader converts, sorted: the keys of the
    /// operator registry, for `nnverify supports --onnx-operators`.
    public static var supportedOperatorTypes: [String] { OperatorRegistry.converters.keys.sorted() }
}
