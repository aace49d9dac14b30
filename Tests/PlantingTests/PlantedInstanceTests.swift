import Foundation
import LinearAlgebra
import NNGraph
import ONNXLoader
@testable import Planting
import Testing
import VNNLib
import Verifier

/// Witnesses of planted instances, clean instances, and the ONNX files as written.
@Suite struct PlantedInstanceTests {
    @Test(arguments: [ChainActivation.relu, .sigmoid, .tanh] + PlantingFixtures.piecewise)
    func witnessViolatesThePropertyWithTheMargin(activation: ChainActivation) throws {
        let base = try PlantingFixtures.base(activation, seed: 11)
        let region = try PlantingFixtures.region(base, eps: 0.02, seed: 14)
        var proof = VerifierOptions()
        proof.timeout = 20
        try #require(Verifier(options: proof).verify(network: try base.network(), specification: region.specification).verdict == .unsat)
        for seed in UInt64(0)..<5 {
            let instance = try PlantingFixtures.instance(.planted, base: base, region: region, seed: seed)
            let witness = try #require(instance.witness)
            #expect(witness.input == instance.bump.centre)
            #expect(region.specification.cases[0].box.contains(witness.input))
            // No tolerance anywhere: inside the box and every constraint of the disjunct at most −margin/2.
            #expect(validateCounterexample(witness.input, network: instance.loaded, specification: region.specification) == witness)
            let disjunct = region.specification.cases[instance.shift.caseIndex].disjuncts[instance.shift.disjunctIndex]
            for constraint in disjunct { #expect(constraint.residual(witness.output) <= -0.5 * instance.margin) }
            // At the centre the bump neurons are exactly 0, so the output is f(p) + δ up to summation order.
            let expected = zip(base.evaluate(witness.input), instance.shift.shift).map { $0 + $1 }
            #expect(PlantingFixtures.close(witness.output, expected, tolerance: 1e-12))
            // The base network does not violate the property there (the region is proven robust).
            #expect(!region.specification.cases[0].isViolated(by: base.evaluate(witness.input)))
        }
    }

    @Test(arguments: [ChainActivation.relu, .tanh])
    func cleanNetworkEqualsBaseOnTheBox(activation: ChainActivation) throws {
        let base = try PlantingFixtures.base(activation, seed: 21)
        let region = try PlantingFixtures.region(base, seed: 22)
        let box = region.specification.cases[0].box
        let instance = try PlantingFixtures.instance(.clean, base: base, region: region)
        #expect(instance.witness == nil)
        #expect(!box.contains(instance.bump.centre))
        var rng = PlantingRandom(seed: 23)
        let baseNetwork = try base.network()
        for k in 0..<300 {
            // Random points and random corners of the box.
            let x = box.lower.indices.map { i in
                k % 3 == 0 ? (rng.index(2) == 0 ? box.lower[i] : box.upper[i]) : rng.uniform(box.lower[i], box.upper[i])
            }
            #expect(instance.bump.value(at: x) == 0)
            #expect(PlantingFixtures.bumpDistance(instance.bump, x) >= 2)
            #expect(PlantingFixtures.close(try instance.loaded.evaluate(x), try baseNetwork.evaluate(x), tolerance: 1e-12))
        }
        // The clean bump stays inside the valid range [0, 1].
        #expect(instance.bump.centre.allSatisfy { (0...1).contains($0) })
    }

    @Test(arguments: [ChainActivation.relu, .sigmoid] + PlantingFixtures.piecewise)
    func writtenONNXEvaluatesLikeTheIR(activation: ChainActivation) throws {
        let base = try PlantingFixtures.base(activation, depth: 3, seed: 31)
        let instance = try PlantingFixtures.instance(.planted, base: base, region: try PlantingFixtures.region(base))
        let ir = try instance.network.network()
        let loaded = try ONNXLoader.load(data: instance.onnx, fileName: "test.onnx")
        #expect(loaded.inputShape == [1, base.inputSize])
        var rng = PlantingRandom(seed: 32)
        for k in 0..<100 {
            let x = k % 2 == 0 ? PlantingFixtures.point(around: instance.bump, distance: rng.uniform(0, 2), rng: &rng)
                               : (0..<base.inputSize).map { _ in rng.uniform(-1, 2) }
            #expect(PlantingFixtures.close(try loaded.evaluate(x), try ir.evaluate(x), tolerance: 1e-12))
        }
        // Embedded for ReLU (a plain Gemm/Relu chain), a parallel branch otherwise.
        let kinds = Set(loaded.nodes.map(\.op.kind))
        if activation == .relu {
            #expect(kinds == ["Affine", "Relu"])
            if case .embedded = instance.network.layout {} else { Issue.record("expected the embedded layout") }
        } else {
            #expect(kinds.contains("LinearCombination"))
        }
    }

    @Test func oneHiddenLayerGetsAnIdentityLayer() throws {
        let base = try PlantingFixtures.base(depth: 1, seed: 41)
        let instance = try PlantingFixtures.instance(.planted, base: base, region: try PlantingFixtures.region(base))
        guard case .embedded(let chain) = instance.network.layout else { Issue.record("expected embedded"); return }
        #expect(chain.layers.count == 3)
        #expect(chain.layers[0].outputSize == 8 + 2 * instance.bump.dimensions.count)
        #expect(chain.layers[1].outputSize == 8 + 1)
    }

    @Test func extractionFoldsNormalisationAndReshape() throws {
        var rng = PlantingRandom(seed: 51)
        func matrix(_ r: Int, _ c: Int) -> Matrix { Matrix(rows: r, cols: c, data: (0..<(r * c)).map { _ in rng.uniform(-1, 1) }) }
        let nodes = [
            Node(name: "norm", op: ElementwiseAffine(scale: [2, 0.5, 4], shift: [-1, 0.25, 0]), inputs: [0], shape: [1, 3]),
            Node(name: "flatten", op: Reshape(size: 3), inputs: [1], shape: [3]),
            Node(name: "fc1", op: Affine(weight: matrix(5, 3), bias: [0.1, 0, -0.1, 0.2, 0]), inputs: [2], shape: [5]),
            Node(name: "relu1", op: ReLU(size: 5), inputs: [3], shape: [5]),
            Node(name: "fc2", op: Affine(weight: matrix(2, 5), bias: [0, 1]), inputs: [4], shape: [2]),
            Node(name: "scale", op: ElementwiseAffine(scale: [3, -1], shift: [0.5, 0.5]), inputs: [5], shape: [2]),
        ]
        let network = try Network(inputName: "x", inputShape: [1, 3], outputName: "y", nodes: nodes, output: 6)
        let chain = try LayerChain(network: network)
        #expect(chain.layers.count == 2 && chain.isReLUNetwork && chain.isFloat32)
        for _ in 0..<50 {
            let x = (0..<3).map { _ in rng.uniform(-2, 2) }
            #expect(PlantingFixtures.close(chain.evaluate(x), try network.evaluate(x), tolerance: 1e-6))
        }
    }

    @Test func witnessFileReadsBackExactly() throws {
        let base = try PlantingFixtures.base()
        let instance = try PlantingFixtures.instance(.planted, base: base, region: try PlantingFixtures.region(base))
        let text = try #require(instance.witnessFileText(comment: "test"))
        #expect(text.hasPrefix("; test\n(("))
        let folder = try PlantingFixtures.temporaryFolder("witness")
        let path = folder + "/w.counterexample"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let witness = try readWitnessFile(path)
        #expect(witness == instance.witness)
    }
}
