import Foundation
import ONNXProto

/// Writes a ``PlantedNetwork`` as an ONNX model: IR version 8, opset 13 (which onnxruntime and
/// nnverify's loader read), input `input` of shape `[1, n]` and output `output` of shape `[1, m]`,
/// float32 (`raw_data`, little-endian) initializers. Each dense layer is one `Gemm` (weights stored
/// `out x in` with `transB = 1`, bias `C`) followed by its activation's node (``ONNXActivationForm``:
/// `Relu`, `Sigmoid`, `Tanh`, `LeakyRelu` with `alpha`, `Clip` with scalar bound inputs, ...); the parallel layout
/// adds the two chains' outputs with one `Add`. The bytes depend only on the network, so the same
/// network always gives the same file.
public enum ONNXWriter {
    /// The ONNX IR version written.
    public static let irVersion: Int64 = 8
    /// The default-domain opset written.
    public static let opsetVersion: Int64 = 13

    /// The serialised model.
    public static func data(_ network: PlantedNetwork) throws -> Data {
        try model(network).serializedData()
    }

    /// A plain chain (no planted counterexample) as a serialised model, e.g. a pruned copy of a model.
    public static func data(_ chain: LayerChain) throws -> Data {
        try model(layout: .embedded(chain)).serializedData()
    }

    /// The model as a protobuf message.
    public static func model(_ network: PlantedNetwork) -> Onnx_ModelProto {
        model(layout: network.layout)
    }

    private static func model(layout: PlantedNetwork.Layout) -> Onnx_ModelProto {
        var graph = Onnx_GraphProto()
        graph.name = "network"
        let inputSize: Int, outputSize: Int
        switch layout {
        case .embedded(let chain):
            (inputSize, outputSize) = (chain.inputSize, chain.outputSize)
            _ = append(chain, reading: "input", prefix: "", output: "output", to: &graph)
        case let .parallel(main, bump):
            (inputSize, outputSize) = (main.inputSize, main.outputSize)
            let a = append(main, reading: "input", prefix: "", output: nil, to: &graph)
            let b = append(bump, reading: "input", prefix: "branch_", output: nil, to: &graph)
            graph.node.append(node("Add", name: "add", inputs: [a, b], output: "output"))
        }
        graph.input = [valueInfo("input", size: inputSize)]
        graph.output = [valueInfo("output", size: outputSize)]

        var model = Onnx_ModelProto()
        model.irVersion = irVersion
        model.producerName = "nnverify"
        var opset = Onnx_OperatorSetIdProto()
        opset.domain = ""
        opset.version = opsetVersion
        model.opsetImport = [opset]
        model.graph = graph
        return model
    }

    /// Appends the chain's nodes and initializers; returns the name of its output value (`output`
    /// when given).
    private static func append(_ chain: LayerChain, reading input: String, prefix: String, output: String?,
                               to graph: inout Onnx_GraphProto) -> String {
        var current = input
        for (k, layer) in chain.layers.enumerated() {
            let isLast = k == chain.layers.count - 1
            let weightName = "\(prefix)W\(k)", biasName = "\(prefix)B\(k)"
            graph.initializer.append(tensor(weightName, dims: [layer.outputSize, layer.inputSize], values: layer.weight.data))
            graph.initializer.append(tensor(biasName, dims: [layer.outputSize], values: layer.bias))
            let gemmOut = isLast ? (output ?? "\(prefix)gemm\(k)") : "\(prefix)gemm\(k)"
            var gemm = node("Gemm", name: "\(prefix)gemm\(k)", inputs: [current, weightName, biasName], output: gemmOut)
            var transB = Onnx_AttributeProto()
            transB.name = "transB"
            transB.type = .int
            transB.i = 1
            gemm.attribute = [transB]
            graph.node.append(gemm)
            current = gemmOut
            if let act = layer.activation {
                let actOut = "\(prefix)\(act.rawValue)\(k)"
                let form = act.onnxForm
                var inputs = [current]
                for (i, value) in form.scalarInputs.enumerated() {
                    guard let value else { inputs.append(""); continue }
                    let name = "\(actOut)_input\(i + 1)"
                    graph.initializer.append(tensor(name, dims: [], values: [value]))
                    inputs.append(name)
                }
                while inputs.last == "" { inputs.removeLast() }
                var n = node(form.opType, name: actOut, inputs: inputs, output: actOut)
                for (name, value) in form.floatAttributes.sorted(by: { $0.key < $1.key }) {
                    var attribute = Onnx_AttributeProto()
                    attribute.name = name
                    attribute.type = .float
                    attribute.f = Float(value)
                    n.attribute.append(attribute)
                }
                graph.node.append(n)
                current = actOut
            }
        }
        return current
    }

    private static func node(_ type: String, name: String, inputs: [String], output: String) -> Onnx_NodeProto {
        var n = Onnx_NodeProto()
        n.opType = type
        n.name = name
        n.input = inputs
        n.output = [output]
        return n
    }

    /// A float32 tensor; `values` must be float32 values (they are converted exactly).
    private static func tensor(_ name: String, dims: [Int], values: [Double]) -> Onnx_TensorProto {
        var t = Onnx_TensorProto()
        t.name = name
        t.dims = dims.map(Int64.init)
        t.dataType = 1
        var bytes = Data(capacity: 4 * values.count)
        for v in values {
            let bits = Float(v).bitPattern.littleEndian
            withUnsafeBytes(of: bits) { bytes.append(contentsOf: $0) }
        }
        t.rawData = bytes
        return t
    }

    private static func valueInfo(_ name: String, size: Int) -> Onnx_ValueInfoProto {
        var shape = Onnx_TensorShapeProto()
        shape.dim = [1, size].map { d in
            var dim = Onnx_TensorShapeProto.Dimension()
            dim.dimValue = Int64(d)
            return dim
        }
        var tensorType = Onnx_TypeProto.Tensor()
        tensorType.elemType = 1
        tensorType.shape = shape
        var type = Onnx_TypeProto()
        type.tensorType = tensorType
        var info = Onnx_ValueInfoProto()
        info.name = name
        info.type = type
        return info
    }
}
