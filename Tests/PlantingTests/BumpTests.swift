import NNGraph
@testable import Planting
import Testing
import VNNLib

/// The tent function and the planted network away from and inside the bump's ball.
@Suite struct BumpTests {
    @Test(arguments: [ChainActivation.relu, .sigmoid, .tanh] + PlantingFixtures.piecewise)
    func plantedNetworkEqualsBaseOutsideTheBall(activation: ChainActivation) throws {
        let base = try PlantingFixtures.base(activation)
        let region = try PlantingFixtures.region(base)
        let instance = try PlantingFixtures.instance(.planted, base: base, region: region)
        let baseNetwork = try base.network()
        var rng = PlantingRandom(seed: 99)
        var outside = 0
        for k in 0..<400 {
            // Half the points just outside the ball (distance 1 to 1.5), half anywhere in a wider box.
            let x = k % 2 == 0
                ? PlantingFixtures.point(around: instance.bump, distance: rng.uniform(1.0000001, 1.5), rng: &rng)
                : (0..<base.inputSize).map { _ in rng.uniform(-0.5, 1.5) }
            guard PlantingFixtures.bumpDistance(instance.bump, x) >= 1 else { continue }
            outside += 1
            #expect(instance.bump.value(at: x) == 0)
            let planted = try instance.loaded.evaluate(x), reference = try baseNetwork.evaluate(x)
            #expect(PlantingFixtures.close(planted, reference, tolerance: 1e-12), "x = \(x)")
        }
        #expect(outside > 300)
    }

    @Test(arguments: [ChainActivation.relu, .tanh])
    func insideTheBallTheShiftIsTentTimesDelta(activation: ChainActivation) throws {
        let base = try PlantingFixtures.base(activation)
        let instance = try PlantingFixtures.instance(.planted, base: base, region: try PlantingFixtures.region(base))
        var rng = PlantingRandom(seed: 3)
        for _ in 0..<100 {
            let x = PlantingFixtures.point(around: instance.bump, distance: rng.uniform(0, 0.999), rng: &rng)
            let t = instance.bump.value(at: x)
            #expect(t > 0 && t <= 1)
            let expected = zip(base.evaluate(x), instance.shift.shift).map { $0 + t * $1 }
            #expect(PlantingFixtures.close(try instance.loaded.evaluate(x), expected, tolerance: 1e-9))
        }
        #expect(instance.bump.value(at: instance.bump.centre) == 1)
    }

    @Test func bumpParametersAreExactInFloat32() throws {
        let base = try PlantingFixtures.base()
        let instance = try PlantingFixtures.instance(.planted, base: base, region: try PlantingFixtures.region(base))
        for (i, r) in zip(instance.bump.dimensions, instance.bump.radii) {
            #expect(r.significandBitPattern == 0)
            #expect(Double(Float(instance.bump.centre[i])) == instance.bump.centre[i])
            #expect(Double(Float(instance.bump.centre[i] / r)) == instance.bump.centre[i] / r)
        }
    }

    @Test func radiusIsAPowerOfTwoBelowTheRequestedShare() throws {
        var placement = BumpPlacement()
        placement.radiusFraction = 0.05
        let box = InputBox(lower: [0, 0, 1], upper: [0.3, 0, 2])
        let radii = try placement.dimensionsAndRadii(box, region: "test")
        #expect(radii.map(\.dimension) == [0, 2])
        #expect(radii.map(\.radius) == [0.0078125, 0.03125])
        placement.radius = 0.1
        #expect(try placement.dimensionsAndRadii(box, region: "test").map(\.radius) == [0.0625, 0.0625])
    }
}
