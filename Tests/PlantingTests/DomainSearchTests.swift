import Foundation
@testable import Planting
import Testing
import VNNLib
import Verifier

/// The activation split's search inside open domains (issue 16) finds counterexamples planted in
/// 48-dimensional inputs, where neither the verifier's PGD stage nor plain PGD from the domains' bound
/// minimisers finds them; every `sat` carries a validated witness, and clean instances stay `unsat`.
@Suite struct DomainSearchTests {
    static func verdict(_ instance: PlantedInstance, _ region: PlantingRegion, domainSearch: Bool,
                        timeout: Double = 15) -> VerificationResult {
        var options = VerifierOptions()
        options.timeout = timeout
        options.method = .activationSplit
        options.activationSplit.domainSearch = domainSearch
        return Verifier(options: options).verify(network: instance.loaded, specification: region.specification)
    }

    @Test func findsPlantedCounterexamplesInManyDimensions() throws {
        let base = try PlantingFixtures.base(inputs: 48, width: 24, depth: 2, outputs: 3, seed: 3)
        let region = try PlantingFixtures.region(base, eps: 0.02, seed: 4)
        var found = 0, foundWithout = 0
        for seed in UInt64(0)..<3 {
            let instance = try PlantingFixtures.instance(.planted, base: base, region: region, seed: seed)
            let result = Self.verdict(instance, region, domainSearch: true)
            #expect(result.verdict != .unsat, "seed \(seed): planted counterexample exists, yet unsat")
            if result.verdict == .sat {
                let witness = try #require(result.witness)
                #expect(validateCounterexample(witness.input, network: instance.loaded, specification: region.specification) != nil)
                found += 1
            }
            if Self.verdict(instance, region, domainSearch: false, timeout: 1).verdict == .sat { foundWithout += 1 }
        }
        #expect(found == 3, "found \(found) of 3 planted counterexamples")
        #expect(foundWithout < 3, "plain PGD from the bound minimisers found all \(foundWithout) too: the test no longer shows the search")
        let clean = try PlantingFixtures.instance(.clean, base: base, region: region, seed: 9)
        #expect(Self.verdict(clean, region, domainSearch: true).verdict == .unsat)
    }
}
