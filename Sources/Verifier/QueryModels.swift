import NNGraph
import ONNXLoader
import VNNLib

/// Which ONNX file implements each network of a VNN-LIB 2.0 query, and the product network.
///
/// Rules (as the VNN-COMP 2026 checker applies them): `--network NAME=PATH` names a declared
/// network; a lone model path (`nnverify verify MODEL QUERY`) is allowed when exactly one network is
/// not `equal-to` another; an `equal-to` network takes the model of the network it names (a
/// different file given for it is an error); every other network needs a file. Hidden tensors and
/// networks with several input or output tensors are rejected as unsupported; each network's
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
    /// declarations against the models.
    public static func productNetwork(for query: Query, paths: [String: String]) throws -> Network {
        var loaded: [String: Network] = [:]
        var parts: [Network] = []
        for declaration in query.networks {
            if let hidden = declaration.hidden.first {
                throw Failure("network '\(declaration.name)' declares the hidden tensor '\(hidden.name)'; hidden-node "
                              + "variables (declare-hidden) are not supported by this verifier")
            }
            guard declaration.inputs.count == 1, declaration.outputs.count == 1 else {
                throw Failure("network '\(declaration.name)' declares \(declaration.inputs.count) input and "
                              + "\(declaration.outputs.count) output tensors; this verifier supports one of each")
            }
            let path = paths[declaration.name]!
            let network: Network
            if let cached = loaded[path] { network = cached } else {
                network = try ONNXLoader.load(contentsOf: path)
                loaded[path] = network
            }
            let (input, output) = (declaration.inputs[0], declaration.outputs[0])
            guard input.count == network.inputSize, output.count == network.outputSize else {
                throw Failure("shape mismatch: network '\(declaration.name)' declares input \(input.name) \(input.shapeText) and "
                              + "output \(output.name) \(output.shapeText), but \(path) has input \(network.inputShape) "
                              + "and output of \(network.outputSize) elements")
            }
            parts.append(network)
        }
        return try Network.product(parts)
    }
}
