@testable import BranchAndBound
import Foundation
@testable import Planting
import Testing
import VNNLib
import Verifier

/// The switch to input splitting around a suspicious point (``BoxSearch``, issue 16): a small box around a
/// point outside a planted bump's L1 ball (where the tent and its gradient are zero, so descent from the point
/// sees nothing) is decided exactly, and the counterexample inside it is found; a box away from the bump holds
/// none (the base network is robust there), so nothing is reported.
@Suite struct BoxSearchTests {
    @Test func decidesTheBoxAroundASuspiciousPoint() throws {
        let base = try PlantingFixtures.base(inputs: 48, width: 24, depth: 2, outputs: 3, seed: 3)
        let region = try PlantingFixtures.region(base, eps: 0.02, seed: 4)
        let instance = try PlantingFixtures.instance(.planted, base: base, region: region, seed: 1)
        let specCase = region.specification.cases[0]
        var options = ActivationSplitOptions()
        options.boxSearchShare = 1  // no time share: the test decides each box in full
        options.boxSearchRadius = 0.25
        options.boxSearchSeconds = 30
        var rng = PlantingRandom(seed: 7)
        let near = PlantingFixtures.point(around: instance.bump, distance: 3, rng: &rng)
        #expect(PlantingFixtures.bumpDistance(instance.bump, near) > 1, "the start must lie outside the bump's ball")
        let search = BoxSearch(network: instance.loaded, specCase: specCase, options: options)
        let x = try #require(search.decide(around: near, deadline: Date().addingTimeInterval(60)))
        #expect(specCase.contains(x))
        #expect(specCase.isViolated(by: try instance.loaded.evaluate(x)))
        #expect(search.decide(around: near, deadline: Date().addingTimeInterval(60)) == nil, "a box is searched once")

        // Far from the bump (every coordinate on the other side of the box) the small box holds no counterexample.
        let far = zip(specCase.box.lower, specCase.box.upper).enumerated().map { j, b in
            instance.bump.centre[j] > 0.5 * (b.0 + b.1) ? b.0 : b.1
        }
        options.boxSearchSeconds = 5
        let other = BoxSearch(network: instance.loaded, specCase: specCase, options: options)
        #expect(other.decide(around: far, deadline: Date().addingTimeInterval(60)) == nil)
    }
}
