import Foundation
import ONNXProto
import SwiftProtobuf

/// Protobuf-level mutations of ONNX models through the generated `ONNXProto` types: huge or
/// negative dimensions, removed initializers, node inputs rewired into cycles, NaN and infinite
/// weights, wrong data types, hostile attributes, dropped or duplicated nodes. Files that do not
/// decode get byte-level mutations only.
enum ONNXMutations {
    static let hostileDims: [Int64] = [0, -1, -7, 1 << 20, 100_000_001, 1 << 31, 1 << 40, Int64.max, Int64.min]
    static let hostileInts: [Int64] = [0, -1, -2, 1, 2, 3, 7, 64, 1 << 20, 1 << 40, Int64.max, Int64.min]
    static let hostileFloats: [Float] = [.nan, .infinity, -.infinity, .greatestFiniteMagnitude, 0, -0.0, .leastNonzeroMagnitude]
    static let opTypes = [
        "Relu", "Sigmoid", "Tanh", "Gemm", "MatMul", "Add", "Sub", "Mul", "Div", "Conv", "Flatten", "Reshape",
        "Identity", "Dropout", "Concat", "Transpose", "MaxPool", "AveragePool", "GlobalAveragePool",
        "BatchNormalization", "Constant", "Softmax", "LSTM", "",
    ]
    static let dataTypes: [Int32] = [0, 1, 2, 3, 6, 7, 9, 10, 11, 13, 16, 99, -1]

    /// One to three protobuf-level mutations, then sometimes byte-level ones on the encoding.
    static func mutate(_ input: [UInt8], other: [UInt8], _ rng: inout SeededRandom) -> ([UInt8], [String]) {
        guard var model = try? Onnx_ModelProto(serializedBytes: input), model.hasGraph,
              (rng.below(8) != 0) else {
            return ByteMutations.mutate(input, other: other, &rng)
        }
        var log: [String] = []
        for _ in 0..<(1 + rng.below(3)) { log.append(mutateOnce(&model.graph, &rng)) }
        guard var bytes: [UInt8] = try? model.serializedBytes() else { return (input, log + ["encoding failed"]) }
        if rng.oneIn(5) {
            let (mutated, more) = ByteMutations.mutate(bytes, other: other, &rng)
            bytes = mutated
            log += more
        }
        return (bytes, log)
    }

    static func mutateOnce(_ graph: inout Onnx_GraphProto, _ rng: inout SeededRandom) -> String {
        switch rng.below(12) {
        case 0:
            guard !graph.input.isEmpty else { return "no input" }
            let k = rng.below(graph.input.count)
            guard case .tensorType(var type)? = graph.input[k].type.value, !type.shape.dim.isEmpty else { return "input untyped" }
            let d = rng.below(type.shape.dim.count), value = rng.pick(hostileDims)
            type.shape.dim[d].dimValue = value
            graph.input[k].type.value = .tensorType(type)
            return "input \(k) dim \(d) = \(value)"
        case 1:
            guard let t = pickIndex(graph.initializer.count, &rng) else { return "no initializer" }
            var dims = graph.initializer[t].dims
            if dims.isEmpty || rng.oneIn(4) {
                dims.append(rng.pick(hostileDims))
            } else {
                dims[rng.below(dims.count)] = rng.pick(hostileDims)
            }
            graph.initializer[t].dims = dims
            return "initializer \(t) dims = \(dims)"
        case 2:
            guard let t = pickIndex(graph.initializer.count, &rng) else { return "no initializer" }
            let name = graph.initializer[t].name
            graph.initializer.remove(at: t)
            return "remove initializer '\(name)'"
        case 3:
            // Rewire an input to the output of the same or a later node: a cycle.
            guard let n = pickIndex(graph.node.count, &rng), !graph.node[n].input.isEmpty else { return "no node input" }
            let later = n + rng.below(graph.node.count - n)
            guard let output = graph.node[later].output.first else { return "no node output" }
            let slot = rng.below(graph.node[n].input.count)
            graph.node[n].input[slot] = output
            return "node \(n) input \(slot) <- output of node \(later) (cycle)"
        case 4:
            guard let t = pickIndex(graph.initializer.count, &rng) else { return "no initializer" }
            let value = rng.pick(hostileFloats)
            return poison(&graph.initializer[t], value, &rng)
        case 5:
            guard let t = pickIndex(graph.initializer.count, &rng) else { return "no initializer" }
            let type = rng.pick(dataTypes)
            graph.initializer[t].dataType = type
            return "initializer \(t) data type = \(type)"
        case 6:
            guard let n = pickIndex(graph.node.count, &rng) else { return "no node" }
            let op = rng.pick(opTypes)
            graph.node[n].opType = op
            return "node \(n) op = \(op)"
        case 7:
            guard let n = pickIndex(graph.node.count, &rng), let a = pickIndex(graph.node[n].attribute.count, &rng) else {
                return "no attribute"
            }
            return hostileAttribute(&graph.node[n].attribute[a], &rng)
        case 8:
            guard let n = pickIndex(graph.node.count, &rng) else { return "no node" }
            if rng.oneIn(2) {
                graph.node.remove(at: n)
                return "remove node \(n)"
            }
            graph.node.insert(graph.node[n], at: rng.below(graph.node.count + 1))
            return "duplicate node \(n)"
        case 9:
            guard graph.node.count >= 2 else { return "too few nodes" }
            let a = rng.below(graph.node.count), b = rng.below(graph.node.count)
            graph.node.swapAt(a, b)
            return "swap nodes \(a), \(b)"
        case 10:
            // Integer tensors hold shapes and axes: give them hostile values.
            guard let t = pickIndex(graph.initializer.count, &rng) else { return "no initializer" }
            var tensor = graph.initializer[t]
            let values = (0..<max(1, tensor.dims.first.map { Int(clamping: $0) } ?? 1)).prefix(8).map { _ in rng.pick(hostileInts) }
            tensor.dataType = 7
            tensor.clearRawData()
            tensor.int64Data = values
            tensor.dims = [Int64(values.count)]
            graph.initializer[t] = tensor
            return "initializer \(t) -> int64 \(values)"
        default:
            if rng.oneIn(2), !graph.output.isEmpty {
                let name = rng.pick(["", "nope", graph.input.first?.name ?? "x"] + graph.node.flatMap(\.output))
                graph.output[0].name = name
                return "output name = '\(name)'"
            }
            guard let t = pickIndex(graph.initializer.count, &rng) else { return "no initializer" }
            graph.initializer[t].rawData = Data(graph.initializer[t].rawData.prefix(rng.below(graph.initializer[t].rawData.count + 1)))
            return "truncate raw data of initializer \(t)"
        }
    }

    static func pickIndex(_ count: Int, _ rng: inout SeededRandom) -> Int? {
        count > 0 ? rng.below(count) : nil
    }

    /// Writes `value` into a float element of the tensor (raw data or `float_data`).
    static func poison(_ tensor: inout Onnx_TensorProto, _ value: Float, _ rng: inout SeededRandom) -> String {
        if tensor.hasRawData, tensor.rawData.count >= 4 {
            var raw = [UInt8](tensor.rawData)
            let element = rng.below(raw.count / 4)
            let bits = value.bitPattern
            for k in 0..<4 { raw[4 * element + k] = UInt8(truncatingIfNeeded: bits >> (8 * UInt32(k))) }
            tensor.rawData = Data(raw)
            return "raw float \(element) of '\(tensor.name)' = \(value)"
        }
        if !tensor.floatData.isEmpty {
            let element = rng.below(tensor.floatData.count)
            tensor.floatData[element] = value
            return "float_data \(element) of '\(tensor.name)' = \(value)"
        }
        if !tensor.doubleData.isEmpty {
            let element = rng.below(tensor.doubleData.count)
            tensor.doubleData[element] = Double(value)
            return "double_data \(element) of '\(tensor.name)' = \(value)"
        }
        return "no float data in '\(tensor.name)'"
    }

    static func hostileAttribute(_ attribute: inout Onnx_AttributeProto, _ rng: inout SeededRandom) -> String {
        switch attribute.type {
        case .int:
            attribute.i = rng.pick(hostileInts)
            return "attribute \(attribute.name) = \(attribute.i)"
        case .float:
            attribute.f = rng.pick(hostileFloats)
            return "attribute \(attribute.name) = \(attribute.f)"
        case .ints:
            if attribute.ints.isEmpty || rng.oneIn(3) {
                attribute.ints = (0..<rng.below(5)).map { _ in rng.pick(hostileInts) }
            } else {
                attribute.ints[rng.below(attribute.ints.count)] = rng.pick(hostileInts)
            }
            return "attribute \(attribute.name) = \(attribute.ints)"
        case .tensor:
            var tensor = attribute.t
            let message = rng.oneIn(2) ? poison(&tensor, rng.pick(hostileFloats), &rng) : "dims"
            if message == "dims" { tensor.dims = [rng.pick(hostileDims)] }
            attribute.t = tensor
            return "attribute tensor \(attribute.name): \(message)"
        default:
            let name = attribute.name
            attribute.type = .int
            attribute.i = rng.pick(hostileInts)
            return "attribute \(name) retyped to int \(attribute.i)"
        }
    }
}
