import LinearAlgebra
import NNGraph

/// Linear lower bounds of `C·y + d` over a batch of input boxes, in the form the branch-and-bound
/// needs: the bound itself and the linear function of the input that certifies it.
public struct LinearLowerBound: Sendable {
    /// `batch x m`: for every domain `b` and objective row `i`, a value `<= (C y(x) + d)_i` for all x in box `b`.
    public var lower: Matrix
    /// `batch·m x inputSize`: row `b·m + i` holds `a` with `(C y(x) + d)_i >= a·x + c` on box `b`.
    public var inputCoefficients: Matrix
    /// `batch·m`: the constants `c` of those linear functions.
    public var inputConstant: [Double]
    /// Objective rows per domain.
    public let rowsPerDomain: Int
}

/// CROWN linear bound propagation (Zhang et al., "Efficient Neural Network Robustness Certification
/// with General Activation Functions", NeurIPS 2018), batched over many input boxes.
///
/// Every value feeding an activation gets bounds by a backward pass from that value (intersected
/// with IBP and with any bounds known for an enclosing domain); the objective is then bounded by
/// one more backward pass. Matrix work is `cblas_dgemm` on `batch·rows x n` coefficient blocks.
///
/// Soundness: each backward step replaces an activation by linear lines that enclose it on the
/// neuron's interval (``ElementwiseActivation/relaxation(lower:upper:)``) and an affine operator by
/// its exact pull-back, so the final linear function of the input is a valid lower bound, and its
/// minimum over the box is taken exactly.
public struct CROWN: Sendable {
    public let network: Network
    /// Values that feed an activation and so need bounds, ascending.
    public let boundedValues: [ValueID]
    /// For a bounded value whose every consumer is exact on either side of a point `t`, that
    /// point: only neurons whose interval straddles it are refined.
    let refinementSplit: [ValueID: Double]
    /// Relaxation variants tried per bound (the better bound of each wins); 1 uses the default only.
    public let variants: Int

    /// - Parameter tryRelaxationVariants: run every relaxation variant the activations offer (ReLU:
    ///   adaptive and chord-slope lower lines) and keep, per bound, the best. Costs one backward pass
    ///   per variant; on ACAS Xu it saves far more in branch-and-bound domains.
    public init(network: Network, tryRelaxationVariants: Bool = true) {
        self.network = network
        var needed = Set<ValueID>()
        var split = [ValueID: Double?]()
        for node in network.nodes {
            guard let act = node.op as? any ElementwiseActivation else { continue }
            let v = node.inputs[0]
            needed.insert(v)
            if let existing = split[v] {
                split[v] = (existing != nil && existing == act.stableSplit) ? existing : nil
            } else {
                split[v] = act.stableSplit
            }
        }
        self.boundedValues = needed.sorted()
        self.refinementSplit = split.compactMapValues { $0 }
        let offered = network.nodes.compactMap { ($0.op as? any ElementwiseActivation)?.relaxationVariants }.max() ?? 1
        self.variants = tryRelaxationVariants ? max(1, offered) : 1
    }

    /// Bounds of every value that feeds an activation, for a batch of input boxes.
    /// - Parameter known: sound bounds already known for some values on these same boxes (e.g. from
    ///   an enclosing domain); results are intersected with them.
    /// - Parameter reuseThrough: values up to this one that have `known` bounds keep them (intersected
    ///   with IBP) without a backward pass, e.g. those before the layer a branch-and-bound split changed.
    public func intermediateBounds(input: IntervalMatrix, known: [ValueID: IntervalMatrix] = [:],
                                   reuseThrough: ValueID = -1) -> [ValueID: IntervalMatrix] {
        intermediateBounds(input: input, known: known, reuseThroughPerRow: [ValueID](repeating: reuseThrough, count: input.rows))
    }

    /// As ``intermediateBounds(input:known:reuseThrough:)`` with a separate reuse limit for each row
    /// (domain) of `input`: row `r` keeps its `known` bounds of values up to `reuseThroughPerRow[r]`.
    public func intermediateBounds(input: IntervalMatrix, known: [ValueID: IntervalMatrix],
                                   reuseThroughPerRow: [ValueID]) -> [ValueID: IntervalMatrix] {
        precondition(reuseThroughPerRow.count == input.rows, "one reuse limit per input row")
        let ibp = intervalBounds(network, input: input)
        var bounds = [ValueID: IntervalMatrix]()
        var cache = RelaxationCache()
        for v in boundedValues {
            var b = ibp[v]
            if let k = known[v] { b = b.intersected(with: k) }
            if v != 0 && !isExactFromInput(v) {
                let n = network.size(of: v)
                var picks = [(domain: Int, neuron: Int)]()
                for r in 0..<input.rows where !(v <= reuseThroughPerRow[r] && known[v] != nil) {
                    for j in 0..<n {
                        if let t = refinementSplit[v], !(b.lower.data[r * n + j] < t && b.upper.data[r * n + j] > t) { continue }
                        picks.append((r, j))
                    }
                }
                if !picks.isEmpty {
                    var a = Matrix(rows: 2 * picks.count, cols: n)
                    var rowDomain = [Int](repeating: 0, count: 2 * picks.count)
                    for (i, p) in picks.enumerated() {
                        a[2 * i, p.neuron] = 1
                        a[2 * i + 1, p.neuron] = -1
                        rowDomain[2 * i] = p.domain
                        rowDomain[2 * i + 1] = p.domain
                    }
                    for variant in 0..<variants {
                        let result = backward(from: v, coefficients: a, constant: [Double](repeating: 0, count: a.rows),
                                              rowDomain: rowDomain, input: input, bounds: bounds, variant: variant, cache: &cache)
                        for (i, p) in picks.enumerated() {
                            let k = p.domain * n + p.neuron
                            b.lower.data[k] = max(b.lower.data[k], result.lower[2 * i])
                            b.upper.data[k] = min(b.upper.data[k], -result.lower[2 * i + 1])
                        }
                    }
                }
            }
            bounds[v] = b
        }
        return bounds
    }

    /// True when value `v` is an affine function of the input with no activation in between; IBP
    /// of one affine map is then exact per neuron, and a backward pass adds nothing.
    func isExactFromInput(_ v: ValueID) -> Bool {
        guard v > 0 else { return true }
        let node = network.nodes[v - 1]
        guard node.op is any LinearOperator, node.inputs.count == 1 else { return false }
        return node.inputs[0] == 0
    }

    /// Lower bounds of `C·y_target + d` over each input box, given bounds for every value that feeds
    /// an activation between the input and `target` (from ``intermediateBounds(input:known:)``).
    public func lowerBound(of target: ValueID, objective c: Matrix, constant d: [Double],
                           input: IntervalMatrix, bounds: [ValueID: IntervalMatrix]) -> LinearLowerBound {
        precondition(c.cols == network.size(of: target) && d.count == c.rows, "CROWN: objective shape")
        let batch = input.rows, m = c.rows
        var constant = [Double](repeating: 0, count: batch * m)
        for b in 0..<batch { for i in 0..<m { constant[b * m + i] = d[i] } }
        var cache = RelaxationCache()
        let tiled = Matrix.vstack(Array(repeating: c, count: batch))
        let rowDomain = (0..<(batch * m)).map { $0 / max(m, 1) }
        var best = backward(from: target, coefficients: tiled, constant: constant, rowDomain: rowDomain,
                            input: input, bounds: bounds, variant: 0, cache: &cache)
        for variant in 1..<max(variants, 1) {
            let other = backward(from: target, coefficients: tiled, constant: constant, rowDomain: rowDomain,
                                 input: input, bounds: bounds, variant: variant, cache: &cache)
            let n = best.coefficients.cols
            for r in 0..<best.lower.count where other.lower[r] > best.lower[r] {
                best.lower[r] = other.lower[r]
                best.constant[r] = other.constant[r]
                for j in 0..<n { best.coefficients.data[r * n + j] = other.coefficients.data[r * n + j] }
            }
        }
        return LinearLowerBound(lower: Matrix(rows: batch, cols: m, data: best.lower),
                                inputCoefficients: best.coefficients, inputConstant: best.constant, rowsPerDomain: m)
    }

    /// Relaxation lines per (activation node, variant), computed once per bound computation, with
    /// what the rounding ledger needs: outward value intervals, linear operators' rounding images
    /// and the lines' defects. Valid while the input boxes and the bounds of values already
    /// covered stay the same (bounds are only ever added for later values).
    struct RelaxationCache {
        var byNode = [Int: RelaxationArrays]()
        var defects = [Int: (lower: [Double], upper: [Double])]()
        /// Sigmoid/tanh node → admissible tangent points (parameterised passes).
        var tangents = [Int: TangentRanges]()
        /// Outward intervals of values `0 ..< intervals.count` (index = value id).
        var intervals = [IntervalMatrix]()
        var magnitudes = [Matrix]()
        var linearImage = [Int: Matrix]()

        /// Extends the value intervals through value `last` (each intersected with `bounds`).
        mutating func cover(through last: ValueID, network: Network, input: IntervalMatrix,
                            bounds: [ValueID: IntervalMatrix]) {
            if intervals.isEmpty {
                intervals.append(input)
                magnitudes.append(RoundingError.magnitude(input))
            }
            while intervals.count <= last {
                let node = network.nodes[intervals.count - 1]
                let (image, error) = RoundingError.outwardIntervalAndImage(node.op, node.inputs.map { intervals[$0] })
                if let error { linearImage[intervals.count - 1] = error }
                var out = image
                if let known = bounds[intervals.count], known.rows == out.rows { out = out.intersected(with: known) }
                intervals.append(out)
                magnitudes.append(RoundingError.magnitude(out))
            }
        }

        /// The rounding image of linear node `i` (its inputs must be covered).
        mutating func image(ofNode i: Int, network: Network) -> Matrix {
            if let w = linearImage[i] { return w }
            let node = network.nodes[i]
            let w = RoundingError.linearImageError(node.op, inputMagnitudes: node.inputs.map { magnitudes[$0] })
            linearImage[i] = w
            return w
        }
    }

    /// The backward pass: row `r` of `coefficients` is an objective on value `target` for domain
    /// `rowDomain[r]`. Returns, per row, the lower bound over the domain's box and the linear function
    /// of the input (coefficients, constant) that certifies it.
    func backward(from target: ValueID, coefficients: Matrix, constant initial: [Double], rowDomain: [Int],
                  input: IntervalMatrix, bounds: [ValueID: IntervalMatrix], variant: Int,
                  cache: inout RelaxationCache)
        -> (lower: [Double], coefficients: Matrix, constant: [Double]) {
        var pending = [Matrix?](repeating: nil, count: target + 1)
        pending[target] = coefficients
        var constant = initial
        cache.cover(through: target - 1, network: network, input: input, bounds: bounds)
        var ledger = RoundingLedger(rows: coefficients.rows, rowDomain: rowDomain)
        func merge(_ part: Matrix, into v: ValueID) {
            if pending[v] == nil { pending[v] = part } else {
                pending[v]!.add(part)
                ledger.merged(pending[v]!, magnitudes: cache.magnitudes[v])
            }
        }
        for i in stride(from: target - 1, through: 0, by: -1) {
            guard let a = pending[i + 1] else { continue }
            pending[i + 1] = nil
            let node = network.nodes[i]
            if let linear = node.op as? any LinearOperator {
                ledger.pullBack(a, image: cache.image(ofNode: i, network: network))
                let (parts, k) = linear.pullBack(a)
                for r in 0..<constant.count { constant[r] += k[r] }
                ledger.constantUpdated(constant)
                for (v, part) in zip(node.inputs, parts) { merge(part, into: v) }
            } else if let act = node.op as? any ElementwiseActivation {
                let v = node.inputs[0]
                let own = min(variant, act.relaxationVariants - 1)
                let key = i * 8 + own
                if cache.byNode[key] == nil {
                    guard let pre = bounds[v] else { preconditionFailure("CROWN: no bounds for value \(v) before \(node.name)") }
                    let rx = act.relaxations(lower: pre.lower.data, upper: pre.upper.data, variant: own)
                    cache.byNode[key] = rx
                    cache.defects[key] = RoundingError.lineDefects(isReLU: act is ReLU, lower: pre.lower.data,
                                                                   upper: pre.upper.data, relaxation: rx)
                }
                let part = relaxBackward(a, relaxation: cache.byNode[key]!, defects: cache.defects[key]!,
                                         magnitudes: cache.magnitudes[v], rowDomain: rowDomain,
                                         constant: &constant, ledger: &ledger)
                merge(part, into: v)
            } else {
                preconditionFailure("CROWN: operator \(node.op.kind) has no linear relaxation")
            }
        }
        let a0 = pending[0] ?? Matrix(rows: coefficients.rows, cols: network.inputSize)
        var lower = concretize(a0, constant: constant, input: input, rowDomain: rowDomain)
        let final = ledger.concretisation(a0, constant: constant, inputMagnitudes: cache.magnitudes[0])
        ledger.settle(lower: &lower, constant: &constant, concretisation: final)
        return (lower, a0, constant)
    }

    /// One backward step through an activation for a lower bound: a non-negative coefficient takes
    /// the lower line, a negative one the upper line. Records the step's rounding in `ledger`.
    private func relaxBackward(_ a: Matrix, relaxation rx: RelaxationArrays, defects: (lower: [Double], upper: [Double]),
                               magnitudes h: Matrix, rowDomain: [Int], constant: inout [Double],
                               ledger: inout RoundingLedger) -> Matrix {
        let n = a.cols
        var out = a
        rx.lowerSlope.withUnsafeBufferPointer { ls in
        rx.lowerIntercept.withUnsafeBufferPointer { li in
        rx.upperSlope.withUnsafeBufferPointer { us in
        rx.upperIntercept.withUnsafeBufferPointer { ui in
        defects.lower.withUnsafeBufferPointer { ld in
        defects.upper.withUnsafeBufferPointer { ud in
        h.data.withUnsafeBufferPointer { hv in
        out.data.withUnsafeMutableBufferPointer { o in
            for row in 0..<a.rows {
                let base = rowDomain[row] * n, rb = row * n
                var acc = 0.0, scaled = 0.0, intercepts = 0.0, defect = 0.0
                for j in 0..<n {
                    let coef = o[rb + j]
                    let term: Double
                    if coef >= 0 {
                        o[rb + j] = coef * ls[base + j]; term = coef * li[base + j]; defect += coef * ld[base + j]
                    } else {
                        o[rb + j] = coef * us[base + j]; term = coef * ui[base + j]; defect -= coef * ud[base + j]
                    }
                    acc += term
                    intercepts += abs(term)
                    scaled += abs(o[rb + j]) * hv[base + j]
                }
                constant[row] += acc
                ledger.activation(row: row, scaled: scaled, intercepts: intercepts, defects: defect, n: n,
                                  constant: constant[row])
            }
        }}}}}}}}
        return out
    }

    /// `min over the row's box of a·x + c` for every row: each coefficient takes the box end that lowers it.
    func concretize(_ a: Matrix, constant: [Double], input: IntervalMatrix, rowDomain: [Int]) -> [Double] {
        let n = a.cols
        var lower = constant
        for row in 0..<a.rows {
            let b = rowDomain[row]
            var s = constant[row]
            for j in 0..<n {
                let coef = a.data[row * n + j]
                s += coef >= 0 ? coef * input.lower.data[b * n + j] : coef * input.upper.data[b * n + j]
            }
            lower[row] = s
        }
        return lower
    }
}
