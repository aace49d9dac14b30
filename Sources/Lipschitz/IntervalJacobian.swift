import Bounds
import LinearAlgebra
import NNGraph

/// Interval rows in centre–radius form: every row of the true matrix lies in `[mid − rad, mid + rad]`.
struct IntervalRows {
    var mid: Matrix
    var rad: Matrix
    /// Optional sign knowledge (``IntervalJacobian/signAware``): entries proven `≥ 0` (`≤ 0`) in exact
    /// arithmetic, which the rounding allowance in `rad` would otherwise hide (a sum of terms that are
    /// all non-negative is non-negative, however it is rounded).
    var nonNegative: [Bool]?
    var nonPositive: [Bool]?

    /// The interval ends, `mid ∓ rad` rounded outward by one ulp, clamped at 0 where the sign is known.
    var lower: Matrix {
        Matrix(rows: mid.rows, cols: mid.cols, data: (0..<mid.data.count).map { k in
            let l = (mid.data[k] - rad.data[k]).nextDown
            return nonNegative?[k] == true ? max(0, l) : l
        })
    }
    var upper: Matrix {
        Matrix(rows: mid.rows, cols: mid.cols, data: (0..<mid.data.count).map { k in
            let u = (mid.data[k] + rad.data[k]).nextUp
            return nonPositive?[k] == true ? min(0, u) : u
        })
    }

    /// Whether each entry's lower end is `≥ 0` (upper end `≤ 0`), from the flags or the numbers.
    var lowerIsNonNegative: [Bool] { (0..<mid.data.count).map { nonNegative?[$0] == true || mid.data[$0] - rad.data[$0] >= 0 } }
    var upperIsNonPositive: [Bool] { (0..<mid.data.count).map { nonPositive?[$0] == true || mid.data[$0] + rad.data[$0] <= 0 } }

    /// Adds another enclosure of a summand; the sum is rounded, so the radius grows by `2u` of the
    /// magnitudes.
    mutating func accumulate(_ other: IntervalRows) {
        let u = Double.ulpOfOne
        if let a = nonNegative, let b = other.nonNegative { nonNegative = zip(a, b).map { $0 && $1 } } else { nonNegative = nil }
        if let a = nonPositive, let b = other.nonPositive { nonPositive = zip(a, b).map { $0 && $1 } } else { nonPositive = nil }
        for k in 0..<mid.data.count {
            mid.data[k] += other.mid.data[k]
            rad.data[k] = (rad.data[k] + other.rad.data[k]) * (1 + u) + u * abs(mid.data[k]) + Double.leastNormalMagnitude
        }
    }
}

/// The interval backward pass through the Jacobian graph: for rows `c` on the output, encloses
/// `c·∂y/∂x = c·J_L·D_{L−1}·…·D_1·J_1` (summed over the graph's paths) when every activation's
/// derivative diagonal `D` ranges over given intervals, one set of intervals per row.
///
/// Soundness in floating point: a linear step computes `M = mid·J`, `R = rad·|J|` and `A = |mid|·|J|`
/// with BLAS; by the dot-product error bound (`γ(m)` relative to `Σ|a||b|`, Higham Lemma 3.5) the exact
/// `[mid ± rad]·J` lies in `M ± (R + 2γ'(R + A))` with `γ' = γ(m + 2)·1.01`. An activation step takes the
/// extremes of the four end products (each off by at most `u` relative) and widens by `4u` of them.
/// Subnormal results add one `leastNormalMagnitude` per summand. Stable neurons (a point derivative)
/// multiply exactly up to that rounding, so they cost no width: only unstable neurons widen the rows.
struct IntervalJacobian {
    let graph: JacobianNetwork
    /// Also track which entries are provably `≥ 0` or `≤ 0` (for sign proofs such as monotonicity,
    /// where an exact 0 must not turn into a tiny negative number through the rounding allowance);
    /// costs two more products per linear step.
    var signAware = false

    struct Result {
        /// Per row: enclosure of the gradient with respect to the input.
        var gradient: IntervalRows
        /// Per activation node: per row and neuron, how much width that neuron's derivative interval adds
        /// (`(|mid| + rad)·(high − low)` at its output); 0 where the derivative is a point.
        var scores: [Int: Matrix]
        /// Per value `v`: the enclosure of `G_v = c·∂y/∂v` (nil where `v` does not reach the output), the
        /// intermediate bounds of ``LinearJacobian``.
        var values: [IntervalRows?]
    }

    /// - Parameters:
    ///   - objective: `R × outputSize` rows `c`.
    ///   - derivatives: per activation node, `R × size` matrices of derivative lower and upper ends.
    func backward(objective: Matrix, derivatives: [Int: (low: Matrix, high: Matrix)]) -> Result {
        let network = graph.network
        let rows = objective.rows
        var grads = [IntervalRows?](repeating: nil, count: network.nodes.count + 1)
        grads[network.output] = IntervalRows(mid: objective, rad: Matrix(rows: rows, cols: objective.cols))
        var scores = [Int: Matrix]()
        for i in stride(from: network.nodes.count - 1, through: 0, by: -1) where graph.reachesOutput[i] {
            guard let g = grads[i + 1] else { continue }
            let node = network.nodes[i]
            if let blocks = graph.jacobians[i], let absBlocks = graph.absoluteJacobians[i] {
                for (k, v) in node.inputs.enumerated() {
                    var part = Self.linearStep(g, blocks[k], absBlocks[k])
                    if signAware { Self.propagateSigns(g, blocks[k], into: &part) }
                    if grads[v] == nil { grads[v] = part } else { grads[v]!.accumulate(part) }
                }
            } else {
                let d = derivatives[i]!
                var (part, score) = Self.activationStep(g, low: d.low, high: d.high)
                if signAware {
                    let lowNN = g.lowerIsNonNegative, upNP = g.upperIsNonPositive
                    let n = g.mid.data.count
                    part.nonNegative = (0..<n).map { k in
                        let dl = d.low.data[k], dh = d.high.data[k]
                        return (lowNN[k] && dl >= 0) || (upNP[k] && dh <= 0) || (dl == 0 && dh == 0)
                    }
                    part.nonPositive = (0..<n).map { k in
                        let dl = d.low.data[k], dh = d.high.data[k]
                        return (upNP[k] && dl >= 0) || (lowNN[k] && dh <= 0) || (dl == 0 && dh == 0)
                    }
                }
                scores[i] = score
                let v = node.inputs[0]
                if grads[v] == nil { grads[v] = part } else { grads[v]!.accumulate(part) }
            }
        }
        let input = grads[0] ?? IntervalRows(mid: Matrix(rows: rows, cols: network.inputSize),
                                             rad: Matrix(rows: rows, cols: network.inputSize))
        return Result(gradient: input, scores: scores, values: grads)
    }

    static func linearStep(_ g: IntervalRows, _ j: Matrix, _ absJ: Matrix) -> IntervalRows {
        let rows = g.mid.rows
        let m = g.mid.multiplied(by: j)
        let stacked = Matrix.vstack([g.rad, g.mid.map(abs)]).multiplied(by: absJ)
        let gamma = RoundingError.gamma(j.rows + 2) * 1.01
        var rad = Matrix(rows: rows, cols: j.cols)
        let n = rows * j.cols, floor = Double(j.rows + 2) * Double.leastNormalMagnitude
        for k in 0..<n {
            let r = stacked.data[k], a = stacked.data[n + k]
            rad.data[k] = r + 2 * gamma * (r + a) + floor
        }
        return IntervalRows(mid: m, rad: rad)
    }

    /// Output entry `k` of `[lo, hi]·J` is `≥ 0` when every term is: `J_ik > 0` only where `lo_i ≥ 0`
    /// and `J_ik < 0` only where `hi_i ≤ 0` (counted with products of 0/1 indicator matrices, exact);
    /// symmetrically for `≤ 0`.
    static func propagateSigns(_ g: IntervalRows, _ j: Matrix, into part: inout IntervalRows) {
        let lowNN = g.lowerIsNonNegative, upNP = g.upperIsNonPositive
        let notLowNN = Matrix(rows: g.mid.rows, cols: g.mid.cols, data: lowNN.map { $0 ? 0 : 1 })
        let notUpNP = Matrix(rows: g.mid.rows, cols: g.mid.cols, data: upNP.map { $0 ? 0 : 1 })
        let positive = j.map { $0 > 0 ? 1 : 0 }, negative = j.map { $0 < 0 ? 1 : 0 }
        let viaPositive = Matrix.vstack([notLowNN, notUpNP]).multiplied(by: positive)
        let viaNegative = Matrix.vstack([notUpNP, notLowNN]).multiplied(by: negative)
        let n = part.mid.data.count
        part.nonNegative = (0..<n).map { viaPositive.data[$0] == 0 && viaNegative.data[$0] == 0 }
        part.nonPositive = (0..<n).map { viaPositive.data[n + $0] == 0 && viaNegative.data[n + $0] == 0 }
    }

    static func activationStep(_ g: IntervalRows, low: Matrix, high: Matrix) -> (IntervalRows, Matrix) {
        var out = g
        var score = Matrix(rows: g.mid.rows, cols: g.mid.cols)
        let u = Double.ulpOfOne
        for k in 0..<g.mid.data.count {
            let m = g.mid.data[k], r = g.rad.data[k], dl = low.data[k], dh = high.data[k]
            if dl == dh {
                out.mid.data[k] = m * dl
                out.rad.data[k] = r * abs(dl) * (1 + u) + u * abs(m * dl) + Double.leastNormalMagnitude
                continue
            }
            let a = m - r, b = m + r
            let p = [a * dl, a * dh, b * dl, b * dh]
            let lo = p.min()!, hi = p.max()!
            out.mid.data[k] = 0.5 * (lo + hi)
            out.rad.data[k] = 0.5 * (hi - lo) + 4 * u * (abs(lo) + abs(hi)) + Double.leastNormalMagnitude
            score.data[k] = (abs(m) + r) * (dh - dl)
        }
        return (out, score)
    }
}
