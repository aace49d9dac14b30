import Foundation
import LinearAlgebra
import NNGraph
@testable import Planting
import TestSupport
import Testing
import VNNLib

/// Bad input gets one clear error naming the problem.
@Suite struct PlantingErrorTests {
    @Test func residualNetworkIsRefusedNamingTheNode() throws {
        var rng = SeededGenerator(seed: 1)
        let network = RandomNetworks.mlp([3, 4, 2], extras: true, using: &rng)
        #expect {
            _ = try LayerChain(network: network)
        } throws: { error in
            guard case let .unsupportedModel(node, reason) = error as? PlantingError else { return false }
            return node == "residual1" && reason.contains("chain")
        }
    }

    @Test func unsupportedOperatorIsNamed() throws {
        let nodes = [
            Node(name: "fc", op: Affine(weight: Matrix(rows: 2, cols: 2, data: [1, 0, 0, 1])), inputs: [0], shape: [2]),
            Node(name: "pick", op: Selection(inputSize: 2, indices: [1, 0]), inputs: [1], shape: [2]),
        ]
        let network = try Network(inputName: "x", inputShape: [2], outputName: "y", nodes: nodes, output: 2)
        #expect(throws: PlantingError.unsupportedModel(node: "pick", reason: "operator Selection is not supported; plant reads chains of Gemm/MatMul, elementwise activations, Flatten/Reshape and constant Add/Sub/Mul/Div")) {
            _ = try LayerChain(network: network)
        }
    }

    @Test func wideDiagonalWithoutDenseLayerIsRefusedBeforeAllocating() throws {
        let n = LayerChain.maximumDenseDiagonal + 1
        let nodes = [
            Node(name: "norm", op: ElementwiseAffine(scale: [Double](repeating: 2, count: n), shift: [Double](repeating: 0, count: n)),
                 inputs: [0], shape: [n]),
            Node(name: "relu", op: ReLU(size: n), inputs: [1], shape: [n]),
        ]
        let network = try Network(inputName: "x", inputShape: [n], outputName: "y", nodes: nodes, output: 2)
        #expect {
            _ = try LayerChain(network: network)
        } throws: { error in
            guard case let .unsupportedModel(node, _) = error as? PlantingError else { return false }
            return node == "relu"
        }
    }

    @Test func randomShapesOutOfRangeAreRefused() {
        #expect(throws: PlantingError.invalidOption(option: "--outputs", reason: "must be between 2 and 100000, got 1")) {
            _ = try LayerChain.random(RandomNetworkShape(inputs: 3, width: 4, depth: 1, outputs: 1, activation: .relu), seed: 0)
        }
        #expect(throws: PlantingError.self) {
            _ = try LayerChain.random(RandomNetworkShape(inputs: 100_000, width: 100_000, depth: 2, outputs: 3, activation: .relu), seed: 0)
        }
        #expect(throws: PlantingError.self) {
            _ = try LayerChain.random(RandomNetworkShape(inputs: 3, width: 4, depth: -1, outputs: 3, activation: .relu), seed: 0)
        }
    }

    @Test func regionWithoutFreeInputsIsRefused() throws {
        let base = try PlantingFixtures.base()
        let box = InputBox(lower: [0.5, 0.5, 0.5, 0.5], upper: [0.5, 0.5, 0.5, 0.5])
        let spec = Specification(inputCount: 4, outputCount: 3, cases: [
            SpecCase(box: box, disjuncts: [[LinearConstraint(coefficients: [1, -1, 0], constant: 0)]])])
        var rng = PlantingRandom(seed: 0)
        #expect {
            _ = try PlantedInstance.build(kind: .planted, base: base, specification: spec, region: "point box",
                                          parameters: PlantingParameters(), rng: &rng)
        } throws: { error in
            guard case let .unusableRegion(region, reason) = error as? PlantingError else { return false }
            return region == "point box" && reason.contains("fixed")
        }
    }

    @Test func contradictoryPropertyIsRefused() throws {
        let base = try PlantingFixtures.base()
        let box = InputBox(lower: [0, 0, 0, 0], upper: [1, 1, 1, 1])
        // Y_0 <= 1 and Y_0 >= 2: no output shift satisfies both.
        let spec = Specification(inputCount: 4, outputCount: 3, cases: [SpecCase(box: box, disjuncts: [[
            LinearConstraint(coefficients: [1, 0, 0], constant: -1), LinearConstraint(coefficients: [-1, 0, 0], constant: 2)]])])
        var rng = PlantingRandom(seed: 0)
        #expect(throws: PlantingError.self) {
            _ = try PlantedInstance.build(kind: .planted, base: base, specification: spec, region: "r",
                                          parameters: PlantingParameters(), rng: &rng)
        }
    }

    @Test func badRobustnessRegionsAreRefused() throws {
        let network = try PlantingFixtures.base().network()
        #expect(throws: PlantingError.self) {
            _ = try PlantingRegion.robustness(network: network, centre: [0.5, 0.5, 0.5, 0.5], eps: 0, range: 0...1, label: "p")
        }
        #expect(throws: PlantingError.self) {
            _ = try PlantingRegion.robustness(network: network, centre: [0.5, 0.5, 0.5], eps: 0.1, range: 0...1, label: "p")
        }
        #expect(throws: PlantingError.self) {
            _ = try PlantingRegion.robustness(network: network, centre: [0.5, 0.5, 2, 0.5], eps: 0.1, range: 0...1, label: "p")
        }
        #expect(throws: PlantingError.self) {
            _ = try PlantingRegion.randomCentres(count: 1, inputSize: 3, range: -Double.infinity...Double.infinity, seed: 0)
        }
    }

    @Test func namesAreNeverReusedInAFolder() throws {
        let base = try PlantingFixtures.base()
        let folder = try SuiteFolder(path: try PlantingFixtures.temporaryFolder("reuse"))
        var options = PlantOptions(name: "same")
        options.proofTimeout = 10
        _ = try PlantedSuite.generate(base: base, regions: [try PlantingFixtures.region(base)], options: options, folder: folder)
        #expect {
            _ = try PlantedSuite.generate(base: base, regions: [try PlantingFixtures.region(base)], options: options, folder: folder)
        } throws: { error in
            guard case let .output(path, reason) = error as? PlantingError else { return false }
            return path.contains("/same-") && reason.contains("--name")
        }
        try "a,b\n".write(toFile: folder.path + "/expected.csv", atomically: true, encoding: .utf8)
        #expect(throws: PlantingError.self) { _ = try SuiteFolder(path: folder.path) }
    }
}
