import Bounds
import Foundation
import LP
import NNGraph
import VNNLib

/// The minimum over an input box of `max_k (c_k·y + d_k)` as the MILP found it.
public struct MILPMinimum: Sendable, Equatable {
    /// How the MILP ended.
    public enum Status: Sendable, Equatable {
        /// Solved to optimality (up to GLPK's tolerances; not proven).
        case optimal
        /// The deadline stopped branch-and-cut: `bound` and `value` bracket the optimum where known.
        case timeLimit
        /// GLPK found no integral point; on a nonempty box this means inconsistent bounds or a solver error.
        case infeasible
    }

    /// How the MILP ended.
    public var status: Status
    /// The optimum (`.optimal`) or the best integral point's value (`.timeLimit`), if any.
    public var value: Double?
    /// GLPK's lower bound on the optimum (within its tolerances, not proven): the optimum itself when
    /// optimal, the best open node's bound at the time limit, -infinity when none.
    public var bound: Double
    /// The input of the optimal (best) integral point, clamped into the box and pulled into the input
    /// constraints (``RegionProjection``); a candidate counterexample.
    public var input: [Double]?
    /// The largest magnitude the rows can reach on the box (`1 + Σ|c_j|·max|y_j| + |d|`, at least 1),
    /// the scale of GLPK's tolerances on this MILP (for comparing optima; no decision uses it).
    public var scale: Double
    /// Binary variables (unstable ReLUs) in the encoding.
    public var binaries: Int
}

/// Complete verification of piecewise-linear networks by mixed-integer programming (Tjeng et al.,
/// "Evaluating Robustness of Neural Networks with Mixed Integer Programming", ICLR 2019): linear
/// operators exact, each unstable ReLU `y = max(0, z)` with bounds `l < 0 < u` encoded by one binary
/// `δ` and `y ≥ 0, y ≥ z, y ≤ z − l(1 − δ), y ≤ uδ`; stable ReLUs are fixed. The big-M constants are
/// CROWN's intermediate bounds, optionally tightened by LP (``BoundRefinement``).
///
/// GLPK's branch-and-cut is only the search. Per disjunct (minimise `t ≥ c_k·y + d_k` for all rows `k`):
/// - any integral point the MILP returns is evaluated concretely; if every row is `<= 0` there, the
///   disjunct is violated and that input is the counterexample (no tolerance: it is a real one);
/// - when GLPK claims the disjunct holds (its bound on the optimum is `> 0`, or it reports no
///   integral point), the claim is *certified* by ``MILPCertificate``: a branch-and-bound over ReLU
///   phases on the same intermediate bounds in which every node is closed by an LP bound proven in
///   exact arithmetic. Only a certification that closes every node makes the disjunct hold; one that
///   finds a concrete violation makes it violated;
/// - anything else (GLPK's optimum `<= 0` with no confirmed point, time limit, unfinished
///   certification) is unknown.
///
/// So `.holds` assumes nothing of GLPK (neither its tolerances nor its integer search): it rests on
/// the rounding-safe intermediate bounds, the exact rows of the linear operators, and the proven LP
/// bounds (Docs/soundness.md).
public struct MILPVerifier: Sendable {
    /// The verdict for one specification case.
    public enum Verdict: Sendable, Equatable {
        /// This input of the box violates the property (validated by concrete evaluation).
        case violated([Double])
        /// No input of the box violates the property (every disjunct certified).
        case holds
        /// Undecided, and why.
        case unknown(String)
    }

    /// A verdict with the work behind it.
    public struct Decision: Sendable, Equatable {
        /// The verdict.
        public var verdict: Verdict
        /// Certification LPs solved (nodes bounded), over all disjuncts tried.
        public var certificationNodes = 0
        /// The most certification nodes waiting at once (depth-first stack).
        public var largestStack = 0
        /// Disjuncts whose certification closed.
        public var certifiedDisjuncts = 0
    }

    /// Settings of the MILP and its certification.
    public struct Options: Sendable {
        /// LP refinement of the big-M bounds before the MILP, using at most half the time left (nil: CROWN only).
        public var refinement: BoundRefinementOptions?
        /// Recompute each certification node's intermediate bounds by CROWN with its phases fixed
        /// (fewer nodes; else the root's bounds clamped by the phases, with interval propagation).
        public var tightenNodes: Bool
        /// A certification stops (unknown) after this many nodes per disjunct.
        public var maxCertificationNodes: Int
        /// Certify with one loaded program whose bounds each node changes (``BoundChangeSession``: warm
        /// dual simplex, no per-node tightening) where every unstable piecewise-linear neuron is a plain
        /// ReLU; false: a fresh program per node (``tightenNodes`` applies).
        public var boundChanges = true
        /// That search splits the ReLU off its graph weighted by its triangle row's dual (false: the farthest alone).
        public var dualBranching = true
        /// That search starts each node's dual simplex from its parent's optimal basis (false: from the basis of the
        /// node solved last).
        public var parentBasis = true
        /// Why to stop now (e.g. the process's resident memory is over its limit), or nil to go on: asked
        /// before each disjunct, during GLPK's branch-and-cut and before every certification node. A reason
        /// ends the run with `.unknown` naming it; an unfinished search never counts as a proof.
        public var stop: (@Sendable () -> String?)?

        /// Default: CROWN bounds, per-node tightening, no node limit.
        public init(refinement: BoundRefinementOptions? = nil, tightenNodes: Bool = true, maxCertificationNodes: Int = .max) {
            self.refinement = refinement
            self.tightenNodes = tightenNodes
            self.maxCertificationNodes = maxCertificationNodes
        }
    }

    /// The network with its linear maps in sparse form.
    public let linearized: LinearizedNetwork
    /// The settings given at creation.
    public let options: Options

    /// Prepares `network`.
    /// - Throws: ``LPBoundsError/notPiecewiseLinear(node:kind:)`` for an activation other than ReLU,
    ///   ``LPBoundsError/unsupportedOperator(node:kind:)`` for a node with no LP encoding.
    public init(network: Network, options: Options = Options()) throws {
        for node in network.nodes where node.op is any ElementwiseActivation && !(node.op is any PiecewiseLinearActivation) {
            throw LPBoundsError.notPiecewiseLinear(node: node.name, kind: node.op.kind)
        }
        linearized = try LinearizedNetwork(network: network)
        self.options = options
    }

    /// Decides `specCase` for `network` before `deadline` (nil: no limit). See ``MILPVerifier``.
    public static func verify(network: Network, specCase: SpecCase, deadline: Date? = nil,
                              options: Options = Options()) throws -> Verdict {
        try MILPVerifier(network: network, options: options).verify(specCase, deadline: deadline)
    }

    /// Decides `specCase` before `deadline`: violated as soon as one disjunct yields a validated
    /// counterexample, holds when every disjunct's certification closed. See ``decide(_:deadline:)``.
    /// - Throws: ``LPBoundsError`` for a case that does not fit the network, or a solver failure.
    public func verify(_ specCase: SpecCase, deadline: Date? = nil) throws -> Verdict {
        try decide(specCase, deadline: deadline).verdict
    }

    /// ``verify(_:deadline:)`` with the certification's statistics.
    /// - Throws: ``LPBoundsError`` for a case that does not fit the network, or a solver failure.
    public func decide(_ specCase: SpecCase, deadline: Date? = nil) throws -> Decision {
        let network = linearized.network
        if specCase.disjuncts.contains(where: \.isEmpty) {
            // An empty conjunction holds everywhere: every input of the region violates the property.
            _ = try specCase.box.validated(inputSize: network.inputSize)
            if specCase.contains(specCase.box.lower) { return Decision(verdict: .violated(specCase.box.lower)) }
            // (Only input constraints can exclude the box's corner; finding a point of the region is not this search's job.)
            return Decision(verdict: .unknown("an empty disjunct, and the box's lower corner violates an input constraint"))
        }
        if let why = options.stop?() { return Decision(verdict: .unknown(why)) }
        let bounds = try bigMBounds(specCase.box, deadline: deadline, inputConstraints: specCase.inputConstraints)
        var decision = Decision(verdict: .holds)
        var reasons = [String]()
        for (k, rows) in specCase.disjuncts.enumerated() {
            if let why = options.stop?() {
                decision.verdict = .unknown(why)
                return decision
            }
            if let deadline, Date() >= deadline { reasons.append("disjunct \(k): deadline passed before it was tried"); continue }
            let m = try minimum(of: rows, box: specCase.box, bounds: bounds, deadline: deadline,
                                inputConstraints: specCase.inputConstraints)
            if let x = m.input, specCase.contains(x), let y = try? network.evaluate(x), rows.allSatisfy({ $0.residual(y) <= 0 }) {
                decision.verdict = .violated(x)
                return decision
            }
            // GLPK's claim that the disjunct holds (an infeasible MILP on a nonempty box would contradict
            // the encoding, but the certification decides either way); its tolerances decide nothing.
            guard m.status == .infeasible || m.bound > 0 else {
                switch m.status {
                case .optimal:
                    reasons.append("disjunct \(k): MILP optimum \(m.value ?? m.bound) is not positive, "
                                   + "but its input does not violate the property")
                case .timeLimit, .infeasible:
                    reasons.append("disjunct \(k): time limit with the optimum in [\(m.bound), \(m.value.map { "\($0)" } ?? "?")]")
                }
                continue
            }
            let proof = try certify(rows, box: specCase.box, bounds: bounds, deadline: deadline,
                                    inputConstraints: specCase.inputConstraints)
            decision.certificationNodes += proof.nodes
            decision.largestStack = max(decision.largestStack, proof.largestStack)
            let claim: String
            switch m.status {
            case .optimal: claim = "MILP optimum \(m.value ?? m.bound)"
            case .timeLimit: claim = "MILP bound \(m.bound) at the time limit"
            case .infeasible: claim = "MILP reported infeasible"
            }
            switch proof.outcome {
            case .proven:
                decision.certifiedDisjuncts += 1
            case .counterexample(let x):
                decision.verdict = .violated(x)
                return decision
            case .unfinished(let why):
                reasons.append("disjunct \(k): \(claim); certification unfinished after \(proof.nodes) nodes (\(why))")
            }
        }
        // A search the stop cut short is unfinished for that reason, whatever GLPK reported at the time.
        if !reasons.isEmpty { decision.verdict = .unknown(options.stop?() ?? reasons.joined(separator: "; ")) }
        return decision
    }

    /// Certifies, without GLPK's MILP, that no input of `box` satisfies every row of `rows` (one
    /// disjunct), by ``MILPCertificate``'s branch-and-bound over ReLU phases with proven LP bounds,
    /// on sound intermediate bounds on `box` (row 0 of each, e.g. ``bigMBounds(_:deadline:)``).
    /// `inputConstraints` restrict the region to `box` ∩ those constraints (rows of every node's LP).
    /// - Throws: ``LPBoundsError`` for rows or bounds that do not fit the network, or a solver failure.
    public func certify(_ rows: [LinearConstraint], box: InputBox, bounds: [ValueID: IntervalMatrix],
                        deadline: Date? = nil, inputConstraints: [LinearConstraint] = []) throws -> MILPCertification {
        var search = MILPCertificate(linearized: linearized, tightenNodes: options.tightenNodes, maxNodes: options.maxCertificationNodes)
        search.stop = options.stop
        search.boundChanges = options.boundChanges
        search.dualBranching = options.dualBranching
        search.parentBasis = options.parentBasis
        return try search.certify(rows, box: box, bounds: bounds, deadline: deadline, inputConstraints: inputConstraints)
    }

    /// CROWN's bounds on `box` ∩ `inputConstraints` (Lagrangian terms, ``CROWN/coupled(with:)``), refined by
    /// LP when the options ask for it.
    public func bigMBounds(_ box: InputBox, deadline: Date?, inputConstraints: [LinearConstraint] = []) throws -> [ValueID: IntervalMatrix] {
        let network = linearized.network
        let boxBounds = try box.validated(inputSize: network.inputSize)
        let crown = CROWN(network: network).coupled(with: InputCouplings(inputConstraints, box: box))
            .intermediateBounds(input: boxBounds.interval)
        guard let refinement = options.refinement else { return crown }
        let share = secondsLeft(deadline).map { Date().addingTimeInterval($0 / 2) }
        let refined = try BoundRefinement(linearized: linearized).refine(box: box, bounds: crown, options: refinement,
                                                                           deadline: share, inputConstraints: inputConstraints)
        return refined.isEmpty ? crown : refined.bounds
    }

    /// The MILP minimum of `max_k (c_k·y + d_k)` over `box`, with big-M constants from `bounds`
    /// (row 0 of each; values without bounds get interval bounds), over `box` ∩ `inputConstraints`
    /// (rows over the input variables; ``NetworkLP``). With constraints the region may be empty: then
    /// the status is `.infeasible`, which the certification confirms or not.
    /// - Throws: ``LPBoundsError`` for rows or bounds that do not fit the network, a neuron without
    ///   finite bounds, or a solver failure.
    public func minimum(of rows: [LinearConstraint], box: InputBox, bounds: [ValueID: IntervalMatrix],
                        deadline: Date? = nil, inputConstraints: [LinearConstraint] = []) throws -> MILPMinimum {
        let network = linearized.network
        for (k, row) in rows.enumerated() where row.coefficients.count != network.outputSize {
            throw LPBoundsError.invalidObjective(row: k, expected: network.outputSize, got: row.coefficients.count)
        }
        var lp = try NetworkLP(linearized, box: box, known: selectRow(bounds, row: 0, network: network),
                               splits: SplitTable([], network: network), encoding: .bigM, targets: [network.output],
                               inputConstraints: inputConstraints)
        var scale = 1.0
        for row in rows {
            let e = lp.expression(of: network.output, coefficients: row.coefficients, constant: row.constant)
            scale = max(scale, 1 + lp.magnitude(e))
        }
        let t = lp.addMaximumVariable(rows)
        lp.program.setObjective([(t, 1)], constant: 0, sense: .minimise)
        let solution: LPSolution
        do {
            let stop = options.stop
            solution = try lp.program.solveMILP(timeLimitSeconds: secondsLeft(deadline), stop: stop == nil ? nil : { stop?() != nil })
        } catch let error as LPError {
            throw LPBoundsError.solver(error, context: "MILP of \(rows.count) objective rows")
        }
        var result = MILPMinimum(status: .infeasible, value: nil, bound: .infinity, input: nil, scale: scale,
                                 binaries: lp.binaryCount)
        switch solution {
        case .optimal(let objective, let values):
            result.status = .optimal
            result.value = objective
            result.bound = objective
            result.input = RegionProjection.pulled(lp.inputPoint(values), box: box, constraints: inputConstraints)
        case .timeLimit(let best, let bound):
            result.status = .timeLimit
            result.value = best?.objective
            result.bound = bound ?? -.infinity
            result.input = best.map { RegionProjection.pulled(lp.inputPoint($0.values), box: box, constraints: inputConstraints) }
        case .infeasible:
            break
        case .cutOff:  // solveMILP sets no cutoff; nothing is known
            result.status = .timeLimit
            result.bound = -.infinity
        case .unbounded:
            throw LPBoundsError.solver(.solverFailed(routine: "glp_intopt", code: 0, meaning:
                "unbounded, although every variable of the big-M encoding is bounded"), context: "MILP of \(rows.count) objective rows")
        }
        return result
    }
}

extension NetworkLP {
    /// `Σ |a|·max(|lower|, |upper|) + |constant|` of an expression over the program's variables.
    func magnitude(_ e: (terms: [(Int, Double)], constant: Double)) -> Double {
        var total = abs(e.constant)
        for (variable, a) in e.terms {
            let v = program.variables[variable]
            total += abs(a) * max(abs(v.lower), abs(v.upper))
        }
        return total
    }
}
