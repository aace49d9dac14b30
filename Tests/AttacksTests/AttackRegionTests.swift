import Testing
import TestSupport
@testable import Attacks

@Suite struct AttackRegionTests {
    @Test(arguments: AttackNorm.allCases)
    func projectionAndRandomPointsStayInside(norm: AttackNorm) throws {
        var rng = SeededGenerator(seed: 3)
        var split = SplitMix(seed: 3)
        for _ in 0..<200 {
            let n = Int.random(in: 1...20, using: &rng)
            let origin = (0..<n).map { _ in rng.uniform(0, 1) }
            let region = try AttackRegion(around: origin, norm: norm, epsilon: rng.uniform(0, 0.5),
                                          validLower: [Double](repeating: 0, count: n), validUpper: [Double](repeating: 1, count: n))
            #expect(region.contains(origin))
            var x = (0..<n).map { _ in rng.uniform(-2, 3) }
            region.project(&x)
            #expect(region.contains(x), "projected point outside the \(norm) region")
            #expect(region.contains(region.randomPoint(using: &split)))
        }
    }

    @Test func l2ProjectionOfAFarPointLandsOnTheSphere() throws {
        let region = try AttackRegion(around: [0.5, 0.5], norm: .l2, epsilon: 0.1, validLower: [0, 0], validUpper: [1, 1])
        var x = [0.5 + 3, 0.5 + 4]  // direction (0.6, 0.8)
        region.project(&x)
        #expect(abs(x[0] - 0.56) < 1e-12 && abs(x[1] - 0.58) < 1e-12)
        #expect(region.contains(x))
        #expect(!region.contains([0.5, 0.61]))
    }

    @Test func linfRegionIsTheClippedBall() throws {
        let region = try AttackRegion(around: [0.05, 0.5], norm: .linf, epsilon: 0.1, validLower: [0, 0], validUpper: [1, 1])
        #expect(region.lower == [0, 0.4] && region.upper == [0.15000000000000002, 0.6])
        #expect(region.linfScale == [0.1, 0.1])
        #expect(!region.contains([0.2, 0.5]) && region.contains([0, 0.6]))
    }

    @Test func badSettingsAreRejected() {
        #expect(throws: AttackError.invalidEpsilon(-1)) {
            try AttackRegion(around: [0.5], norm: .linf, epsilon: -1, validLower: [0], validUpper: [1])
        }
        #expect(throws: AttackError.self) { try AttackRegion(around: [1.5], norm: .linf, epsilon: 0.1, validLower: [0], validUpper: [1]) }
        #expect(throws: AttackError.self) { try AttackRegion(around: [0.5], norm: .l2, epsilon: .nan, validLower: [0], validUpper: [1]) }
        #expect(throws: AttackError.self) { try AttackRegion(around: [0.5, 0.5], norm: .l2, epsilon: 1, validLower: [0], validUpper: [1]) }
    }
}
