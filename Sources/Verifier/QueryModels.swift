import NNGraph
import ONNXLoader
import VNNLib

/// Which ONNX file implements each network of a VNN-LIB 2.0 query, and the product network.
///
/// Rules (as the VNN-COMP 2026 checker applies them): `--network NAME=PATH` names a declared
/// network; a lone model path (`nnverify verify MODEL QUERY`) is allowed when exactly one network is
/// not `equal-to` another; an `equal-to` network takes the model of the network it names (a
/// different file given for it is an error); every other network needs a file. Networks with several
/// input or output tensors are rejected as unsupported; each network's
/// declared input and output element counts must match its model.
public enum QueryModels {
    /// A problem with the models of a query, as a message for people.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        public init(_ message: String) { description = message }
    }

    /// The model path of every network of `query`.
    public static func paths(for query: Query, modelPath: String?, networkPaths: [String: String]) throws -> [String: String] {
        let declared = Set(query.networks.map(\.name))
        for name in networkPaths.keys.sorted() where !declared.contains(name) {
            throw Failure("--network \(name)=...: the query declares no network '\(name)' (it declares \(query.networks.map(\.name).joined(separator: ", ")))")
        }
        var explicit = networkPaths
        if let modelPath {
            let implemented = query.networks.filter { if case .equalTo = $0.relation { return false } else { return true } }
            guard implemented.count == 1, networkPaths.isEmpty else {
                throw Failure("the query declares \(implemented.count) networks that need their own model; give each as --network NAME=PATH")
            }
            explicit[implemented[0].name] = modelPath
        }
        var paths: [String: String] = [:]
        for network in query.networks {
            if case .equalTo(let other)? = network.relation {
                let shared = paths[other]!
                if let given = explicit[network.name], given != shared {
                    throw Failure("network '\(network.name)' is equal-to '\(other)', whose model is \(shared), but --network gives \(given)")
                }
                paths[network.name] = shared
            } else {
                guard let path = explicit[network.name] else {
                    throw Failure("no model for network '\(network.name)': give --network \(network.name)=PATH")
                }
                paths[network.name] = path
            }
        }
        return paths
    }

    /// Loads each distinct model once and builds the product over the joint input, checking the
    /// declarations against the models. Hidden tensors (`declare-hidden`) are looked up by their
    /// ONNX value names and exposed after the joint outputs (``Network/product(_:exposing:)``); an
    /// unknown or constant name, or an element count that differs from the declaration, is an error
    /// at the declaration's `line:column` in `specPath`.
    public static func productNetwork(for query: Query, paths: [String: String], specPath: String = "query") throws -> Network {
        var loaded: [String: (network: Network, values: [String: ValueLookup])] = [:]
        var parts: [Network] = []
        var exposed: [[ValueID]] = []
        for declaration in query.networks {
            guard declaration.inputs.count == 1, declaration.outputs.count == 1 else {
                throw Failure("network '\(declaration.name)' declares \(declaration.inputs.count) input and "
                              + "\(declaration.outputs.count) output tensors; this verifier supports one of each")
            }
            let path = paths[declaration.name]!
            let names = declaration.hidden.compactMap(\.onnxName)
            let key = ([path] + names).joined(separator: "\u{0}")
            let model: (network: Network, values: [String: ValueLookup])
            if let cached = loaded[key] { model = cached } else {
                model = names.isEmpty ? (try ONNXLoader.load(contentsOf: path), [:])
                    : try ONNXLoader.load(contentsOf: path, exposing: names)
                loaded[key] = model
            }
            let network = model.network
            let (input, output) = (declaration.inputs[0], declaration.outputs[0])
            guard input.count == network.inputSize, output.count == network.outputSize else {
                throw Failure("shape mismatch: network '\(declaration.name)' declares input \(input.name) \(input.shapeText) and "
                              + "output \(output.name) \(output.shapeText), but \(path) has input \(network.inputShape) "
                              + "and output of \(network.outputSize) elements")
            }
            exposed.append(try declaration.hidden.map { try hiddenValue($0, in: model.values, network: network, path: path, specPath: specPath) })
            parts.append(network)
        }
        return try Network.product(parts, exposing: exposed)
    }

    /// The IR value a hidden tensor is bound to, checked against its declaration.
    private static func hiddenValue(_ tensor: TensorDeclaration, in values: [String: ValueLookup], network: Network,
                                    path: String, specPath: String) throws -> ValueID {
        let place = "\(specPath):\(tensor.declaredAt ?? "?"): error: "
        let name = tensor.onnxName ?? ""
        switch values[name] ?? .missing {
        case .missing:
            throw Failure(place + "hidden tensor \(tensor.name) is bound to the ONNX value '\(name)', which \(path) does not have "
                          + "(a hidden node names a node output or the graph input)")
        case .constant(let shape):
            throw Failure(place + "hidden tensor \(tensor.name) is bound to the ONNX value '\(name)', a constant of shape \(shape) in "
                          + "\(path): it does not depend on the input")
        case .computed(let v, let shape):
            guard network.size(of: v) == tensor.count else {
                throw Failure(place + "shape mismatch: hidden tensor \(tensor.name) \(tensor.shapeText) has \(tensor.count) elements, "
                              + "but the ONNX value '\(name)' in \(path) has shape \(shape) (\(network.size(of: v)) elements)")
            }
            return v
        }
    }
}
