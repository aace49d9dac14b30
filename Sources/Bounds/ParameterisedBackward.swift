import LinearAlgebra
import NNGraph

/// ReLU split decisions for a batch of domains: for a value feeding ReLUs, a `domains x n` matrix
/// holding +1 where `z >= 0` is imposed (active), −1 where `z <= 0` is imposed (inactive), 0 where free.
/// The bounds passed with a split pattern must already respect it (lower 0 where active, upper 0
/// where inactive); the multipliers β below then add the constraints to the bound itself.
public typealias SplitPattern = [ValueID: Matrix]

/// The optimisable parameters of one batched backward pass, one row per objective row, keyed like
/// the relaxation cache: activation node index for line parameters, split value for multipliers.
public struct BoundParameters: Sendable {
    /// Activation node index → `rows x n` parameters in [0, 1] of the lower (upper) lines of its line
    /// family (``LineFamily``: ReLU lower slopes α of alpha-CROWN, Xu et al. 2021; sigmoid/tanh
    /// tangent points). A side the family does not parameterise has no entry.
    public var lower: [Int: Matrix] = [:]
    public var upper: [Int: Matrix] = [:]
    /// Split value → `rows x n` Lagrange multipliers ≥ 0 of the split constraints, used at split
    /// neurons (beta-CROWN, Wang et al. 2021).
    public var beta: [ValueID: Matrix] = [:]
    /// For a caller that bounds a subset of its objective rows: which rows these parameters belong to.
    public var rows: [Int] = []

    public init() {}

    /// Every parameter block sliced to rows `range` (e.g. one domain's rows of a batch).
    public func rows(_ range: Range<Int>) -> BoundParameters {
        var p = BoundParameters()
        p.lower = lower.mapValues { $0.rows(range) }
        p.upper = upper.mapValues { $0.rows(range) }
        p.beta = beta.mapValues { $0.rows(range) }
        return p
    }

    /// Number of parameter values.
    public var count: Int {
        [lower, upper, beta].reduce(0) { $0 + $1.values.reduce(0) { $0 + $1.data.count } }
    }
}

/// A lower bound per objective row with the linear function of the input that certifies it.
public struct ParameterisedBound: Sendable {
    /// Per row: a value `<=` the objective row at every point of the row's box that satisfies its
    /// domain's split constraints.
    public var lower: [Double]
    /// `rows x inputSize` coefficients `a` and constants `c` with objective `>= a·x + c` there.
    public var inputCoefficients: Matrix
    public var inputConstant: [Double]
    /// Activation node index → `rows x n` coefficients on the activation's output in this pass (the
    /// quantity branching heuristics score).
    public var activationCoefficients: [Int: Matrix]
}

extension CROWN {
    /// Starting parameters: every activation's line family at its initial parameters (the fixed
    /// relaxation, or for sigmoid/tanh the tangent points of
    /// ``SShapedActivation/defaultTangentParameter(lower:l:u:)``), and β = 0.
    public func initialParameters(rowDomain: [Int], bounds: [ValueID: IntervalMatrix], splits: SplitPattern) -> BoundParameters {
        var cache = RelaxationCache()
        return initialParameters(rowDomain: rowDomain, bounds: bounds, splits: splits, cache: &cache)
    }

    func initialParameters(rowDomain: [Int], bounds: [ValueID: IntervalMatrix], splits: SplitPattern,
                           cache: inout RelaxationCache) -> BoundParameters {
        var p = BoundParameters()
        for (i, node) in network.nodes.enumerated() where node.op is any BilinearOperator {
            // The McCormick planes' combinations, starting at the fixed relaxation's.
            let n = node.op.outputSize
            let start = Matrix(rows: rowDomain.count, cols: n, data: [Double](repeating: Self.defaultPlaneCombination,
                                                                               count: rowDomain.count * n))
            p.lower[i] = start
            p.upper[i] = start
        }
        for (i, node) in network.nodes.enumerated() {
            guard let act = node.op as? any ElementwiseActivation, let pre = bounds[node.inputs[0]],
                  let family = cache.family(node: i, act, pre: pre) else { continue }
            let sides = family.parameterisedSides
            if sides.lower { p.lower[i] = family.initialParameters(lower: true, rowDomain: rowDomain, neurons: pre.cols) }
            if sides.upper { p.upper[i] = family.initialParameters(lower: false, rowDomain: rowDomain, neurons: pre.cols) }
        }
        for (v, s) in splits { p.beta[v] = Matrix(rows: rowDomain.count, cols: s.cols) }
        return p
    }

    /// One backward pass like ``lowerBound(of:objective:constant:input:bounds:)`` with per-row line
    /// parameters and split multipliers; with `gradient`, also the (sub)gradient of every row's bound
    /// with respect to its own parameters (``parameterGradient(of:target:input:rowDomain:splits:parameters:)``).
    func parameterisedBackward(from target: ValueID, coefficients: Matrix, constant initial: [Double], rowDomain: [Int],
                               input: IntervalMatrix, bounds: [ValueID: IntervalMatrix], splits: SplitPattern,
                               parameters: BoundParameters, gradient: Bool)
        -> (bound: ParameterisedBound, gradient: BoundParameters) {
        var cache = RelaxationCache()
        return parameterisedBackward(from: target, coefficients: coefficients, constant: initial, rowDomain: rowDomain,
                                     input: input, bounds: bounds, splits: splits, parameters: parameters,
                                     gradient: gradient, cache: &cache)
    }

    /// ``parameterisedBackward(from:coefficients:constant:rowDomain:input:bounds:splits:parameters:gradient:)``
    /// with a relaxation cache kept across calls on the same input boxes and bounds (an optimisation loop).
    func parameterisedBackward(from target: ValueID, coefficients: Matrix, constant initial: [Double], rowDomain: [Int],
                               input: IntervalMatrix, bounds: [ValueID: IntervalMatrix], splits: SplitPattern,
                               parameters: BoundParameters, gradient: Bool, cache: inout RelaxationCache)
        -> (bound: ParameterisedBound, gradient: BoundParameters) {
        let pass = backward(from: target, coefficients: coefficients, constant: initial, rowDomain: rowDomain, input: input,
                            bounds: bounds, lines: .parameterised(parameters), splits: splits, record: gradient, cache: &cache)
        let bound = ParameterisedBound(lower: pass.lower, inputCoefficients: pass.coefficients, inputConstant: pass.constant,
                                       activationCoefficients: pass.activationCoefficients)
        guard gradient else { return (bound, BoundParameters()) }
        return (bound, parameterGradient(of: pass, target: target, input: input, rowDomain: rowDomain, splits: splits,
                                         parameters: parameters))
    }
}
