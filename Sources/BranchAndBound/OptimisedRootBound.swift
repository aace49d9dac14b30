import Bounds
import Foundation
import LinearAlgebra
import NNGraph
import VNNLib

/// Settings of ``OptimisedRootBound``.
public struct OptimisedRootBoundOptions: Sendable {
    /// Optimisation of each intermediate value's bounds (α and tangent points per bound).
    public var intermediate: BoundOptimisation = {
        var o = BoundOptimisation()
        o.iterations = 20
        o.stopAbove = nil
        return o
    }()
    /// Optimisation of the objective rows (stops once every row is positive).
    public var objective: BoundOptimisation = {
        var o = BoundOptimisation()
        o.iterations = 40
        return o
    }()
    /// Intermediate neurons re-bounded per sigmoid/tanh value (the widest first).
    public var neuronLimit: Int = .max
    /// Share of the time to the deadline the intermediate bounds may take (the objective gets the rest).
    public var intermediateShare: Double = 0.7
    /// Take a case's linear input constraints into every CROWN bound (``CROWN/coupled(with:)``); off: the box only.
    public var lagrangianCouplings = true
    /// Why to stop now (e.g. ``ResidentMemoryStop/check()``), or nil to go on: asked before each stage and
    /// between the optimisation's iterations; a reason ends the run with `.unknown` naming it, the bound
    /// in hand deciding nothing unless it already proves the case.
    public var stop: (@Sendable () -> String?)?

    public init() {}
}

/// One alpha-CROWN bound of a case's whole box: optimised intermediate bounds
/// (``CROWN/optimisedIntermediateBounds(input:known:options:neuronLimit:)``), then the objective with
/// optimised parameters (``CROWN/optimisedLowerBound(of:objective:constant:input:bounds:splits:start:options:)``).
/// For networks that activation splits do not apply to (sigmoid, tanh) with too many inputs for
/// input splits. Sound because every bound it uses is (any parameter values give sound lines).
public struct OptimisedRootBound: Sendable {
    public let network: Network
    public internal(set) var crown: CROWN
    public var options: OptimisedRootBoundOptions

    public init(network: Network, options: OptimisedRootBoundOptions = OptimisedRootBoundOptions()) {
        self.network = network
        self.crown = CROWN(network: network, tryRelaxationVariants: false)
        self.options = options
    }

    /// `.verified` when every disjunct has a row with a positive bound; `.counterexample` when the
    /// input corner minimising the lowest open row violates the property; else `.unknown`.
    public func run(_ specCase: SpecCase, deadline: Date) -> BranchAndBoundOutcome {
        let couplings = options.lagrangianCouplings ? InputCouplings(specCase.inputConstraints, box: specCase.box) : nil
        if crown.couplings != couplings {
            var coupled = self
            coupled.crown = crown.coupled(with: couplings)
            return coupled.run(specCase, deadline: deadline)
        }
        let objective = SpecObjective(specCase, outputCount: network.outputSize)
        if objective.disjunctCount == 0 { return .verified }
        let box = IntervalMatrix(lower: Matrix(rows: 1, cols: network.inputSize, data: specCase.box.lower),
                                 upper: Matrix(rows: 1, cols: network.inputSize, data: specCase.box.upper))
        if let why = options.stop?() { return .unknown(reason: why) }
        let stop = options.stop
        let stopping: (@Sendable () -> Bool)? = stop == nil ? nil : { @Sendable in stop?() != nil }
        var intermediate = options.intermediate
        intermediate.stop = stopping
        intermediate.deadline = Date().addingTimeInterval(max(0, deadline.timeIntervalSinceNow) * options.intermediateShare)
        let bounds = crown.optimisedIntermediateBounds(input: box, options: intermediate, neuronLimit: options.neuronLimit)
        // The objective's pass over a large network takes seconds: none is started past the deadline.
        if Date() >= deadline { return .timeout }
        if let why = options.stop?() { return .unknown(reason: why) }
        var settings = options.objective
        settings.deadline = deadline
        settings.stop = stopping
        let (result, _) = crown.optimisedLowerBound(of: network.output, objective: objective.matrix, constant: objective.constant,
                                                    input: box, bounds: bounds, options: settings)
        var lowest: Int?
        for rows in objective.rowsOfDisjunct {
            if !rows.isEmpty && rows.contains(where: { result.lower[$0] > 0 }) { continue }
            for r in rows where lowest.map({ result.lower[r] < result.lower[$0] }) ?? true { lowest = r }
            if rows.isEmpty { return .unknown(reason: "a disjunct has no constraint") }
        }
        guard let r = lowest else { return .verified }
        let n = network.inputSize
        let corner = (0..<n).map { j in
            result.inputCoefficients.data[r * n + j] >= 0 ? specCase.box.lower[j] : specCase.box.upper[j]
        }
        if specCase.contains(corner), let y = try? network.evaluate(corner), specCase.isViolated(by: y) { return .counterexample(corner) }
        if let why = options.stop?() { return .unknown(reason: why) }
        return Date() >= deadline ? .timeout : .unknown(reason: "the alpha-CROWN bound of the whole box did not decide")
    }
}
