import Foundation
import NNGraph
import VNNLib

/// The switch from activation splitting to input splitting around a suspicious point (issue 16): when
/// the domain search ends near a point that the relaxation or the descent singled out, a small box
/// around it (clipped to the case's box) is decided exactly by ``InputSplitBranchAndBound`` — CROWN
/// bounds on boxes, its leaf attacks, and its exact leaves (a box with few unstable ReLUs is decided by
/// branching on their phases with LP bounds). In a small box almost every neuron is stable, so what
/// the activation split could not reach in hundreds of dimensions (a planted tent neuron that is zero
/// with zero gradient outside a tiny L1 ball) becomes a handful of unstable neurons there.
///
/// Not a proof step: a box the input split refutes only says that this box holds no counterexample
/// (the activation split goes on regardless); a point it returns is re-checked here and validated
/// again by the verifier.
final class BoxSearch {
    let network: Network
    let specCase: SpecCase
    let options: ActivationSplitOptions
    private var inputSplit: InputSplitBranchAndBound?
    private var seconds = 0.0
    private let started = Date()
    /// Boxes already decided (a point inside one is not searched again).
    private var searched = [InputBox]()
    /// Boxes searched, and how many of them held a counterexample (for tests and traces).
    private(set) var boxes = 0

    init(network: Network, specCase: SpecCase, options: ActivationSplitOptions) {
        self.network = network
        self.specCase = specCase
        self.options = options
    }

    /// Searches the box of half-width ``ActivationSplitOptions/boxSearchRadius`` (a share of the case's
    /// half-width per input) around `x`, within ``ActivationSplitOptions/boxSearchSeconds`` and the run's
    /// ``ActivationSplitOptions/boxSearchShare``; returns a point of the case's region violating the
    /// property, or nil.
    func decide(around x: [Double], deadline: Date) -> [Double]? {
        guard options.boxSearchShare > 0, x.count == network.inputSize else { return nil }
        let elapsed = Date().timeIntervalSince(started)
        guard seconds <= options.boxSearchShare * elapsed, !searched.contains(where: { $0.contains(x) }) else { return nil }
        let t0 = Date()
        defer { seconds += Date().timeIntervalSince(t0) }
        let box = specCase.box
        var lower = x, upper = x
        for j in x.indices {
            let h = options.boxSearchRadius * 0.5 * (box.upper[j] - box.lower[j])
            lower[j] = max(box.lower[j], x[j] - h)
            upper[j] = min(box.upper[j], x[j] + h)
        }
        guard zip(lower, upper).allSatisfy({ $0 <= $1 }) else { return nil }
        let small = InputBox(lower: lower, upper: upper)
        searched.append(small)
        boxes += 1
        if inputSplit == nil {
            var o = InputSplitOptions()
            o.workers = options.workers
            inputSplit = InputSplitBranchAndBound(network: network, options: o)
        }
        let local = SpecCase(box: small, disjuncts: specCase.disjuncts, inputConstraints: specCase.inputConstraints)
        var statistics = BranchAndBoundStatistics()
        let stop = min(deadline, Date().addingTimeInterval(options.boxSearchSeconds))
        let outcome = inputSplit!.run(local, deadline: stop, statistics: &statistics)
        guard case .counterexample(let point) = outcome,
              specCase.contains(point), (try? network.evaluate(point)).map(specCase.isViolated) ?? false else { return nil }
        return point
    }
}
