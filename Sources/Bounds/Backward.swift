import LinearAlgebra
import NNGraph

/// The result of one backward pass, per objective row.
struct BackwardPass {
    /// A value `<=` the objective row on the row's box (and its domain's split constraints).
    var lower: [Double]
    /// `rows x inputSize` coefficients `a` and constants `c` with objective `>= a·x + c` there.
    var coefficients: Matrix
    var constant: [Double]
    /// Activation node → the coefficients on its output when the pass reached it (`rows x n`).
    var activationCoefficients: [Int: Matrix] = [:]
    /// Activation node → the line used at every (row, neuron), recorded on request.
    var lines: [Int: ChosenLines] = [:]
    /// Bilinear node → the planes used at every (row, element), recorded on request.
    var planes: [Int: BilinearLines] = [:]
    /// Nodes the pass went through.
    var visited: [Bool] = []
}

extension CROWN {
    /// The backward pass, written once for every bound in this module: row `r` of `coefficients` is
    /// an objective on value `target` for domain `rowDomain[r]`. Linear operators pull the
    /// coefficients back exactly; each activation hands over its lines (``LineChoice``): a
    /// non-negative coefficient takes the lower line, a negative one the upper line, so the result
    /// stays a lower bound. With ``LineChoice/parameterised(_:)`` the split multipliers β of `splits`
    /// enter at the split values (``applySplitMultipliers(_:split:beta:magnitudes:rowDomain:ledger:)``).
    /// Every floating-point step is recorded in a ``RoundingLedger``, whose total is subtracted, so the
    /// bound holds in exact arithmetic. `record` keeps the lines used, for ``parameterGradient(of:target:input:rowDomain:splits:parameters:)``.
    /// `chain`: the rounding error already made per row before `coefficients` (e.g. by a pull-back the caller did).
    func backward(from target: ValueID, coefficients: Matrix, constant initial: [Double], rowDomain: [Int],
                  input: IntervalMatrix, bounds: [ValueID: IntervalMatrix], lines choice: LineChoice,
                  splits: SplitPattern = [:], record: Bool = false, chain: [Double]? = nil,
                  cache: inout RelaxationCache) -> BackwardPass {
        let rows = coefficients.rows
        var pending = [Matrix?](repeating: nil, count: target + 1)
        pending[target] = coefficients
        var constant = initial
        var pass = BackwardPass(lower: [], coefficients: coefficients, constant: [])
        pass.visited = [Bool](repeating: false, count: target)
        cache.cover(through: target - 1, network: network, input: input, bounds: bounds)
        var ledger = RoundingLedger(rows: rows, rowDomain: rowDomain)
        if let chain { ledger.chain = chain }
        // Rows whose bound cannot be finite (a plane or line of an unbounded neuron was needed).
        var unbounded = [Bool](repeating: false, count: rows)
        func merge(_ part: Matrix, into v: ValueID) {
            if pending[v] == nil { pending[v] = part } else {
                pending[v]!.add(part)
                ledger.merged(pending[v]!, magnitudes: cache.magnitudes[v])
            }
        }
        var parameters: BoundParameters?
        var fixedVariant = 0
        switch choice {
        case .fixed(let variant): fixedVariant = variant
        case .parameterised(let p): parameters = p
        }
        for i in stride(from: target - 1, through: 0, by: -1) {
            guard var a = pending[i + 1] else { continue }
            pending[i + 1] = nil
            pass.visited[i] = true
            if let p = parameters, let s = splits[i + 1], let beta = p.beta[i + 1] {
                applySplitMultipliers(&a, split: s, beta: beta, magnitudes: cache.magnitudes[i + 1], rowDomain: rowDomain,
                                      ledger: &ledger)
            }
            let node = network.nodes[i]
            if let linear = node.op as? any LinearOperator {
                var pulled: (inputs: [Matrix], constant: [Double])?
                if singlePrecisionProducts, let single = linear as? any SinglePrecisionPullBack,
                   let terms = cache.singleImage(ofNode: i, network: network), let p = single.pullBackInSingle(a) {
                    ledger.pullBackInSingle(a, weights: terms.weights, constant: terms.constant)
                    pulled = p
                } else {
                    ledger.pullBack(a, image: cache.image(ofNode: i, network: network))
                }
                let (parts, k) = pulled ?? linear.pullBack(a)
                for r in 0..<rows { constant[r] += k[r] }
                ledger.constantUpdated(constant)
                for (v, part) in zip(node.inputs, parts) { merge(part, into: v) }
            } else if let act = node.op as? any ElementwiseActivation {
                let v = node.inputs[0]
                guard let pre = bounds[v] else { preconditionFailure("CROWN: no bounds for value \(v) before \(node.name)") }
                // Only parameterised passes report these (branching scores, parameter gradients); keeping them
                // in a fixed pass would force a copy of `a` below.
                if parameters != nil { pass.activationCoefficients[i] = a }
                var chosen: ChosenLines?
                if let p = parameters, p.lower[i] != nil || p.upper[i] != nil, let family = cache.family(node: i, act, pre: pre) {
                    chosen = family.lines(coefficients: a, lowerParameters: p.lower[i], upperParameters: p.upper[i],
                                          rowDomain: rowDomain, derivatives: record)
                }
                let part: Matrix
                if let chosen {
                    part = applyLines(a, chosen, magnitudes: cache.magnitudes[v], rowDomain: rowDomain,
                                      constant: &constant, ledger: &ledger)
                    if record { pass.lines[i] = chosen }
                } else {
                    let (rx, defects, finite) = cache.fixedLines(node: i, act, variant: fixedVariant, pre: pre)
                    if record { pass.lines[i] = Self.linesUsed(a, relaxation: rx, rowDomain: rowDomain) }
                    relaxBackward(&a, relaxation: rx, defects: defects, magnitudes: cache.magnitudes[v],
                                  rowDomain: rowDomain, constant: &constant, ledger: &ledger,
                                  branchFree: finite && cache.finiteMagnitudes[v])
                    part = a
                }
                merge(part, into: v)
            } else if node.op is any BilinearOperator {
                let (vx, vy) = (node.inputs[0], node.inputs[1])
                guard let bx = bounds[vx], let by = bounds[vy] else {
                    preconditionFailure("CROWN: no bounds for the inputs of \(node.name)")
                }
                pass.activationCoefficients[i] = a
                let step = bilinearStep(a, boundsX: bx, boundsY: by, magnitudesX: cache.magnitudes[vx],
                                        magnitudesY: cache.magnitudes[vy], rowDomain: rowDomain,
                                        lambdaLower: parameters?.lower[i], lambdaUpper: parameters?.upper[i],
                                        constant: &constant, unbounded: &unbounded, ledger: &ledger, record: record)
                if let lines = step.lines { pass.planes[i] = lines }
                merge(step.x, into: vx)
                merge(step.y, into: vy)
            } else {
                preconditionFailure("CROWN: operator \(node.op.kind) has no linear relaxation")
            }
        }
        var a0 = pending[0] ?? Matrix(rows: rows, cols: network.inputSize)
        var lower = concretize(a0, constant: constant, input: input, rowDomain: rowDomain)
        let final = ledger.concretisation(a0, constant: constant, inputMagnitudes: cache.magnitudes[0])
        ledger.settle(lower: &lower, constant: &constant, concretisation: final)
        // A row that met an unbounded neuron, or whose arithmetic met an infinity (NaN), has no finite
        // bound: −∞ with a zero certificate, never NaN.
        let n0 = a0.cols
        for r in 0..<rows where unbounded[r] || !lower[r].isFinite || !constant[r].isFinite {
            // (No slice of `a0.data` may stay alive here: writing below would copy the whole matrix per row.)
            var unusable = unbounded[r] || lower[r].isNaN || constant[r].isNaN
            for j in 0..<n0 where !unusable && !a0.data[r * n0 + j].isFinite { unusable = true }
            if unusable {
                lower[r] = -.infinity
                constant[r] = -.infinity
                for j in 0..<n0 { a0.data[r * n0 + j] = 0 }
            }
        }
        if let couplings {
            applyCouplings(couplings, lower: &lower, coefficients: &a0, constant: &constant, input: input,
                           magnitudes: cache.magnitudes[0], rowDomain: rowDomain)
        }
        pass.lower = lower
        pass.coefficients = a0
        pass.constant = constant
        return pass
    }

    /// The split constraints of a domain enter the bound through multipliers β ≥ 0 (beta-CROWN, Wang
    /// et al. 2021): `objective >= (A − β·split)·z` because `split·z >= 0` on the domain. The
    /// subtraction rounds each changed entry by `u` of its result.
    func applySplitMultipliers(_ a: inout Matrix, split s: Matrix, beta: Matrix, magnitudes h: Matrix, rowDomain: [Int],
                               ledger: inout RoundingLedger) {
        let n = a.cols
        for r in 0..<a.rows {
            let d = rowDomain[r]
            var changed = 0.0
            for j in 0..<n where s.data[d * n + j] != 0 {
                a.data[r * n + j] -= s.data[d * n + j] * beta.data[r * n + j]
                changed += abs(a.data[r * n + j]) * h.data[d * n + j]
            }
            ledger.chain[r] += 2 * RoundingError.unit * changed
        }
    }

    /// One backward step through an activation with lines chosen per row (a line family's): the new
    /// coefficients `A·s`, the intercepts `A·c` added to the constant, and the step's rounding
    /// (including each line's defect) recorded in `ledger`.
    private func applyLines(_ a: Matrix, _ lines: ChosenLines, magnitudes h: Matrix, rowDomain: [Int],
                            constant: inout [Double], ledger: inout RoundingLedger) -> Matrix {
        let n = a.cols
        var out = a
        for row in 0..<a.rows {
            let base = rowDomain[row] * n, rb = row * n
            var acc = 0.0, scaled = 0.0, intercepts = 0.0, defect = 0.0
            for j in 0..<n {
                let coef = a.data[rb + j]
                if coef == 0 { out.data[rb + j] = 0; continue }
                let o = coef * lines.slope.data[rb + j]
                let term = coef * lines.intercept.data[rb + j]
                out.data[rb + j] = o
                acc += term
                intercepts += abs(term)
                defect += abs(coef) * lines.defect.data[rb + j]
                scaled += abs(o) * h.data[base + j]
            }
            constant[row] += acc
            ledger.activation(row: row, scaled: scaled, intercepts: intercepts, defects: defect, n: n, constant: constant[row])
        }
        return out
    }

    /// One backward step through an activation with fixed lines per domain neuron, in place on `a`.
    /// Records the step's rounding in `ledger`.
    ///
    /// Branch-free: with `p = max(a, 0)` and `q = min(a, 0)` (NaN kept in both) the new coefficient is
    /// `p·lowerSlope + q·upperSlope` — one of the two products is an exact zero, so each value is rounded
    /// exactly as the one product it equals. The row sums are accumulated in four interleaved partial sums;
    /// the intercept sum's error bound `γ(n+1)·Σ|terms|` holds in any summation order (Higham, Lemma 3.5),
    /// and the error terms are bounds computed from magnitudes. Lines and magnitudes of an unbounded neuron
    /// may be infinite (`0·∞` is NaN), so a step with such a value (or `branchFree: false`) takes the
    /// branching loop, which skips zero coefficients.
    func relaxBackward(_ a: inout Matrix, relaxation rx: RelaxationArrays, defects: (lower: [Double], upper: [Double]),
                       magnitudes h: Matrix, rowDomain: [Int], constant: inout [Double], ledger: inout RoundingLedger,
                       branchFree: Bool? = nil) {
        let fast = branchFree ?? Self.allFinite(rx.lowerSlope, rx.lowerIntercept, rx.upperSlope, rx.upperIntercept,
                                                defects.lower, defects.upper, h.data)
        let n = a.cols, rows = a.rows
        rx.lowerSlope.withUnsafeBufferPointer { ls in
        rx.lowerIntercept.withUnsafeBufferPointer { li in
        rx.upperSlope.withUnsafeBufferPointer { us in
        rx.upperIntercept.withUnsafeBufferPointer { ui in
        defects.lower.withUnsafeBufferPointer { ld in
        defects.upper.withUnsafeBufferPointer { ud in
        h.data.withUnsafeBufferPointer { hv in
        a.data.withUnsafeMutableBufferPointer { o in
            for row in 0..<rows {
                let base = rowDomain[row] * n, rb = row * n
                var acc = SIMD4<Double>(), scaled = SIMD4<Double>(), intercepts = SIMD4<Double>(), defect = SIMD4<Double>()
                var j = 0
                while fast && j + 4 <= n {
                    let coef: SIMD4<Double> = Self.load4(UnsafeBufferPointer(o), rb + j)
                    // (A NaN coefficient stays in both, so it reaches the row's bound as before.)
                    let p: SIMD4<Double> = coef.replacing(with: 0, where: coef .< 0)
                    let q: SIMD4<Double> = coef.replacing(with: 0, where: coef .> 0)
                    let k = base + j
                    let lower: SIMD4<Double> = p * Self.load4(ls, k)
                    let out: SIMD4<Double> = lower + q * Self.load4(us, k)
                    let lowerTerm: SIMD4<Double> = p * Self.load4(li, k)
                    let term: SIMD4<Double> = lowerTerm + q * Self.load4(ui, k)
                    let lowerDefect: SIMD4<Double> = p * Self.load4(ld, k)
                    defect += lowerDefect - q * Self.load4(ud, k)
                    acc += term
                    intercepts += Self.abs4(term)
                    let magnitude: SIMD4<Double> = Self.abs4(out)
                    scaled += magnitude * Self.load4(hv, k)
                    o[rb + j] = out[0]; o[rb + j + 1] = out[1]; o[rb + j + 2] = out[2]; o[rb + j + 3] = out[3]
                    j += 4
                }
                var accTail = 0.0, scaledTail = 0.0, interceptsTail = 0.0, defectTail = 0.0
                while j < n {
                    let coef = o[rb + j], k = base + j
                    // Branching: a zero coefficient contributes nothing, even where a line is infinite.
                    if !fast && coef == 0 { j += 1; continue }
                    let p = coef < 0 ? 0 : coef, q = coef > 0 ? 0 : coef
                    let out = fast ? p * ls[k] + q * us[k] : (coef >= 0 ? coef * ls[k] : coef * us[k])
                    let term = fast ? p * li[k] + q * ui[k] : (coef >= 0 ? coef * li[k] : coef * ui[k])
                    defectTail += fast ? p * ld[k] - q * ud[k] : (coef >= 0 ? coef * ld[k] : -coef * ud[k])
                    accTail += term
                    interceptsTail += abs(term)
                    scaledTail += abs(out) * hv[k]
                    o[rb + j] = out
                    j += 1
                }
                constant[row] += acc.sum() + accTail
                ledger.activation(row: row, scaled: scaled.sum() + scaledTail, intercepts: intercepts.sum() + interceptsTail,
                                  defects: defect.sum() + defectTail, n: n, constant: constant[row])
            }
        }}}}}}}}
    }

    /// Four consecutive values from `k`.
    @inline(__always)
    static func load4(_ v: UnsafeBufferPointer<Double>, _ k: Int) -> SIMD4<Double> {
        SIMD4(v[k], v[k + 1], v[k + 2], v[k + 3])
    }

    /// `|v|` per lane (a NaN stays NaN).
    @inline(__always)
    static func abs4(_ v: SIMD4<Double>) -> SIMD4<Double> { v.replacing(with: -v, where: v .< 0) }

    /// Whether every entry of the arrays is finite.
    static func allFinite(_ arrays: [Double]...) -> Bool {
        arrays.allSatisfy { array in
            array.withUnsafeBufferPointer { v in
                var bad = false
                for x in v { bad = bad || !x.isFinite }
                return !bad
            }
        }
    }

    /// The fixed lines a step with coefficients `a` used, per row (no derivatives: no parameters).
    static func linesUsed(_ a: Matrix, relaxation rx: RelaxationArrays, rowDomain: [Int]) -> ChosenLines {
        ChosenLines.choosing(for: a, rowDomain: rowDomain, derivatives: false) { isLower, k, _ in
            isLower ? (rx.lowerSlope[k], rx.lowerIntercept[k], 0, 0, 0) : (rx.upperSlope[k], rx.upperIntercept[k], 0, 0, 0)
        }
    }
}
