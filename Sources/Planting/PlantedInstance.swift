import Foundation
import NNGraph
import ONNXLoader
import VNNLib
import Verifier

/// Whether an instance hides a counterexample.
public enum InstanceKind: String, Sendable {
    /// The bump sits inside the box and makes the property false there (expected `sat`).
    case planted
    /// The same construction with the bump outside the box: inside it the network is the base
    /// network (expected `unsat`, once proven).
    case clean
}

/// Settings of the construction of one instance.
public struct PlantingParameters: Sendable, Equatable {
    /// Bump radius and the valid input range.
    public var placement = BumpPlacement()
    /// Margin by which the planted output violates the property at the bump centre; nil:
    /// `0.05 · max(1, max_j |y_j|)` of the base output there.
    public var margin: Double?

    /// Default settings.
    public init() {}
}

/// One generated network: the planted (or clean) network, its ONNX bytes, and what was planted.
public struct PlantedInstance: Sendable {
    /// Planted or clean.
    public let kind: InstanceKind
    /// The tent (inside the box for planted, outside for clean instances).
    public let bump: Bump
    /// The disjunct made to hold at the bump centre and the output shift `δ`.
    public let shift: OutputShift
    /// The violation margin aimed for at the centre.
    public let margin: Double
    /// The network with the bump.
    public let network: PlantedNetwork
    /// The ONNX file contents.
    public let onnx: Data
    /// The network loaded back from ``onnx`` with nnverify's ONNX loader.
    public let loaded: Network
    /// For a planted instance: the bump centre and the loaded network's output there, validated by
    /// `validateCounterexample` against the specification; nil for a clean instance.
    public let witness: Witness?

    /// Builds one instance of `kind` on `base` for the region's specification `specification`
    /// (as parsed back from the written VNN-LIB file), with randomness from `rng`. Returns nil for a
    /// clean instance when no face of the box leaves room for the bump inside the valid range.
    ///
    /// For a planted instance the witness is computed on the network as written (loaded back from
    /// the ONNX bytes, evaluated in Double) and must pass `validateCounterexample` with every
    /// constraint of the chosen disjunct at most `−margin / 2`; otherwise this throws
    /// ``PlantingError/internalCheck(_:)`` and nothing may be written.
    public static func build(kind: InstanceKind, base: LayerChain, specification: Specification, region: String,
                             parameters: PlantingParameters, rng: inout PlantingRandom) throws -> PlantedInstance? {
        let usable = specification.cases.indices.filter { !specification.cases[$0].disjuncts.isEmpty }
        guard !usable.isEmpty else {
            throw PlantingError.unusableRegion(region: region, reason: "the property has no output constraint that could be violated")
        }
        let caseIndex = usable[rng.index(usable.count)]
        let specCase = specification.cases[caseIndex]
        let bump: Bump
        switch kind {
        case .planted:
            bump = try parameters.placement.inside(specCase.box, region: region, rng: &rng)
        case .clean:
            guard let outside = try parameters.placement.outside(specCase.box, region: region, rng: &rng) else { return nil }
            bump = outside
        }
        let y0 = base.evaluate(bump.centre)
        guard y0.allSatisfy(\.isFinite) else {
            throw PlantingError.unusableRegion(region: region, reason: "the model's output at the bump centre is not finite")
        }
        let margin = parameters.margin ?? 0.05 * max(1, y0.map(abs).max() ?? 0)
        guard margin > 0, margin.isFinite else {
            throw PlantingError.invalidOption(option: "--margin", reason: "must be positive and finite, got \(margin)")
        }
        guard let shift = OutputShift.choose(for: specCase, caseIndex: caseIndex, output: y0, margin: margin, rng: &rng) else {
            throw PlantingError.unusableRegion(region: region, reason: "no output disjunct can be made to hold by shifting the outputs (contradictory constraints?)")
        }
        let network = try PlantedNetwork(base: base, bump: bump, shift: shift.shift, rng: &rng)
        let onnx = try ONNXWriter.data(network)
        let loaded = try ONNXLoader.load(data: onnx, fileName: "(planted network)")
        guard loaded.inputSize == base.inputSize, loaded.outputSize == base.outputSize else {
            throw PlantingError.internalCheck("the written network has \(loaded.inputSize) inputs and \(loaded.outputSize) outputs")
        }
        var witness: Witness?
        if kind == .planted {
            guard let w = validateCounterexample(bump.centre, network: loaded, specification: specification) else {
                throw PlantingError.internalCheck("the planted centre is not a counterexample of the network as written (\(region))")
            }
            let worst = specCase.disjuncts[shift.disjunctIndex].map { $0.residual(w.output) }.max() ?? 0
            guard worst <= -0.5 * margin else {
                throw PlantingError.internalCheck("the planted margin shrank to \(-worst) (wanted \(margin)) in the network as written")
            }
            witness = w
        }
        return PlantedInstance(kind: kind, bump: bump, shift: shift, margin: margin, network: network, onnx: onnx,
                               loaded: loaded, witness: witness)
    }

    /// The witness as a VNN-COMP counterexample file (a `;` comment, then `((X_0 v) ... (Y_m v))`),
    /// or nil for a clean instance.
    public func witnessFileText(comment: String) -> String? {
        guard let witness else { return nil }
        let text = VerificationResult(verdict: .sat, witness: witness, seconds: 0, decidedBy: "").resultFileText
        let body = text.split(separator: "\n", omittingEmptySubsequences: false).dropFirst().joined(separator: "\n")
        return "; \(comment)\n" + body
    }
}
