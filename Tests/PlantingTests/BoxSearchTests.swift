@testable import BranchAndBound
import Foundation
@testable import Planting
import Testing
import VNNLib
import Verifier

/// The switch to input splitting around a suspicious point (``BoxSearch``, issue 16): a small box around a
/// near miss in a planted network with 48 inputs (a point just outside the violating part of the bump's L1 ball,
/// where descent steps of the whole box's scale overshoot) is searched by the input split, and a counterexample
/// inside it is found and validated; a box away from the bump holds none (the base network is robust there).
@Suite struct BoxSearchTests {
    @Test func decidesTheBoxAroundASuspiciousPoint() throws {
        let base = try PlantingFixtures.base(inputs: 48, width: 24, depth: 2, outputs: 3, seed: 3)
        let region = try PlantingFixtures.region(base, eps: 0.02, seed: 4)
        let instance = try PlantingFixtures.instance(.planted, base: base, region: region, seed: 1)
        let specCase = region.specification.cases[0]
        let network = instance.loaded, bump = instance.bump
        func violated(_ x: [Double]) -> Bool { specCase.isViolated(by: (try? network.evaluate(x)) ?? []) }
        // A near miss: on a ray from the bump's centre (a counterexample) outward, just past the last violating point.
        var rng = PlantingRandom(seed: 7)
        let outer = PlantingFixtures.point(around: bump, distance: 1, rng: &rng)
        func along(_ s: Double) -> [Double] { zip(bump.centre, outer).map { $0 + s * ($1 - $0) } }
        #expect(violated(along(0)) && !violated(along(1)))
        var (inside, outside) = (0.0, 1.0)
        for _ in 0..<40 { let mid = 0.5 * (inside + outside); if violated(along(mid)) { inside = mid } else { outside = mid } }
        let near = along(min(1, outside + 0.02))
        #expect(!violated(near), "the start must not be a counterexample itself")
        // A box a fifth of the mean distance to the centre per input: it reaches back into the violating region.
        let offsets = bump.dimensions.map { abs(near[$0] - bump.centre[$0]) }
        let halfWidth = bump.dimensions.map { 0.5 * (specCase.box.upper[$0] - specCase.box.lower[$0]) }.max()!
        var options = ActivationSplitOptions()
        options.boxSearchShare = 1  // no time share: the test decides each box in full
        options.boxSearchRadius = 0.2 * offsets.reduce(0, +) / Double(offsets.count) / halfWidth
        options.boxSearchSeconds = 30
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
