import Foundation
import NNGraph
import ONNXLoader
import VNNLib

/// A model and a specification loaded from files and checked against each other.
public struct VerificationProblem: Sendable {
    public let network: Network
    public let specification: Specification
    public let modelPath: String
    public let specPath: String
    /// The VNN-LIB 2.0 query when the property file is one (nil for VNN-LIB 1.0); `network` is then
    /// the product of its networks over the joint input (``Network/product(_:)``).
    public let query: Query?

    /// Loads the ONNX model and the VNN-LIB property and checks that the property declares as many
    /// inputs and outputs as the model has. A VNN-LIB 2.0 query with one network (not counting
    /// `equal-to` copies) takes the model as that network. Throws the loader's or parser's error
    /// (each names the file and the place in it).
    public init(modelPath: String, specPath: String) throws {
        try self.init(specPath: specPath, modelPath: modelPath, networkPaths: [:])
    }

    /// Loads a VNN-LIB 1.0 or 2.0 property and its models: `networkPaths` maps 2.0 network names to
    /// ONNX files (`--network NAME=PATH`), `modelPath` is the one model of a 1.0 file or of a 2.0
    /// query with one network. See ``QueryModels`` for the rules.
    public init(specPath: String, modelPath: String?, networkPaths: [String: String]) throws {
        let query = try VNNLibParser.parseQuery(contentsOf: specPath)
        if query.networks.isEmpty {
            guard let modelPath else { throw QueryModels.Failure("a VNN-LIB 1.0 property needs the model: nnverify verify MODEL.onnx \(specPath)") }
            guard networkPaths.isEmpty else {
                throw QueryModels.Failure("--network is for VNN-LIB 2.0 queries; \(specPath) has no (vnnlib-version <2.0>) header")
            }
            network = try ONNXLoader.load(contentsOf: modelPath)
            specification = query.specification
            try specification.checkCompatible(inputCount: network.inputSize, outputCount: network.outputSize)
            self.query = nil
            self.modelPath = modelPath
        } else {
            let paths = try QueryModels.paths(for: query, modelPath: modelPath, networkPaths: networkPaths)
            network = try QueryModels.productNetwork(for: query, paths: paths, specPath: specPath)
            specification = query.specification
            self.query = query
            self.modelPath = query.networks.compactMap { paths[$0.name] }.joined(separator: ",")
        }
        self.specPath = specPath
    }
}

extension VerificationProblem {
    /// A problem from an already loaded network and specification (no files; for tests and callers
    /// that build networks in memory).
    public init(network: Network, specification: Specification, query: Query? = nil) {
        self.network = network
        self.specification = specification
        self.query = query
        modelPath = ""
        specPath = ""
    }
}

extension Verifier {
    /// Loads both files and verifies; bad input throws (see ``VerificationProblem``).
    public func verify(modelPath: String, specPath: String) throws -> VerificationResult {
        verify(problem: try VerificationProblem(modelPath: modelPath, specPath: specPath))
    }
}
