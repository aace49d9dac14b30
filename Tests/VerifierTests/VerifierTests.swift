import LinearAlgebra
import NNGraph
import Testing
import TestSupport
import VNNLib
@testable import Verifier

@Suite struct VerifierTests {
    // On [0,1]^2 the output's maximum is 2, at (1, 1) (see SmallNetworks.twoReLU).
    let net = SmallNetworks.twoReLU()
    let box = InputBox(lower: [0, 0], upper: [1, 1])

    @Test func provesAPropertyThatHolds() {
        let result = Verifier().verify(network: net, specification: SmallNetworks.outputAtLeast(2.01, box: box))
        #expect(result.verdict == .unsat)
        #expect(result.witness == nil)
    }

    @Test func milpUnsatIsCertified() {
        var options = VerifierOptions()
        options.method = .milp
        options.attackShare = 0
        let result = Verifier(options: options).verify(network: net, specification: SmallNetworks.outputAtLeast(2.01, box: box))
        #expect(result.verdict == .unsat)
        #expect(result.decidedBy.hasPrefix("MILP, certified by "), "\(result.decidedBy)")
        let nodes = result.statistics.first { $0.0 == "domains bounded" }.flatMap { Int($0.1) }
        #expect((nodes ?? 0) >= 1, "\(result.statistics)")
    }

    @Test func findsAndValidatesACounterexample() throws {
        let spec = SmallNetworks.outputAtLeast(1.99, box: box)
        let result = Verifier().verify(network: net, specification: spec)
        #expect(result.verdict == .sat)
        let w = try #require(result.witness)
        #expect(box.contains(w.input))
        #expect(try net.evaluate(w.input) == w.output)
        #expect(w.output[0] >= 1.99)
    }

    @Test func validationRejectsBadCandidates() {
        let spec = SmallNetworks.outputAtLeast(1.5, box: box)
        #expect(validateCounterexample([1, 1], network: net, specification: spec) != nil)
        #expect(validateCounterexample([0.5, 0.5], network: net, specification: spec) == nil, "not violating")
        #expect(validateCounterexample([1.0000001, 1], network: net, specification: spec) == nil, "outside the box")
        #expect(validateCounterexample([1], network: net, specification: spec) == nil, "wrong size")
        #expect(validateCounterexample([.nan, 1], network: net, specification: spec) == nil, "not finite")
    }

    @Test func resultFileFormat() {
        let r = VerificationResult(verdict: .sat, witness: Witness(input: [0.5, -1], output: [2]), seconds: 0, decidedBy: "test")
        #expect(r.resultFileText == "sat\n((X_0 0.5)\n(X_1 -1.0)\n(Y_0 2.0))\n")
        #expect(VerificationResult(verdict: .unsat, seconds: 0, decidedBy: "").resultFileText == "unsat\n")
        #expect(Verdict.sat.exitCode == 10 && Verdict.unsat.exitCode == 0 && Verdict.timeout.exitCode == 20 && Verdict.error.exitCode == 1)
    }

    @Test func emptyDisjunctMeansEveryInputIsACounterexample() {
        let spec = Specification(inputCount: 2, outputCount: 1, cases: [SpecCase(box: box, disjuncts: [[]])])
        var options = VerifierOptions()
        options.attackShare = 0
        #expect(Verifier(options: options).verify(network: net, specification: spec).verdict == .sat)
    }

    /// BLAS's thread count is process-wide: a run told to keep one thread (`bench`/`report --jobs`)
    /// must not raise it for its activation split.
    @Test func blasThreadsFollowTheOptionWhenSet() {
        var options = VerifierOptions()
        #expect(Verifier.blasThreads(method: .activationSplit, options: options) == 2)
        #expect(Verifier.blasThreads(method: .inputSplit, options: options) == 1)
        options.blasThreads = 1
        #expect(Verifier.blasThreads(method: .activationSplit, options: options) == 1)
    }

    @Test func respectsTheDeadline() {
        // A deep random network on a wide box with a property that is nearly tight: stop on time.
        var rng = SeededGenerator(seed: 99)
        let deep = RandomNetworks.mlp([5, 40, 40, 40, 40, 1], weightScale: 2, using: &rng)
        let wide = InputBox(lower: [Double](repeating: -1, count: 5), upper: [Double](repeating: 1, count: 5))
        var hi = -Double.infinity
        for _ in 0..<2000 {
            let x = (0..<5).map { _ in rng.uniform(-1, 1) }
            hi = max(hi, (try? deep.evaluate(x))?[0] ?? hi)
        }
        var options = VerifierOptions()
        options.timeout = 0.5
        let result = Verifier(options: options).verify(network: deep, specification: SmallNetworks.outputAtLeast(hi + 1e-3, box: wide))
        #expect(result.seconds < 5)
        #expect(result.verdict != .sat || validateCounterexample(result.witness!.input, network: deep,
                specification: SmallNetworks.outputAtLeast(hi + 1e-3, box: wide)) != nil)
    }
}

/// The whole pipeline on a network where rounding hides a violation (see `CancellationNetwork`):
/// exact arithmetic violates the property, so no method may answer unsat; and the counterexample
/// cannot be validated in `Double`, so the honest answer is unknown or timeout.
@Suite struct RoundingVerifierTests {
    @Test(arguments: [VerificationMethod.automatic, .inputSplit, .activationSplit, .milp])
    func noMethodProvesAPropertyThatExactArithmeticViolates(method: VerificationMethod) {
        var options = VerifierOptions()
        options.timeout = 3
        options.method = method
        let result = Verifier(options: options).verify(network: CancellationNetwork.network(),
                                                       specification: CancellationNetwork.specification())
        #expect(result.verdict != .unsat, "\(method.rawValue) answered unsat (decided by \(result.decidedBy))")
        #expect(result.verdict != .sat)
    }

    /// The same trap with magnitudes GLPK accepts (offset 2⁴⁹), so that `milp` gets to its MILP and
    /// its certification instead of stopping at the LP's input check.
    @Test(arguments: [VerificationMethod.automatic, .activationSplit, .milp])
    func noMethodProvesTheTrapWithinSolverRange(method: VerificationMethod) {
        var options = VerifierOptions()
        options.timeout = 3
        options.method = method
        let trap = CancellationNetwork.WithinSolverRange.self
        let result = Verifier(options: options).verify(network: trap.network(), specification: trap.specification())
        #expect(result.verdict != .unsat, "\(method.rawValue) answered unsat (decided by \(result.decidedBy))")
        #expect(result.verdict != .sat)
    }
}
