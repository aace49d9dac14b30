import Foundation
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
    /// For each bounded value, the nonlinear nodes reading it (activations and bilinear nodes): a neuron
    /// needs refinement only where some reader's relaxation is not exact on its interval
    /// (``ElementwiseActivation/exactRelaxationMask(lower:upper:)``; a bilinear node's never is).
    let readers: [ValueID: [Int]]
    /// Relaxation variants tried per bound (the better bound of each wins); 1 uses the default only.
    public let variants: Int
    /// Linear constraints over the input that every point of interest satisfies besides its box; when
    /// set, every concretisation adds their Lagrangian terms (``coupled(with:)``).
    public internal(set) var couplings: InputCouplings?
    /// Backward passes compute the pull-back products of ``SinglePrecisionPullBack`` operators (dense
    /// affine maps) in single precision, with their rounding in the ledger (``SingleProductError``).
    public let singlePrecisionProducts: Bool

    /// - Parameter tryRelaxationVariants: run every relaxation variant the activations offer (ReLU:
    ///   adaptive and chord-slope lower lines) and keep, per bound, the best. Costs one backward pass
    ///   per variant; on ACAS Xu it saves far more in branch-and-bound domains.
    /// - Parameter singlePrecisionProducts: see ``singlePrecisionProducts``.
    public init(network: Network, tryRelaxationVariants: Bool = true, singlePrecisionProducts: Bool = false) {
        self.network = network
        self.singlePrecisionProducts = singlePrecisionProducts
        var readers = [ValueID: [Int]]()
        for (i, node) in network.nodes.enumerated() {
            if node.op is any ElementwiseActivation {
                readers[node.inputs[0], default: []].append(i)
            } else if node.op is any BilinearOperator {
                for v in Set(node.inputs) { readers[v, default: []].append(i) }
            }
        }
        self.readers = readers
        self.boundedValues = readers.keys.sorted()
        let offered = network.nodes.compactMap { ($0.op as? any ElementwiseActivation)?.relaxationVariants }.max() ?? 1
        self.variants = tryRelaxationVariants ? max(1, offered) : 1
    }

    /// Per entry of `bounds` (domain-major), whether some activation reading `v` is not relaxed
    /// exactly there, so that a tighter bound of that neuron can tighten later bounds.
    func needsRefinement(_ v: ValueID, _ bounds: IntervalMatrix) -> [Bool] {
        var needed = [Bool](repeating: false, count: bounds.lower.data.count)
        for i in readers[v] ?? [] {
            guard let act = network.nodes[i].op as? any ElementwiseActivation else {
                return [Bool](repeating: true, count: needed.count)
            }
            let exact = act.exactRelaxationMask(lower: bounds.lower.data, upper: bounds.upper.data)
            for k in needed.indices where !exact[k] { needed[k] = true }
        }
        return needed
    }

    /// Bounds of every value that feeds an activation, for a batch of input boxes.
    /// - Parameter known: sound bounds already known for some values on these same boxes (e.g. from
    ///   an enclosing domain); results are intersected with them.
    /// - Parameter reuseThrough: values up to this one that have `known` bounds keep them (intersected
    ///   with IBP) without a backward pass, e.g. those before the layer a branch-and-bound split changed.
    /// - Parameter deadline: from then on, neurons keep their interval bounds (sound, looser); see
    ///   ``BackwardBudget`` for the memory and work limits that do the same on very large networks.
    public func intermediateBounds(input: IntervalMatrix, known: [ValueID: IntervalMatrix] = [:],
                                   reuseThrough: ValueID = -1, deadline: Date? = nil) -> [ValueID: IntervalMatrix] {
        intermediateBounds(input: input, known: known, reuseThroughPerRow: [ValueID](repeating: reuseThrough, count: input.rows),
                           deadline: deadline)
    }

    /// As ``intermediateBounds(input:known:reuseThrough:)`` with a separate reuse limit for each row
    /// (domain) of `input`: row `r` keeps its `known` bounds of values up to `reuseThroughPerRow[r]`.
    public func intermediateBounds(input: IntervalMatrix, known: [ValueID: IntervalMatrix],
                                   reuseThroughPerRow: [ValueID], deadline: Date? = nil) -> [ValueID: IntervalMatrix] {
        precondition(reuseThroughPerRow.count == input.rows, "one reuse limit per input row")
        let ibp = intervalBounds(network, input: input)
        var bounds = [ValueID: IntervalMatrix]()
        var cache = RelaxationCache()
        var budget = BackwardBudget(network: network, variants: variants, deadline: deadline)
        for v in boundedValues {
            var b = ibp[v]
            if let k = known[v] { b = b.intersected(with: k) }
            if v != 0 && !isExactFromInput(v) {
                let n = network.size(of: v)
                let refine = needsRefinement(v, b)
                var picks = [(domain: Int, neuron: Int)]()
                for r in 0..<input.rows where !(v <= reuseThroughPerRow[r] && known[v] != nil) {
                    for j in 0..<n where refine[r * n + j] { picks.append((r, j)) }
                }
                if !picks.isEmpty, budget.admits(rows: 2 * picks.count, through: v) {
                    // Chunks are the budget's size, but also no longer than a quarter second as measured: the
                    // budget's multiply-add estimate undercounts convolutions (a transposed-convolution network's
                    // single chunk took seconds past the deadline), so a first chunk of at most 256 picks is timed
                    // and the rest sized from it; the deadline is checked between chunks.
                    let estimated = budget.chunks(picks.count, through: v).first?.count ?? picks.count
                    var per = min(estimated, 256), start = 0
                    while start < picks.count && !budget.isPastDeadline {
                        let chunk = start..<min(start + per, picks.count)
                        start = chunk.upperBound
                        let began = Date()
                        defer {
                            let perPick = Date().timeIntervalSince(began) / Double(chunk.count)
                            per = max(1, min(estimated, Int(min(Double(estimated), 0.25 / max(perPick, 1e-9)))))
                        }
                        let part = Array(picks[chunk])
                        var rowDomain = [Int](repeating: 0, count: 2 * part.count)
                        for (i, p) in part.enumerated() {
                            rowDomain[2 * i] = p.domain
                            rowDomain[2 * i + 1] = p.domain
                        }
                        let start = startOfNeuronBounds(v, part, rowDomain: rowDomain, input: input, bounds: bounds, cache: &cache)
                        for variant in 0..<variants {
                            let result = backward(from: start.from, coefficients: start.coefficients, constant: start.constant,
                                                  rowDomain: rowDomain, input: input, bounds: bounds,
                                                  lines: .fixed(variant: variant), chain: start.chain, cache: &cache)
                            for (i, p) in part.enumerated() {
                                let k = p.domain * n + p.neuron
                                b.lower.data[k] = max(b.lower.data[k], result.lower[2 * i])
                                b.upper.data[k] = min(b.upper.data[k], -result.lower[2 * i + 1])
                            }
                        }
                    }
                }
            }
            bounds[v] = b
        }
        return bounds
    }

    /// The start of the backward passes bounding neurons `part` of value `v` from both sides (rows `2i`: `+z`,
    /// `2i+1`: `−z`). When a dense affine node `z = W·u + b` makes `v`, its pull-back of those unit rows is
    /// `±W[j]` and `±b[j]` — exactly what the pass's product would compute (a sum with one non-zero term is
    /// exact) — so the pass starts at `u` with them instead of multiplying a selection matrix, and with the
    /// rounding that step's ledger would record (`image[d, j]` and `2u·|b[j]|`).
    func startOfNeuronBounds(_ v: ValueID, _ part: [(domain: Int, neuron: Int)], rowDomain: [Int], input: IntervalMatrix,
                             bounds: [ValueID: IntervalMatrix], cache: inout RelaxationCache)
        -> (from: ValueID, coefficients: Matrix, constant: [Double], chain: [Double]?) {
        let rows = 2 * part.count, n = network.size(of: v)
        let node = network.nodes[v - 1]
        guard let affine = node.op as? Affine, node.inputs.count == 1, node.inputs[0] < v else {
            var a = Matrix(rows: rows, cols: n)
            for (i, p) in part.enumerated() {
                a[2 * i, p.neuron] = 1
                a[2 * i + 1, p.neuron] = -1
            }
            return (v, a, [Double](repeating: 0, count: rows), nil)
        }
        let u = node.inputs[0], m = affine.inputSize
        cache.cover(through: v - 1, network: network, input: input, bounds: bounds)
        let image = cache.image(ofNode: v - 1, network: network)
        var a = Matrix(rows: rows, cols: m)
        var constant = [Double](repeating: 0, count: rows), chain = constant
        affine.weight.data.withUnsafeBufferPointer { w in
        a.data.withUnsafeMutableBufferPointer { out in
            for (i, p) in part.enumerated() {
                let source = p.neuron * m, plus = 2 * i * m, minus = plus + m
                for k in 0..<m {
                    out[plus + k] = w[source + k]
                    out[minus + k] = -w[source + k]
                }
            }
        }}
        for (i, p) in part.enumerated() {
            let b = affine.bias[p.neuron]
            constant[2 * i] = b
            constant[2 * i + 1] = -b
            let e = image.data[p.domain * n + p.neuron] + 2 * RoundingError.unit * abs(b)
            chain[2 * i] = e
            chain[2 * i + 1] = e
        }
        return (u, a, constant, chain)
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
    /// - Parameter deadline: the rows (domain-major, `batch·m` of them) are bounded in chunks sized to take
    ///   about ``objectiveChunkSeconds`` each, and no chunk starts past the deadline; a row left unbounded
    ///   keeps the bound `−∞` with zero coefficients and constant `−∞`, which holds trivially and proves
    ///   nothing, so a half-finished pass can never be taken for a proof. Without a deadline every row is
    ///   bounded in one pass.
    public func lowerBound(of target: ValueID, objective c: Matrix, constant d: [Double],
                           input: IntervalMatrix, bounds: [ValueID: IntervalMatrix], deadline: Date? = nil) -> LinearLowerBound {
        precondition(c.cols == network.size(of: target) && d.count == c.rows, "CROWN: objective shape")
        let batch = input.rows, m = c.rows, rows = batch * m
        var cache = RelaxationCache()
        var lower = [Double](repeating: -.infinity, count: rows)
        var coefficients = Matrix(rows: rows, cols: network.inputSize)
        var constant = lower
        // A first chunk of at most 32 rows is timed and the rest sized from it; large networks (a 300-bus
        // power-flow model: 600 rows through 3,804 outputs) take seconds for all rows at once.
        var per = deadline == nil ? max(rows, 1) : min(rows, 32), start = 0
        while start < rows, deadline.map({ Date() < $0 }) ?? true {
            let chunk = start..<min(start + per, rows)
            start = chunk.upperBound
            let began = Date()
            let part = objectivePass(of: target, rows: chunk, objective: c, constant: d, input: input, bounds: bounds, cache: &cache)
            let n = coefficients.cols
            precondition(part.coefficients.cols == n, "CROWN: a pass ends at the input")
            for (i, r) in chunk.enumerated() {
                lower[r] = part.lower[i]
                constant[r] = part.constant[i]
                for j in 0..<n { coefficients.data[r * n + j] = part.coefficients.data[i * n + j] }
            }
            let perRow = Date().timeIntervalSince(began) / Double(chunk.count)
            per = max(1, Int(min(Double(rows), Self.objectiveChunkSeconds / max(perRow, 1e-9))))
        }
        return LinearLowerBound(lower: Matrix(rows: batch, cols: m, data: lower),
                                inputCoefficients: coefficients, inputConstant: constant, rowsPerDomain: m)
    }

    /// Seconds one chunk of the objective's rows should take, so a deadline is checked that often.
    public static let objectiveChunkSeconds = 0.1

    /// The objective's backward passes for `rows` (domain-major indices into `batch·m`), every relaxation
    /// variant tried and the best bound kept per row.
    func objectivePass(of target: ValueID, rows: Range<Int>, objective c: Matrix, constant d: [Double],
                       input: IntervalMatrix, bounds: [ValueID: IntervalMatrix], cache: inout RelaxationCache) -> BackwardPass {
        let m = max(c.rows, 1), cols = c.cols
        var tiled = Matrix(rows: rows.count, cols: cols)
        var constant = [Double](repeating: 0, count: rows.count), rowDomain = [Int](repeating: 0, count: rows.count)
        for (i, r) in rows.enumerated() {
            let source = (r % m) * cols
            for j in 0..<cols { tiled.data[i * cols + j] = c.data[source + j] }
            constant[i] = d[r % m]
            rowDomain[i] = r / m
        }
        var best = backward(from: target, coefficients: tiled, constant: constant, rowDomain: rowDomain,
                            input: input, bounds: bounds, lines: .fixed(variant: 0), cache: &cache)
        for variant in 1..<max(variants, 1) {
            let other = backward(from: target, coefficients: tiled, constant: constant, rowDomain: rowDomain,
                                 input: input, bounds: bounds, lines: .fixed(variant: variant), cache: &cache)
            let n = best.coefficients.cols
            for r in 0..<best.lower.count where other.lower[r] > best.lower[r] {
                best.lower[r] = other.lower[r]
                best.constant[r] = other.constant[r]
                for j in 0..<n { best.coefficients.data[r * n + j] = other.coefficients.data[r * n + j] }
            }
        }
        return best
    }

    /// `min over the row's box of a·x + c` for every row: each coefficient takes the box end that lowers it.
    func concretize(_ a: Matrix, constant: [Double], input: IntervalMatrix, rowDomain: [Int]) -> [Double] {
        let n = a.cols
        var lower = constant
        a.data.withUnsafeBufferPointer { coefs in
        input.lower.data.withUnsafeBufferPointer { lo in
        input.upper.data.withUnsafeBufferPointer { hi in
            for row in 0..<a.rows {
                let b = rowDomain[row] * n, rb = row * n
                var s = constant[row]
                for j in 0..<n {
                    let coef = coefs[rb + j]
                    s += coef >= 0 ? coef * lo[b + j] : coef * hi[b + j]
                }
                lower[row] = s
            }
        }}}
        return lower
    }
}
