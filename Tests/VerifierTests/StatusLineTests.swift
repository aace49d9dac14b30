import BranchAndBound
import Foundation
import NNGraph
import Testing
import TestSupport
import VNNLib
@testable import Verifier

/// The live status line of `verify` (its text and drawing), and the progress the searches feed it.
@Suite struct StatusLineTests {
    @Test func textShowsStageTimeDomainsOpenAndBound() {
        #expect(StatusLine.text(SearchProgress.Snapshot(), elapsed: 0.04) == "loading | 0.0 s")
        let attack = SearchProgress.Snapshot(stage: "attack (PGD)")
        #expect(StatusLine.text(attack, elapsed: 12.345) == "attack (PGD) | 12.3 s")
        let search = SearchProgress.Snapshot(stage: "input split, case 2/5", domainsBounded: 1_234_567, openDomains: 4096,
                                             lowestBound: -0.0123456)
        #expect(StatusLine.text(search, elapsed: 61.06, width: 200)
                == "input split, case 2/5 | 61.1 s | 1,234,567 domains bounded | 4,096 open | lowest bound -0.01235")
        let empty = SearchProgress.Snapshot(stage: "activation split", domainsBounded: 999, openDomains: 0, lowestBound: nil)
        #expect(StatusLine.text(empty, elapsed: 1) == "activation split | 1.0 s | 999 domains bounded | 0 open")
        // Never as wide as the terminal (a full-width line wraps before the carriage return on some terminals).
        let cut = StatusLine.text(search, elapsed: 61.06, width: 30)
        #expect(cut == "input split, case 2/5 | 61.1 ")
        #expect(cut.count == 29)
        #expect(StatusLine.grouped(0) == "0" && StatusLine.grouped(999) == "999" && StatusLine.grouped(1000) == "1,000")
    }

    /// Drawn in place (carriage return, text, erase to end of line) after the delay, erased by `stop`,
    /// and silent after it.
    @Test func drawsInPlaceAndErasesOnStop() throws {
        let progress = SearchProgress()
        progress.stage("input split, case 1/1")
        progress.record(bounded: 10, open: 4, lowestBound: -1.5)
        let sink = Sink()
        let line = StatusLine(progress: progress, width: 200, delay: 0.05, interval: 0.02) { sink.append($0) }
        let waited = Date()
        while sink.text.isEmpty && Date().timeIntervalSince(waited) < 10 { Thread.sleep(forTimeInterval: 0.01) }
        line.stop()
        let written = sink.text
        #expect(written.hasPrefix("\rinput split, case 1/1 | "), "\(written.debugDescription)")
        #expect(written.contains(" | 10 domains bounded | 4 open | lowest bound -1.5\u{1B}[K"), "\(written.debugDescription)")
        #expect(written.hasSuffix("\r\u{1B}[K"), "stop erases the line: \(written.debugDescription)")
        #expect(!written.contains("\n"), "a status line never starts a new line")
        Thread.sleep(forTimeInterval: 0.1)
        #expect(sink.text == written, "nothing is written after stop")
        line.stop()
        #expect(sink.text == written)
    }

    /// A run stopped before the first draw writes nothing at all (short runs show no status).
    @Test func aShortRunWritesNothing() {
        let sink = Sink()
        let line = StatusLine(progress: SearchProgress(), delay: 5) { sink.append($0) }
        line.stop()
        Thread.sleep(forTimeInterval: 0.05)
        #expect(sink.text.isEmpty)
    }

    /// Both searches report every domain they bound: the progress count equals the run's statistics,
    /// on random ReLU networks with properties that hold by a small margin (so they need branching).
    @Test(arguments: [VerificationMethod.inputSplit, .activationSplit])
    func searchesReportEveryBoundedDomain(method: VerificationMethod) throws {
        var branched = 0
        for (net, spec) in try HoldingProperties.make(seed: 19) {
            let progress = SearchProgress()
            var options = VerifierOptions()
            options.method = method
            options.attackShare = 0
            options.progress = progress
            options.exactLeavesOff()
            let result = Verifier(options: options).verify(network: net, specification: spec)
            #expect(result.verdict == .unsat, "\(result.decidedBy)")
            let bounded = try #require(result.statistics.first { $0.0 == "domains bounded" }.flatMap { Int($0.1) })
            let seen = progress.snapshot
            #expect(seen.domainsBounded == bounded)
            #expect(seen.stage.hasPrefix(method == .inputSplit ? "input split" : "activation split"), "\(seen.stage)")
            if bounded > 1 { branched += 1 }
        }
        #expect(branched > 0, "some property must need branching for the test to mean anything")
    }
}

extension VerifierOptions {
    /// No exact leaf decisions in the input split (they decide these small networks at the root, and
    /// the tests need branching).
    mutating func exactLeavesOff() {
        inputSplit.exactLeafUnstable = 0
        inputSplitFallback?.exactLeafUnstable = 0
    }
}

/// Random ReLU networks with properties that hold by a small margin: `y >= max y + 0.01` on a
/// random box, the maximum from the exact MILP.
enum HoldingProperties {
    static func make(seed: UInt64, count: Int = 6) throws -> [(Network, Specification)] {
        var rng = SeededGenerator(seed: seed)
        return try (0..<count).map { _ in
            let net = RandomNetworks.mlp([3, 12, 12, 1], using: &rng)
            let box = RandomNetworks.box(3, using: &rng)
            let lowest = try ExactMILP.minimumMargin(net, SmallNetworks.outputAtLeast(0, box: box).cases[0])
            return (net, SmallNetworks.outputAtLeast(-lowest + 0.01, box: box))
        }
    }
}

/// Collects what a status line writes.
final class Sink: @unchecked Sendable {
    private let lock = NSLock()
    private var parts = [String]()
    func append(_ s: String) { lock.withLock { parts.append(s) } }
    var text: String { lock.withLock { parts.joined() } }
}
