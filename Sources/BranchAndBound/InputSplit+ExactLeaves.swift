import Bounds
import Foundation
import LinearAlgebra
import LPBounds
import NNGraph
import VNNLib

/// Exact decisions of small domains inside the input split.
///
/// Bound propagation refutes a domain only once its relaxation is tighter than the property's margin;
/// near a point where the margin is about 1e-3 (ACAS Xu's hardest unsat instances) the boxes must
/// become very small, and along a seam between two constraint rows they split into long thin needles
/// without end. A domain whose intermediate bounds leave only a few ReLUs unstable is instead decided
/// exactly: a branch-and-bound over those ReLUs' phases in which every node is bounded by a proven LP
/// (triangle relaxation with the fixed phases exact, all rows of the disjunct together:
/// ``MILPVerifier/certify(_:box:bounds:deadline:)``), with a node limit so one hard domain cannot
/// stall the search — it is then split as usual.
extension InputSplitBranchAndBound {
    enum ExactLeafOutcome {
        /// No input of the box satisfies every row of the disjunct (proven).
        case refuted
        /// An input the certification found violating the disjunct (the caller validates it).
        case counterexample([Double])
        /// Too many unstable ReLUs, node limit, deadline, or no exact decision available.
        case open
    }

    /// Decides `rows` (one disjunct) on `lower...upper` exactly when domain `row` of `inter` (sound
    /// bounds on a box containing it) leaves at most ``InputSplitOptions/exactLeafUnstable`` ReLUs
    /// unstable. `unstable` caches that count for the domain. `inputConstraints` (the case's linear
    /// input constraints) are rows of the certification's LPs: the leaf is `lower...upper` ∩ them.
    func exactLeaf(_ rows: [LinearConstraint], lower: [Double], upper: [Double], inter: [ValueID: IntervalMatrix],
                   row b: Int, unstable: inout Int?, deadline: Date,
                   inputConstraints: [LinearConstraint] = []) -> ExactLeafOutcome {
        guard let exactLeaves, !rows.isEmpty, Date() < deadline else { return .open }
        let count = unstable ?? unstableReLUs(inter, row: b)
        unstable = count
        guard count <= options.exactLeafUnstable, let exact = exactLeaves.verifier else { return .open }
        let bounds = inter.mapValues { $0.selectingRows([b]) }
        guard let proof = try? exact.certify(rows, box: InputBox(lower: lower, upper: upper), bounds: bounds,
                                             deadline: deadline, inputConstraints: inputConstraints) else { return .open }

        switch proof.outcome {
        case .proven: return .refuted
        case .counterexample(let x): return .counterexample(x)
        case .unfinished: return .open
        }
    }

    /// Piecewise-linear neurons of domain `b` with a breakpoint strictly inside their input interval
    /// (ReLU: the interval straddles 0), counted once per breakpoint: the binaries of their exact encoding.
    func unstableReLUs(_ inter: [ValueID: IntervalMatrix], row b: Int) -> Int {
        var count = 0
        for node in network.nodes {
            guard let act = node.op as? any PiecewiseLinearActivation, let v = inter[node.inputs[0]] else { continue }
            let breakpoints = act.pieces.breakpoints
            for j in 0..<v.cols {
                let (l, u) = (v.lower[b, j], v.upper[b, j])
                for t in breakpoints where l < t && u > t { count += 1 }
            }
        }
        return count
    }
}

/// The exact-leaf encoding (``MILPVerifier``: the network's linear maps as sparse rows), built once, on
/// first use, for all threads. Runs that never reach a small enough domain — most runs on networks with
/// many inputs, which bound only the whole box — never pay for it.
final class LazyExactLeaves: @unchecked Sendable {
    private let lock = NSLock()
    private var built = false
    private var value: MILPVerifier?
    private let make: @Sendable () -> MILPVerifier?

    init(_ make: @escaping @Sendable () -> MILPVerifier?) { self.make = make }

    /// The encoding (nil: the network has no MILP encoding, e.g. a non-ReLU activation).
    var verifier: MILPVerifier? {
        lock.lock()
        defer { lock.unlock() }
        if !built {
            value = make()
            built = true
        }
        return value
    }
}
