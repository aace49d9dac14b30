import LinearAlgebra
import NNGraph

/// ReLU split decisions for a batch of domains: for a value feeding ReLUs, a `domains x n` matrix
/// holding +1 where `z >= 0` is imposed (active), −1 where `z <= 0` is imposed (inactive), 0 where free.
/// The bounds passed with a split pattern must already respect it (lower 0 where active, upper 0
/// where inactive); the multipliers β below then add the constraints to the bound itself.
public typealias SplitPattern = [ValueID: Matrix]

/// The optimisable parameters of one batched backward pass, one row per objective row.
public struct BoundParameters: Sendable {
    /// ReLU node index → `rows x n` lower-line slopes in [0, 1], used at unstable neurons
    /// (alpha-CROWN, Xu et al. 2021).
    public var alpha: [Int: Matrix] = [:]
    /// Split value → `rows x n` Lagrange multipliers ≥ 0 of the split constraints, used at split
    /// neurons (beta-CROWN, Wang et al. 2021).
    public var beta: [ValueID: Matrix] = [:]
    /// Sigmoid/tanh node index → `rows x n` parameters in [0, 1] choosing the tangent point of the
    /// lower (upper) line of every neuron (``SShapedActivation/tangentLine(lower:parameter:neuron:ranges:)``).
    public var lowerTangent: [Int: Matrix] = [:]
    public var upperTangent: [Int: Matrix] = [:]
    /// For a caller that bounds a subset of its objective rows: which rows these parameters belong to.
    public var rows: [Int] = []

    public init() {}

    /// Every parameter block sliced to rows `range` (e.g. one domain's rows of a batch).
    public func rows(_ range: Range<Int>) -> BoundParameters {
        var p = BoundParameters()
        p.alpha = alpha.mapValues { $0.rows(range) }
        p.beta = beta.mapValues { $0.rows(range) }
        p.lowerTangent = lowerTangent.mapValues { $0.rows(range) }
        p.upperTangent = upperTangent.mapValues { $0.rows(range) }
        return p
    }

    /// Number of parameter values.
    public var count: Int {
        [alpha, lowerTangent, upperTangent].reduce(0) { $0 + $1.values.reduce(0) { $0 + $1.data.count } }
            + beta.values.reduce(0) { $0 + $1.data.count }
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
    /// ReLU node index → `rows x n` coefficients on the ReLU's output in this pass (the quantity
    /// branching heuristics score).
    public var activationCoefficients: [Int: Matrix]
}

extension CROWN {
    /// Starting parameters: the adaptive lower slope (1 where `u > −l`, else 0), β = 0, and for
    /// sigmoid/tanh the tangent points of ``SShapedActivation/defaultTangentParameter(lower:l:u:)``.
    public func initialParameters(rowDomain: [Int], bounds: [ValueID: IntervalMatrix], splits: SplitPattern) -> BoundParameters {
        var p = BoundParameters()
        for (i, node) in network.nodes.enumerated() {
            guard let act = node.op as? any ElementwiseActivation, let pre = bounds[node.inputs[0]] else { continue }
            let n = pre.cols
            if act is ReLU {
                var a = Matrix(rows: rowDomain.count, cols: n)
                for (r, d) in rowDomain.enumerated() {
                    for j in 0..<n where pre.upper.data[d * n + j] > -pre.lower.data[d * n + j] { a.data[r * n + j] = 1 }
                }
                p.alpha[i] = a
            } else if let s = act as? any SShapedActivation {
                var lower = Matrix(rows: rowDomain.count, cols: n), upper = lower
                let kind = type(of: s)
                for (r, d) in rowDomain.enumerated() {
                    for j in 0..<n {
                        let l = pre.lower.data[d * n + j], u = pre.upper.data[d * n + j]
                        lower.data[r * n + j] = kind.defaultTangentParameter(lower: true, l: l, u: u)
                        upper.data[r * n + j] = kind.defaultTangentParameter(lower: false, l: l, u: u)
                    }
                }
                p.lowerTangent[i] = lower
                p.upperTangent[i] = upper
            }
        }
        for (v, s) in splits { p.beta[v] = Matrix(rows: rowDomain.count, cols: s.cols) }
        return p
    }

    /// One backward pass like ``lowerBound(of:objective:constant:input:bounds:)`` with per-row ReLU
    /// lower slopes, split multipliers and sigmoid/tanh tangent points; with `gradient`, also the
    /// (sub)gradient of every row's bound with respect to its own parameters (returned in the shape
    /// of ``BoundParameters``).
    ///
    /// The gradient comes from one forward sweep: the bound is `Σ a₀·x* + c` with `x*` the box
    /// corner each input coefficient picks; the derivative with respect to the coefficient block at
    /// any value is that value of the *linearised* network (every activation replaced by the line the
    /// row used) evaluated at `x*`. So `∂bound/∂α = A_out·ẑ_in` where the lower line was used,
    /// `∂bound/∂β = −split·ẑ` at split neurons, and for a tangent line `s(p)·z + c(p)` the chain rule
    /// gives `∂bound/∂p = A_out·(ẑ_in·ds/dp + dc/dp)` for the line the row used.
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
        let rows = coefficients.rows
        var pending = [Matrix?](repeating: nil, count: target + 1)
        pending[target] = coefficients
        var constant = initial
        var visited = [Bool](repeating: false, count: target)
        var outputCoefficients = [Int: Matrix]()
        var usedSlope = [Int: Matrix](), usedIntercept = [Int: Matrix]()
        var tangentSteps = [Int: TangentStep]()
        cache.cover(through: target - 1, network: network, input: input, bounds: bounds)
        var ledger = RoundingLedger(rows: rows, rowDomain: rowDomain)
        func merge(_ part: Matrix, into v: ValueID) {
            if pending[v] == nil { pending[v] = part } else {
                pending[v]!.add(part)
                ledger.merged(pending[v]!, magnitudes: cache.magnitudes[v])
            }
        }
        for i in stride(from: target - 1, through: 0, by: -1) {
            guard var a = pending[i + 1] else { continue }
            pending[i + 1] = nil
            visited[i] = true
            if let s = splits[i + 1], let beta = parameters.beta[i + 1] {
                // objective >= (A − β·split)·z because β >= 0 and split·z >= 0 on the domain; the
                // subtraction rounds each changed entry by u of its result.
                let n = a.cols
                let h = cache.magnitudes[i + 1].data
                for r in 0..<rows {
                    let d = rowDomain[r]
                    var changed = 0.0
                    for j in 0..<n where s.data[d * n + j] != 0 {
                        a.data[r * n + j] -= s.data[d * n + j] * beta.data[r * n + j]
                        changed += abs(a.data[r * n + j]) * h[d * n + j]
                    }
                    ledger.chain[r] += 2 * RoundingError.unit * changed
                }
            }
            let node = network.nodes[i]
            if let linear = node.op as? any LinearOperator {
                ledger.pullBack(a, image: cache.image(ofNode: i, network: network))
                let (parts, k) = linear.pullBack(a)
                for r in 0..<rows { constant[r] += k[r] }
                ledger.constantUpdated(constant)
                for (v, part) in zip(node.inputs, parts) { merge(part, into: v) }
            } else if let act = node.op as? any ElementwiseActivation {
                let v = node.inputs[0]
                guard let pre = bounds[v] else { preconditionFailure("CROWN: no bounds for value \(v) before \(node.name)") }
                if let sShaped = act as? any SShapedActivation, let lowerP = parameters.lowerTangent[i],
                   let upperP = parameters.upperTangent[i] {
                    if cache.tangents[i] == nil { cache.tangents[i] = sShaped.tangentRanges(lower: pre.lower.data, upper: pre.upper.data) }
                    let step = tangentBackward(a, activation: sShaped, ranges: cache.tangents[i]!, lowerParameters: lowerP,
                                               upperParameters: upperP, magnitudes: cache.magnitudes[v], rowDomain: rowDomain,
                                               constant: &constant, ledger: &ledger, record: gradient)
                    if gradient { tangentSteps[i] = step }
                    merge(step.coefficients, into: v)
                    continue
                }
                if cache.byNode[i] == nil, !(act is ReLU) {
                    cache.byNode[i] = act.relaxations(lower: pre.lower.data, upper: pre.upper.data)
                }
                let n = a.cols
                var out = a
                var slopes = gradient ? Matrix(rows: rows, cols: n) : Matrix(rows: 0, cols: 0)
                var intercepts = slopes
                let alpha = parameters.alpha[i]?.data ?? []
                let isReLU = act is ReLU
                let rx = cache.byNode[i] ?? RelaxationArrays(count: 0)
                if cache.defects[i] == nil {
                    // ReLU lines are built below: only the unstable upper chord can carry a defect.
                    cache.defects[i] = isReLU
                        ? RoundingError.reluChordDefects(lower: pre.lower.data, upper: pre.upper.data)
                        : RoundingError.lineDefects(isReLU: false, lower: pre.lower.data, upper: pre.upper.data, relaxation: rx)
                }
                let defects = cache.defects[i]!
                let h = cache.magnitudes[v].data
                pre.lower.data.withUnsafeBufferPointer { lo in
                pre.upper.data.withUnsafeBufferPointer { up in
                a.data.withUnsafeBufferPointer { coefs in
                out.data.withUnsafeMutableBufferPointer { o in
                    for r in 0..<rows {
                        let base = rowDomain[r] * n, rb = r * n
                        var acc = 0.0, scaled = 0.0, interceptSum = 0.0, defect = 0.0
                        for j in 0..<n {
                            let coef = coefs[rb + j]
                            var s = 0.0, c = 0.0
                            if isReLU {
                                let l = lo[base + j], u = up[base + j]
                                if l >= 0 { s = 1 } else if u <= 0 { s = 0 } else if coef >= 0 {
                                    s = alpha.isEmpty ? (u > -l ? 1 : 0) : min(max(alpha[rb + j], 0), 1)
                                } else {
                                    s = u / (u - l); c = -s * l
                                    defect -= coef * defects.upper[base + j]
                                }
                            } else if coef >= 0 {
                                s = rx.lowerSlope[base + j]; c = rx.lowerIntercept[base + j]
                                defect += coef * defects.lower[base + j]
                            } else {
                                s = rx.upperSlope[base + j]; c = rx.upperIntercept[base + j]
                                defect -= coef * defects.upper[base + j]
                            }
                            o[rb + j] = coef * s
                            acc += coef * c
                            interceptSum += abs(coef * c)
                            scaled += abs(o[rb + j]) * h[base + j]
                            if gradient { slopes.data[rb + j] = s; intercepts.data[rb + j] = c }
                        }
                        constant[r] += acc
                        ledger.activation(row: r, scaled: scaled, intercepts: interceptSum, defects: defect, n: n,
                                          constant: constant[r])
                    }
                }}}}
                if isReLU { outputCoefficients[i] = a }
                if gradient { usedSlope[i] = slopes; usedIntercept[i] = intercepts }
                merge(out, into: v)
            } else {
                preconditionFailure("CROWN: operator \(node.op.kind) has no linear relaxation")
            }
        }
        let a0 = pending[0] ?? Matrix(rows: rows, cols: network.inputSize)
        var lower = concretize(a0, constant: constant, input: input, rowDomain: rowDomain)
        let final = ledger.concretisation(a0, constant: constant, inputMagnitudes: cache.magnitudes[0])
        ledger.settle(lower: &lower, constant: &constant, concretisation: final)
        let bound = ParameterisedBound(lower: lower, inputCoefficients: a0, inputConstant: constant,
                                       activationCoefficients: outputCoefficients)
        guard gradient else { return (bound, BoundParameters()) }

        // Forward sweep of the linearised network at the minimising corner.
        let n0 = network.inputSize
        var z = [Matrix?](repeating: nil, count: target + 1)
        var x = Matrix(rows: rows, cols: n0)
        for r in 0..<rows {
            let d = rowDomain[r]
            for j in 0..<n0 {
                x.data[r * n0 + j] = a0.data[r * n0 + j] >= 0 ? input.lower.data[d * n0 + j] : input.upper.data[d * n0 + j]
            }
        }
        z[0] = x
        var grad = BoundParameters()
        for i in 0..<target where visited[i] {
            let node = network.nodes[i]
            if node.op is any LinearOperator {
                z[i + 1] = node.op.forward(node.inputs.map { z[$0] ?? Matrix(rows: rows, cols: network.size(of: $0)) })
            } else if let step = tangentSteps[i], let zin = z[node.inputs[0]] {
                var zout = step.intercepts
                for k in 0..<zout.data.count { zout.data[k] += step.slopes.data[k] * zin.data[k] }
                z[i + 1] = zout
                (grad.lowerTangent[i], grad.upperTangent[i]) = step.parameterGradient(input: zin)
            } else if let slopes = usedSlope[i], let intercepts = usedIntercept[i], let zin = z[node.inputs[0]] {
                var zout = intercepts
                for k in 0..<zout.data.count { zout.data[k] += slopes.data[k] * zin.data[k] }
                z[i + 1] = zout
                if node.op is ReLU, let a = outputCoefficients[i], let pre = bounds[node.inputs[0]] {
                    let n = a.cols
                    var g = Matrix(rows: rows, cols: n)
                    for r in 0..<rows {
                        let base = rowDomain[r] * n
                        for j in 0..<n where a.data[r * n + j] >= 0 && pre.lower.data[base + j] < 0 && pre.upper.data[base + j] > 0 {
                            g.data[r * n + j] = a.data[r * n + j] * zin.data[r * n + j]
                        }
                    }
                    grad.alpha[i] = g
                }
            }
            if let s = splits[i + 1], let zv = z[i + 1] {
                let n = s.cols
                var g = Matrix(rows: rows, cols: n)
                for r in 0..<rows {
                    let d = rowDomain[r]
                    for j in 0..<n where s.data[d * n + j] != 0 { g.data[r * n + j] = -s.data[d * n + j] * zv.data[r * n + j] }
                }
                grad.beta[i + 1] = g
            }
        }
        return (bound, grad)
    }
}
