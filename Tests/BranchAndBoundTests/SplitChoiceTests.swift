import Testing
import TestSupport
@testable import BranchAndBound

/// The input split's lookahead choice among candidate split dimensions
/// (``InputSplitBranchAndBound/bestSplit(_:own:)``).
@Suite struct SplitChoiceTests {
    /// Bounds measured on ACAS Xu `4_2 prop_2` (one open disjunct, domain bound -9.344e-3): splitting
    /// dimension 4 closes one half; splitting the 1e-6-wide dimension 0 changes nothing. Choosing by
    /// the worse half alone picks dimension 0 (-9.344e-3 beats -1.12e-2 and -1.89e-2), and that choice,
    /// repeated, ran the instance out of time.
    @Test func aSplitThatClosesOneHalfBeatsOneThatChangesNothing() {
        let candidates: [(dimension: Int, left: [Double], right: [Double])] = [
            (2, [-6.935e-3], [-1.1187e-2]),
            (4, [-1.8874e-2], [2.098e-3]),
            (0, [-9.344267e-3], [-9.344281e-3]),
        ]
        #expect(InputSplitBranchAndBound.bestSplit(candidates, own: [-9.344e-3]) == 4)
    }

    /// A half's bound below the domain's own is raised to it (the domain's bound holds on the half):
    /// a very loose half must not outweigh the other half being closed.
    @Test func halvesAreNeverWorseThanTheDomain() {
        let candidates: [(dimension: Int, left: [Double], right: [Double])] = [
            (1, [-0.9], [-0.9]),
            (3, [-100], [0.1]),
        ]
        #expect(InputSplitBranchAndBound.bestSplit(candidates, own: [-1]) == 3)
    }

    /// Every open disjunct counts: closing two disjuncts on one half beats improving one a little.
    @Test func openDisjunctsAreSummed() {
        let candidates: [(dimension: Int, left: [Double], right: [Double])] = [
            (0, [-0.5, -1], [-1, -1]),
            (2, [0.2, 0.3], [-1, -1]),
        ]
        #expect(InputSplitBranchAndBound.bestSplit(candidates, own: [-1, -1]) == 2)
    }

    /// Equal values keep the better-scored (earlier) candidate, and so do halves that gain nothing.
    @Test func tiesGoToTheFirstCandidate() {
        let flat: [(dimension: Int, left: [Double], right: [Double])] = [(3, [-1], [-1]), (1, [-1], [-1]), (0, [-2], [-2])]
        #expect(InputSplitBranchAndBound.bestSplit(flat, own: [-1]) == 3)
        let unconstrained: [(dimension: Int, left: [Double], right: [Double])] = [(4, [-.infinity], [-.infinity]), (2, [-.infinity], [-.infinity])]
        #expect(InputSplitBranchAndBound.bestSplit(unconstrained, own: [-.infinity]) == 4)
        #expect(InputSplitBranchAndBound.bestSplit([], own: [-1]) == nil)
    }

    /// Boxes with few dimensions left try them all (ACAS Xu: 5); others the best-scored three.
    @Test func fewDimensionsAreAllTried() {
        let search = InputSplitBranchAndBound(network: SmallNetworks.twoReLU())
        var r = InputSplitBranchAndBound.DomainResult()
        r.dimensionOrder = [4, 0, 2, 1, 3]
        #expect(Array(search.lookaheadCandidates(r)) == [4, 0, 2, 1, 3])
        r.dimensionOrder = [7, 4, 0, 2, 1, 3, 6, 5]
        #expect(Array(search.lookaheadCandidates(r)) == [7, 4, 0])
    }
}
