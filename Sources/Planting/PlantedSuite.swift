import Foundation
import NNGraph
import VNNLib
import Verifier

/// Options of a planted-suite run (`nnverify plant`).
public struct PlantOptions: Sendable {
    /// Prefix of every file name (`<name>-r<region>-<k>.onnx`, `<name>-r<region>.vnnlib`).
    public var name: String
    /// Seed of every random choice; each region and instance draws from its own stream.
    public var seed: UInt64 = 0
    /// Planted (expected `sat`) instances per region.
    public var plantedPerRegion = 1
    /// Clean (expected `unsat`) instances per region, each kept only when proven unsat.
    public var cleanPerRegion = 1
    /// Per-instance timeout written to `instances.csv`.
    public var instanceTimeout: Double = 60
    /// Time budget of each proof run while generating (base property, clean instances).
    public var proofTimeout: Double = 30
    /// Construction settings.
    public var parameters = PlantingParameters()

    /// Default options with the file name prefix `name`.
    public init(name: String) { self.name = name }
}

/// What happened to one region.
public struct RegionOutcome: Sendable {
    /// The region's label.
    public var label: String
    /// Verdict of the base (unplanted) property; the region is used only when it is `unsat`.
    public var baseVerdict: Verdict
    /// Seconds the base proof took.
    public var baseSeconds: Double
    /// Rows written for this region.
    public var rows: [SuiteRow] = []
    /// Why instances were left out (clean instances not proven, no room for a clean bump, ...).
    public var skipped: [String] = []
}

/// Builds planted suites: for each region whose base property nnverify proves unsat, planted
/// instances (bump inside the box, validated witness) and clean ones (bump outside the box, kept
/// only when nnverify proves them unsat), written into a ``SuiteFolder``.
public enum PlantedSuite {
    /// Generates the instances for `regions` on `base` into `folder`, calling `progress` with one line
    /// per region. Regions are numbered by their position in `regions`.
    ///
    /// - Throws: ``PlantingError`` for bad input (a region that does not fit the model, a name already
    ///   used in the folder) or a failed write; a region whose base property is not proven is skipped.
    public static func generate(base: LayerChain, regions: [PlantingRegion], options: PlantOptions, folder: SuiteFolder,
                                progress: (String) -> Void = { _ in }) throws -> [RegionOutcome] {
        guard options.plantedPerRegion >= 0, options.cleanPerRegion >= 0, options.plantedPerRegion + options.cleanPerRegion > 0 else {
            throw PlantingError.invalidOption(option: "--planted/--clean", reason: "ask for at least one instance per region")
        }
        for (value, option) in [(options.instanceTimeout, "--timeout"), (options.proofTimeout, "--proof-timeout")]
        where !(value > 0 && value.isFinite) {
            throw PlantingError.invalidOption(option: option, reason: "must be a positive number of seconds, got \(value)")
        }
        try folder.checkUnused(prefix: options.name)
        let baseNetwork = try base.network()
        var verifierOptions = VerifierOptions()
        verifierOptions.timeout = options.proofTimeout
        let verifier = Verifier(options: verifierOptions)
        var outcomes = [RegionOutcome]()
        for (r, region) in regions.enumerated() {
            let vnnlibPath = "vnnlib/\(options.name)-r\(r).vnnlib"
            let text = VNNLibWriter.text(region.specification, comment: [
                "Planted-counterexample suite made by nnverify plant (seed \(options.seed)): \(region.label)."])
            let spec = try VNNLibParser.parse(text, fileName: vnnlibPath)
            guard spec == region.specification else {
                throw PlantingError.internalCheck("the VNN-LIB text of \(region.label) does not parse back to the same property")
            }
            try spec.checkCompatible(inputCount: base.inputSize, outputCount: base.outputSize)
            let baseResult = verifier.verify(network: baseNetwork, specification: spec)
            var outcome = RegionOutcome(label: region.label, baseVerdict: baseResult.verdict, baseSeconds: baseResult.seconds)
            guard baseResult.verdict == .unsat else {
                outcome.skipped.append("base property \(baseResult.verdict.rawValue), not proven unsat in \(options.proofTimeout) s")
                progress("region \(r) [\(region.label)]: skipped, base property \(baseResult.verdict.rawValue) (\(format(baseResult.seconds)) s)")
                outcomes.append(outcome)
                continue
            }
            var made = [(PlantedInstance, Double?)]()
            for k in 0..<options.plantedPerRegion {
                var rng = PlantingRandom(seed: options.seed, path: [UInt64(r), 1, UInt64(k)])
                if let instance = try PlantedInstance.build(kind: .planted, base: base, specification: spec, region: region.label,
                                                            parameters: options.parameters, rng: &rng) {
                    made.append((instance, nil))
                }
            }
            for k in 0..<options.cleanPerRegion {
                var rng = PlantingRandom(seed: options.seed, path: [UInt64(r), 2, UInt64(k)])
                guard let instance = try PlantedInstance.build(kind: .clean, base: base, specification: spec, region: region.label,
                                                               parameters: options.parameters, rng: &rng) else {
                    outcome.skipped.append("clean \(k): no face of the box leaves room for the bump inside the valid range")
                    continue
                }
                let proof = verifier.verify(network: instance.loaded, specification: spec)
                guard proof.verdict == .unsat else {
                    outcome.skipped.append("clean \(k): \(proof.verdict.rawValue), not proven unsat in \(options.proofTimeout) s")
                    continue
                }
                made.append((instance, proof.seconds))
            }
            var order = PlantingRandom(seed: options.seed, path: [UInt64(r), 3])
            try folder.write(Data(text.utf8), to: vnnlibPath)
            for (position, m) in order.permutation(made.count).enumerated() {
                let (instance, _) = made[m]
                let onnxPath = "onnx/\(options.name)-r\(r)-\(position).onnx"
                try folder.write(instance.onnx, to: onnxPath)
                if let witness = instance.witnessFileText(comment: "planted counterexample (nnverify plant, seed \(options.seed)); validated on the network as written") {
                    try folder.write(Data(witness.utf8), to: folder.witnessPath(onnx: onnxPath, vnnlib: vnnlibPath))
                }
                outcome.rows.append(SuiteRow(onnx: onnxPath, vnnlib: vnnlibPath, timeout: options.instanceTimeout,
                                             expected: instance.kind == .planted ? "sat" : "unsat"))
            }
            try folder.append(outcome.rows)
            let planted = made.filter { $0.0.kind == .planted }.count
            let proofs = made.compactMap(\.1)
            progress("region \(r) [\(region.label)]: base unsat (\(format(baseResult.seconds)) s); \(planted) planted, "
                     + "\(made.count - planted) clean" + (proofs.isEmpty ? "" : " (proved in \(proofs.map(format).joined(separator: ", ")) s)")
                     + (outcome.skipped.isEmpty ? "" : "; skipped: " + outcome.skipped.joined(separator: "; ")))
            outcomes.append(outcome)
        }
        return outcomes
    }

    static func format(_ seconds: Double) -> String { String(format: "%.2f", seconds) }
}
