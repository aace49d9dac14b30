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

    /// Loads the ONNX model and the VNN-LIB property and checks that the property declares as many
    /// inputs and outputs as the model has. Throws the loader's or parser's error (each names the
    /// file and the place in it).
    public init(modelPath: String, specPath: String) throws {
        network = try ONNXLoader.load(contentsOf: modelPath)
        specification = try VNNLibParser.parse(contentsOf: specPath)
        try specification.checkCompatible(inputCount: network.inputSize, outputCount: network.outputSize)
        self.modelPath = modelPath
        self.specPath = specPath
    }
}

extension Verifier {
    /// Loads both files and verifies; bad input throws (see ``VerificationProblem``).
    public func verify(modelPath: String, specPath: String) throws -> VerificationResult {
        let problem = try VerificationProblem(modelPath: modelPath, specPath: specPath)
        return verify(network: problem.network, specification: problem.specification)
    }
}
