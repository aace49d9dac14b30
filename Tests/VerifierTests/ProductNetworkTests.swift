import LinearAlgebra
import NNGraph
import Testing
import TestSupport
import VNNLib
@testable import Verifier

/// Several networks as one product network over the joint input, and tied inputs searched once.
@Suite struct ProductNetworkTests {
    @Test func theProductEvaluatesEachPartOnItsSlice() throws {
        let f = SmallNetworks.twoReLU(), g = SmallNetworks.maxNorm()
        let product = try Network.product([f, g, f])
        #expect(product.inputSize == 6 && product.outputSize == 3)
        var rng = SeededGenerator(seed: 7)
        for _ in 0..<50 {
            let x = (0..<6).map { _ in rng.uniform(-1, 1) }
            let expected = try f.evaluate(Array(x[0..<2])) + g.evaluate(Array(x[2..<4])) + f.evaluate(Array(x[4..<6]))
            #expect(try product.evaluate(x) == expected)
        }
        #expect(try Network.product([f]).nodes.count == f.nodes.count)
    }

    @Test func tiedInputsAreSearchedOnceAndBoundsSeeTheTie() throws {
        // f(x) - f(x') with x' == x is 0: unsat for "difference >= 0.01"; the two copies
        // bounded separately over a box could not prove it.
        let f = SmallNetworks.twoReLU()
        let product = try Network.product([f, f])
        let tie = [LinearConstraint(coefficients: [1, 0, -1, 0], constant: 0), LinearConstraint(coefficients: [-1, 0, 1, 0], constant: 0),
                   LinearConstraint(coefficients: [0, 1, 0, -1], constant: 0), LinearConstraint(coefficients: [0, -1, 0, 1], constant: 0)]
        let box = InputBox(lower: [-1, -1, -1, -1], upper: [1, 1, 1, 1])
        let differs = Specification(inputCount: 4, outputCount: 2, cases: [
            SpecCase(box: box, disjuncts: [[LinearConstraint(coefficients: [-1, 1], constant: 0.01)]], inputConstraints: tie),
        ])
        let equalities = try #require(InputEqualities.find(in: differs))
        #expect(equalities.representative == [0, 1, 0, 1] && equalities.freeCount == 2)
        #expect(equalities.reduce(differs).cases[0].inputConstraints.isEmpty)
        var disjointBoxes = differs
        disjointBoxes.cases[0].box = InputBox(lower: [-1, -1, 0.5, -1], upper: [0, 1, 1, 1])
        #expect(equalities.reduce(disjointBoxes).cases.isEmpty, "x0 in [-1, 0] tied to x2 in [0.5, 1]: no input")
        let problemResult = Verifier().verify(problem: try problem(product, differs))
        #expect(problemResult.verdict == .unsat)
        // A property that fails: the first copy's output is at least 1.5 (sat at (1, 1)).
        let high = Specification(inputCount: 4, outputCount: 2, cases: [
            SpecCase(box: box, disjuncts: [[LinearConstraint(coefficients: [-1, 0], constant: 1.5)]], inputConstraints: tie),
        ])
        let result = Verifier().verify(problem: try problem(product, high))
        #expect(result.verdict == .sat)
        let w = try #require(result.witness)
        #expect(w.input.count == 4 && w.input[0] == w.input[2] && w.input[1] == w.input[3])
        #expect(validateCounterexample(w.input, network: product, specification: high) != nil)
    }

    /// A problem for an in-memory network and specification.
    func problem(_ network: Network, _ specification: Specification) throws -> VerificationProblem {
        VerificationProblem(network: network, specification: specification)
    }
}
