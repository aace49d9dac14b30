import Foundation
import NNGraph
import ONNXLoader
@testable import Planting
import VNNLib

/// Shared set-up of the planting tests: small bases, regions and instances.
enum PlantingFixtures {
    /// Piecewise-linear activations other than ReLU (float32 parameters): planted with the parallel layout.
    static let piecewise = [ChainActivation(LeakyReLU(size: 1, alpha: 0.125)), ChainActivation(Clip(size: 1, lower: -0.5, upper: 1)),
                            ChainActivation(Abs(size: 1))]

    /// `Tests/Fixtures/planted` in the repository (symlinks resolved).
    static var plantedFolder: URL {
        URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/planted")
    }

    /// A fresh empty folder under the temporary directory.
    static func temporaryFolder(_ name: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("plant-tests-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }

    static func base(_ activation: ChainActivation = .relu, inputs: Int = 4, width: Int = 8, depth: Int = 2, outputs: Int = 3,
                     seed: UInt64 = 1) throws -> LayerChain {
        try LayerChain.random(RandomNetworkShape(inputs: inputs, width: width, depth: depth, outputs: outputs, activation: activation), seed: seed)
    }

    /// A robustness region of radius `eps` around a random point of [0, 1]^n.
    static func region(_ base: LayerChain, eps: Double = 0.05, seed: UInt64 = 1) throws -> PlantingRegion {
        let centre = try PlantingRegion.randomCentres(count: 1, inputSize: base.inputSize, range: 0...1, seed: seed)[0]
        return try PlantingRegion.robustness(network: try base.network(), centre: centre, eps: eps, range: 0...1, label: "test point")
    }

    static func instance(_ kind: InstanceKind, base: LayerChain, region: PlantingRegion, seed: UInt64 = 5) throws -> PlantedInstance {
        var rng = PlantingRandom(seed: seed)
        var parameters = PlantingParameters()
        parameters.placement.range = 0...1
        guard let made = try PlantedInstance.build(kind: kind, base: base, specification: region.specification, region: region.label,
                                                   parameters: parameters, rng: &rng) else {
            throw PlantingError.internalCheck("no room for a clean bump in the test region")
        }
        return made
    }

    /// Weighted L1 distance `Σ |x_i − c_i| / r_i` from the bump centre.
    static func bumpDistance(_ bump: Bump, _ x: [Double]) -> Double {
        zip(bump.dimensions, bump.radii).reduce(0) { $0 + abs(x[$1.0] - bump.centre[$1.0]) / $1.1 }
    }

    /// A point at weighted L1 distance `distance` from the bump centre in a random direction.
    static func point(around bump: Bump, distance: Double, rng: inout PlantingRandom) -> [Double] {
        var x = bump.centre
        let weights = bump.dimensions.map { _ in rng.uniform(-1, 1) }
        let norm = weights.reduce(0) { $0 + abs($1) }
        for (k, (i, r)) in zip(bump.dimensions, bump.radii).enumerated() { x[i] += distance * r * weights[k] / max(norm, 1e-12) }
        return x
    }

    static func close(_ a: [Double], _ b: [Double], tolerance: Double) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= tolerance * (1 + abs($1)) }
    }
}
