import LinearAlgebra
import NNGraph
import Testing
import TestSupport
import VNNLib
@testable import Attacks

@Suite struct SpecPGDTests {
    @Test func marginIsMinOverDisjunctsOfMaxOverConstraints() {
        let c = SpecCase(box: InputBox(lower: [0], upper: [1]), disjuncts: [
            [LinearConstraint(coefficients: [1, 0], constant: -1), LinearConstraint(coefficients: [0, 1], constant: 0)],
            [LinearConstraint(coefficients: [-1, 0], constant: 0)],
        ])
        // y = (3, -2): first disjunct residuals (2, -2) -> max 2; second (-3) -> -3; min = -3.
        #expect(c.margin([3, -2]) == -3)
        let (m, g) = c.marginGradient([3, -2])
        #expect(m == -3 && g == [-1, 0])
        #expect(c.isViolated(by: [3, -2]))
        #expect(!c.isViolated(by: [-1, 0.5]))
    }

    @Test func findsTheCornerCounterexample() throws {
        let net = SmallNetworks.twoReLU()
        let spec = SmallNetworks.outputAtLeast(1.9, box: InputBox(lower: [0, 0], upper: [1, 1]))
        let x = try #require(specPGD(net, spec.cases[0]))
        #expect(spec.cases[0].box.contains(x))
        #expect(try net.evaluate(x)[0] >= 1.9)
    }

    @Test func findsNothingWhenThePropertyHolds() {
        let net = SmallNetworks.twoReLU()
        let spec = SmallNetworks.outputAtLeast(2.1, box: InputBox(lower: [0, 0], upper: [1, 1]))
        #expect(specPGD(net, spec.cases[0]) == nil)
    }

    @Test func staysInsideTheBox() throws {
        var rng = SeededGenerator(seed: 8)
        for _ in 0..<10 {
            let net = RandomNetworks.mlp([3, 10, 2], activation: .tanh, using: &rng)
            let box = RandomNetworks.box(3, maxWidth: 0.5, using: &rng)
            // Unsafe: y0 >= y1 - 10 (almost always true): the first step already succeeds inside the box.
            let c = SpecCase(box: box, disjuncts: [[LinearConstraint(coefficients: [-1, 1], constant: -10)]])
            let x = try #require(specPGD(net, c))
            #expect(box.contains(x))
        }
    }
}
