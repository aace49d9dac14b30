import Foundation
import LP
import NNGraph
import VNNLib

/// A sound lower bound of a linear objective of the network outputs over an LP relaxation.
public struct ObjectiveBound: Sendable, Equatable {
    /// How the LP ended.
    public enum Status: Sendable, Equatable {
        /// Solved to optimality: `lowerBound` is the proven (weak-duality, rounding-safe) bound.
        case optimal
        /// The deadline stopped the LP: `lowerBound` is the dual bound proven so far (or -infinity).
        case timeLimit
        /// No input of the box satisfies the splits (and the input constraints): the region (a
        /// branch-and-bound leaf) is empty.
        case infeasible
        /// The relaxation is unbounded below (possible only where bounds beyond ±1e12 were dropped).
        case unbounded
        /// GLPK answered, but no bound could be proven in exact arithmetic from its answer (an
        /// infeasibility it could not certify, or an optimum whose duals give no finite bound):
        /// `lowerBound` is -infinity.
        case unproven
    }

    /// How the LP ended.
    public var status: Status
    /// Every input of the box satisfying the splits has objective `>= lowerBound` (+infinity when
    /// infeasible, -infinity when nothing was proven).
    public var lowerBound: Double
    /// GLPK's LP optimum (or its best value at the deadline), if any; not proven (``lowerBound`` is).
    public var lpValue: Double?
    /// The relaxation's input at that optimum: a candidate counterexample, to be validated by the caller
    /// (the relaxation may reach objective values no real input does).
    public var input: [Double]?
}

/// LP bounds of specification objectives (rows `c·y + d` over the network output `y`, as in a
/// ``SpecCase`` disjunct) on an input box, with intermediate bounds and ReLU splits: the triangle
/// relaxation of ``BoundRefinement`` with the objective on the output. For a branch-and-bound leaf,
/// an infeasible LP proves the leaf empty, and a positive bound proves the rows cannot all be `<= 0`.
public struct ObjectiveLP: Sendable {
    /// The network with its linear maps in sparse form.
    public let linearized: LinearizedNetwork

    /// Prepares `network`.
    /// - Throws: ``LPBoundsError/unsupportedOperator(node:kind:)``.
    public init(network: Network) throws { linearized = try LinearizedNetwork(network: network) }

    /// Prepares an already linearized network.
    public init(linearized: LinearizedNetwork) { self.linearized = linearized }

    /// A lower bound of each row `c·y + d` separately over the relaxation.
    /// - Parameters:
    ///   - bounds: sound bounds (row `row` of each batch) of values on `box`, e.g. from CROWN; values
    ///     without bounds get interval bounds. The tighter, the tighter the relaxation.
    ///   - splits: ReLU splits restricting the region.
    ///   - deadline: every LP stops at it, keeping any bound proven.
    ///   - inputConstraints: linear constraints over the inputs (``SpecCase/inputConstraints``) that
    ///     restrict the region further, as rows of the LP.
    /// - Throws: ``LPBoundsError`` for inputs that do not fit the network, or a solver failure.
    public func minimumOfEachRow(_ rows: [LinearConstraint], box: InputBox, bounds: [ValueID: IntervalMatrix] = [:],
                                 row: Int = 0, splits: [NeuronSplit] = [], deadline: Date? = nil,
                                 inputConstraints: [LinearConstraint] = []) throws -> [ObjectiveBound] {
        guard let lp = try program(rows, box: box, bounds: bounds, row: row, splits: splits, inputConstraints: inputConstraints) else {
            return rows.map { _ in ObjectiveBound(status: .infeasible, lowerBound: .infinity, lpValue: nil, input: nil) }
        }
        let output = linearized.network.output
        return try rows.enumerated().map { k, constraint in
            let e = lp.expression(of: output, coefficients: constraint.coefficients, constant: constraint.constant)
            var p = lp.program
            p.setObjective(e.terms, constant: e.constant, sense: .minimise)
            return objectiveBound(try p.solveForBound(timeLimit: secondsLeft(deadline),
                                                      context: "LP bound of objective row \(k)"), lp)
        }
    }

    /// A lower bound of `max_k (c_k·y + d_k)` over the relaxation: minimise `t` subject to
    /// `t >= c_k·y + d_k` for every row. The rows of one disjunct hold together (all `<= 0`) only where
    /// this maximum is `<= 0`, so a positive bound proves the disjunct unsatisfiable on the region.
    /// No rows: the maximum over nothing is -infinity (the disjunct holds everywhere).
    /// - Parameters: as ``minimumOfEachRow(_:box:bounds:row:splits:deadline:inputConstraints:)``.
    public func minimumOfMaximum(_ rows: [LinearConstraint], box: InputBox, bounds: [ValueID: IntervalMatrix] = [:],
                                 row: Int = 0, splits: [NeuronSplit] = [], deadline: Date? = nil,
                                 inputConstraints: [LinearConstraint] = []) throws -> ObjectiveBound {
        guard var lp = try program(rows, box: box, bounds: bounds, row: row, splits: splits, inputConstraints: inputConstraints) else {
            return ObjectiveBound(status: .infeasible, lowerBound: .infinity, lpValue: nil, input: nil)
        }
        if rows.isEmpty { return ObjectiveBound(status: .optimal, lowerBound: -.infinity, lpValue: -.infinity, input: nil) }
        let t = lp.addMaximumVariable(rows)
        lp.program.setObjective([(t, 1)], constant: 0, sense: .minimise)
        return objectiveBound(try lp.program.solveForBound(timeLimit: secondsLeft(deadline),
                                                           context: "LP bound of the maximum of \(rows.count) objective rows"), lp)
    }

    /// The relaxation for objectives on the output, or nil when the splits contradict the bounds.
    private func program(_ rows: [LinearConstraint], box: InputBox, bounds: [ValueID: IntervalMatrix], row: Int,
                         splits: [NeuronSplit], inputConstraints: [LinearConstraint]) throws -> NetworkLP? {
        let network = linearized.network
        for (k, constraint) in rows.enumerated() where constraint.coefficients.count != network.outputSize {
            throw LPBoundsError.invalidObjective(row: k, expected: network.outputSize, got: constraint.coefficients.count)
        }
        let lp = try NetworkLP(linearized, box: box, known: selectRow(bounds, row: row, network: network),
                               splits: SplitTable(splits, network: network), encoding: .relaxation, targets: [network.output],
                               inputConstraints: inputConstraints)
        return lp.isEmpty ? nil : lp
    }

    private func objectiveBound(_ solved: SolvedBound, _ lp: NetworkLP) -> ObjectiveBound {
        let status: ObjectiveBound.Status
        switch solved.status {
        case .optimal: status = .optimal
        case .infeasible: status = .infeasible
        case .timeLimit, .cutOff: status = .timeLimit  // (no cutoff is set here) stopped early: the bound is proven
        case .unbounded: status = .unbounded
        case .unproven: status = .unproven
        }
        return ObjectiveBound(status: status, lowerBound: solved.bound, lpValue: solved.value,
                              input: solved.point.map(lp.inputPoint))
    }
}

extension NetworkLP {
    /// Adds a variable `t` with `t >= c_k·y + d_k` for every row (over the network output) and returns it.
    /// `t` is boxed by the rows' interval ranges over the variables' bounds (widened generously): any
    /// box containing `[max_k min(row k), max_k max(row k)]` leaves the minimum of `t` unchanged, and a
    /// bounded `t` lets the proven (weak-duality) bound stay finite.
    mutating func addMaximumVariable(_ rows: [LinearConstraint]) -> Int {
        let output = linearized.network.output
        let expressions = rows.map { expression(of: output, coefficients: $0.coefficients, constant: $0.constant) }
        var lowest = -Double.infinity, highest = -Double.infinity
        for e in expressions {
            var low = e.constant, high = e.constant, magnitude = abs(e.constant)
            for (variable, a) in e.terms {
                let v = program.variables[variable]
                low += a >= 0 ? a * v.lower : a * v.upper
                high += a >= 0 ? a * v.upper : a * v.lower
                magnitude += abs(a) * max(abs(v.lower), abs(v.upper))
            }
            let slack = 1e-6 * (1 + magnitude)
            lowest = max(lowest, low - slack)
            highest = max(highest, high + slack)
        }
        let finite = lowest.isFinite && highest.isFinite
        let t = newVariable(lower: finite ? lowest : -.infinity, upper: finite ? highest : .infinity)
        for e in expressions {
            addRow(e.terms + [(t, -1)], lower: -.infinity, upper: -e.constant)  // c·y + d - t <= 0
        }
        return t
    }
}
