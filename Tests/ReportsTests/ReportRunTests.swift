import Foundation
import NNGraph
import Reports
import TestSupport
import Testing

/// The numbers of a report on the bundled digits model: ordered, monotone, and sound where checkable.
@Suite struct ReportRunTests {
    @Test func resultsCoverEveryInputAndRadius() throws {
        let report = try ReportFixture.shared.get().report
        #expect(report.results.count == ReportFixture.sampleCount * ReportFixture.epsilons.count)
        #expect(report.summaries.map(\.epsilon) == ReportFixture.epsilons)
        for s in report.summaries {
            #expect(s.overall.inputs == ReportFixture.sampleCount)
            #expect(s.perClass.reduce(0) { $0 + $1.summary.inputs } == ReportFixture.sampleCount)
            let o = s.overall
            #expect(o.certified.count + o.unknown.count + o.falsified.count == o.clean.count)
        }
    }

    @Test func accuraciesAreOrderedAndMonotoneInEpsilon() throws {
        let report = try ReportFixture.shared.get().report
        #expect(report.inconsistencies.isEmpty, "\(report.inconsistencies)")
        for s in report.summaries {
            let o = s.overall
            #expect(o.certified.fraction <= o.attackRobust.fraction && o.attackRobust.fraction <= o.clean.fraction)
        }
        for (a, b) in zip(report.summaries, report.summaries.dropFirst()) {
            #expect(b.overall.certified.fraction <= a.overall.certified.fraction)
            #expect(b.overall.attackRobust.fraction <= a.overall.attackRobust.fraction)
            #expect(b.overall.clean == a.overall.clean)
        }
        // Per input: once falsified, falsified at every larger radius; once not certified, never certified later.
        for index in 0..<ReportFixture.sampleCount {
            let verdicts = report.results.filter { $0.index == index }.map(\.verdict)
            if let f = verdicts.firstIndex(of: .falsified) { #expect(verdicts[f...].allSatisfy { $0 == .falsified }) }
            if let c = verdicts.lastIndex(of: .certified) { #expect(verdicts[...c].allSatisfy { $0 == .certified }) }
        }
        // The run is not trivial: something certified and something falsified.
        #expect(report.summaries.first!.overall.certified.count > 0)
        #expect(report.summaries.last!.overall.falsified.count > 0)
    }

    @Test func counterexamplesLieInTheBallAndChangeTheLabel() throws {
        let report = try ReportFixture.shared.get().report
        let network = try ReportFixture.network()
        let falsified = report.results.filter { $0.verdict == .falsified }
        #expect(!falsified.isEmpty)
        for r in falsified {
            let c = try #require(r.counterexample)
            let x = try #require(report.originals[r.index])
            // Inside the ball as the region computes it (x − ε ... x + ε in floating point).
            #expect(zip(c.input, x).allSatisfy { $1 - r.epsilon <= $0 && $0 <= $1 + r.epsilon })
            let linf = zip(c.input, x).map { abs($0 - $1) }.max() ?? 0
            #expect(abs(linf - c.linfDistance) < 1e-12 && linf <= r.epsilon * (1 + 1e-12))
            #expect(c.input.allSatisfy { $0 >= 0 && $0 <= 1 })
            let y = try network.evaluate(c.input)
            #expect(y.indices.contains { $0 != r.label && y[$0] >= y[r.label] }, "input \(r.index) at \(r.epsilon) keeps its label")
        }
    }

    @Test func certifiedBallsHoldOnSampledPoints() throws {
        let report = try ReportFixture.shared.get().report
        let network = try ReportFixture.network()
        var rng = SeededGenerator(seed: 5)
        for r in report.results where r.verdict == .certified {
            let x = try #require(report.originals[r.index])
            for _ in 0..<20 {
                let p = x.map { v in min(1, max(0, v + (rng.uniform(0, 1) < 0.5 ? -r.epsilon : r.epsilon))) }
                let y = try network.evaluate(p)
                #expect(y.indices.allSatisfy { $0 == r.label || y[$0] < y[r.label] }, "certified input \(r.index) at \(r.epsilon) misclassified at a corner")
            }
        }
    }

    @Test func boundMarginIsPositiveWhenBoundsDecide() throws {
        let report = try ReportFixture.shared.get().report
        for r in report.results {
            if r.decidedBy == "bounds (CROWN)" { #expect((r.boundMargin ?? -1) > 0) }
            if r.verdict == .misclassified { #expect(r.boundMargin == nil && r.counterexample == nil) }
        }
    }

    /// Several inputs at once give the same verdicts, in the same order, as one at a time.
    @Test func parallelJobsGiveTheSameResults() throws {
        var options = ReportOptions(epsilons: [0.02, 0.1])
        let data = try ReportFixture.data(limit: 16)
        let one = try ReportRunner(network: try ReportFixture.network(), options: options).run(data: data, modelPath: "m")
        options.jobs = 3
        let three = try ReportRunner(network: try ReportFixture.network(), options: options).run(data: data, modelPath: "m")
        #expect(one.results.map(\.index) == three.results.map(\.index))
        #expect(one.results.map(\.verdict) == three.results.map(\.verdict))
        #expect(one.results.map(\.epsilon) == three.results.map(\.epsilon))
    }

    @Test func tinyBudgetWithoutAttackLeavesPairsUnknownAndStaysConsistent() throws {
        var options = ReportOptions(epsilons: [0.1, 0.2])
        options.attack = nil
        options.timeoutPerInput = 0.001
        let runner = try ReportRunner(network: try ReportFixture.network(), options: options)
        let report = try runner.run(data: try ReportFixture.data(limit: 8), modelPath: "digits_mlp.onnx")
        #expect(report.inconsistencies.isEmpty)
        let unknown = report.results.filter { $0.verdict == .unknown }
        #expect(!unknown.isEmpty, "\(report.results.map(\.decidedBy))")
        let junit = JUnitReport.text(report)
        let unknownCount = report.summaries.map(\.overall.unknown.count).reduce(0, +)
        #expect(junit.components(separatedBy: "<skipped ").count - 1 == unknownCount)
        let problems = try JUnitSchema.problems(text: junit)
        #expect(problems.isEmpty, "\(problems)")
    }

    @Test func badSettingsAreRejected() throws {
        let network = try ReportFixture.network()
        var options = ReportOptions(epsilons: [0.1, 0.05])
        #expect(throws: ReportError.self) { try ReportRunner(network: network, options: options) }
        options.epsilons = [0.1]
        options.timeoutPerInput = 0
        #expect(throws: ReportError.self) { try ReportRunner(network: network, options: options) }
        options.timeoutPerInput = 1
        options.validLower = 0.5
        options.validUpper = 0.6
        let runner = try ReportRunner(network: network, options: options)
        // Pixel values outside the valid range name the sample.
        do {
            _ = try runner.run(data: try ReportFixture.data(limit: 3), modelPath: "m")
            Issue.record("expected an error for inputs outside the valid range")
        } catch let error as ReportError {
            #expect("\(error)".contains("sample 0") && "\(error)".contains("line 2"), "\(error)")
        }
    }
}
