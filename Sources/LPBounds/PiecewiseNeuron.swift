import NNGraph

/// One neuron of a piecewise-linear activation on its input interval `[l, u]`, written with ReLUs of
/// shifted inputs: `y = constant + slope·z + Σ_k weight_k · relu(z − point_k)` over the breakpoints
/// strictly inside `(l, u)`. This is exact on `[l, u]`: a breakpoint at or below `l` only bends the
/// function before the interval (its ReLU is `z − point` there, folded into `slope` and `constant`),
/// one at or above `u` after it (its ReLU is 0). So the LP relaxation and the exact MILP of any
/// piecewise-linear activation are those of ReLUs (triangle, big-M), and a split at a breakpoint fixes
/// one ReLU's phase.
struct PiecewiseNeuron {
    var constant: Double
    var slope: Double
    var kinks: [(point: Double, weight: Double)]
    /// A bound on the error of the computed `constant`, `slope` and weights against the exact ones,
    /// times the magnitudes they multiply on `[l, u]`: the row `y − slope·z − Σ weight·r = constant`
    /// must be widened by it.
    var slack: Double

    init(pieces p: PiecewiseLinearPieces, l: Double, u: Double) {
        let b = p.breakpoints
        let left = b.filter { $0 <= l }.count          // the piece that holds l (its right side)
        slope = p.slopes[left]
        let anchor = left == 0 ? 0 : left - 1
        constant = p.valuesAtBreakpoints[anchor] - slope * b[anchor]
        kinks = []
        if u > l {
            for k in left..<b.count where b[k] > l && b[k] < u {
                kinks.append((b[k], p.slopes[k + 1] - p.slopes[k]))
            }
        }
        let unit = LineDefect.unit, h = max(abs(l), abs(u))
        var s = abs(constant) + abs(p.valuesAtBreakpoints[anchor]) + abs(slope) * (h + abs(b[anchor]))
        for kink in kinks { s += abs(kink.weight) * (h + abs(kink.point)) }
        slack = 8 * unit * s
    }

    /// The neuron is `relu(z)` itself (ReLU's own pieces on an interval straddling 0).
    var isRectifier: Bool { constant == 0 && slope == 0 && kinks.count == 1 && kinks[0].point == 0 && kinks[0].weight == 1 }
    /// The neuron copies its input exactly.
    var isIdentity: Bool { kinks.isEmpty && slope == 1 && constant == 0 }
    /// The output does not depend on the input on `[l, u]`.
    var isConstant: Bool { kinks.isEmpty && slope == 0 }
}
