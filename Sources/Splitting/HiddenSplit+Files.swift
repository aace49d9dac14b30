import BranchAndBound
import Foundation
import NNGraph
import ONNXLoader
import VNNLib

extension HiddenSplit {
    /// The part files of a hidden-ReLU split of the instance (the ONNX model at `modelPath`, a
    /// specification with one input box): the model is loaded with the input of every `Relu` node
    /// exposed under its ONNX name (``ONNXLoader/load(contentsOf:exposing:)``), `count` sign patterns
    /// are chosen on it (``patterns(of:network:count:allowed:secondsPerChoice:)``), and each becomes a
    /// VNN-LIB 2.0 query (``HiddenQueryWriter``).
    /// - Throws: ``SplitError/noHiddenSplit(reason:)`` when the model has no `Relu` or no unstable one is
    ///   left to split; loading errors as ``SplitError/badFolder(path:problem:)`` naming the model.
    public static func queryTexts(modelPath: String, specification: Specification, specName: String, count: Int,
                                  secondsPerChoice: Double = 2) throws(SplitError) -> [String] {
        let network: Network
        var named = [ValueID: HiddenQueryWriter.NamedValue]()
        do {
            let names = try ONNXLoader.activationInputs(contentsOf: modelPath, opTypes: ["Relu"])
            guard !names.isEmpty else { throw SplitError.noHiddenSplit(reason: "the model has no Relu node") }
            let loaded = try ONNXLoader.load(contentsOf: modelPath, exposing: names)
            network = loaded.network
            for (name, lookup) in loaded.values {
                if case .computed(let v, let shape) = lookup, v > 0, shape.reduce(1, *) == network.size(of: v) {
                    named[v] = HiddenQueryWriter.NamedValue(onnxName: name, shape: shape)
                }
            }
        } catch let error as SplitError {
            throw error
        } catch {
            throw .badFolder(path: modelPath, problem: "\(error)")
        }
        let patterns = try patterns(of: specification, network: network, count: count, allowed: Set(named.keys),
                                    secondsPerChoice: secondsPerChoice)
        let outputShape = network.output > 0 ? network.nodes[network.output - 1].shape : network.inputShape
        return patterns.enumerated().map { k, signs in
            HiddenQueryWriter.text(specification.cases[0], signs: signs, names: named, inputShape: network.inputShape,
                                   outputShape: outputShape, comment: [
                                       "part \(k + 1) of \(patterns.count) of \(specName), written by nnverify split:",
                                       "the original property on the inputs where the hidden-node constraints below hold;",
                                       "the parts' sign patterns are case splits (z >= 0 or z <= 0), so together they cover every input."])
        }
    }
}
