import NNGraph

/// How the derivative of an activation is bounded on an interval of its pre-activation: the range of
/// the Clarke generalised derivative `∂f(x)` over `x ∈ [l, u]`, enclosed by `[low, high]`.
///
/// Only the capabilities are asked, never a concrete type:
/// - a ``PiecewiseLinearActivation`` (ReLU, LeakyReLU, Clip, Abs and the max-pooling ReLUs) has the
///   slopes of the pieces that meet `[l, u]`; at a breakpoint both neighbouring slopes count, which is
///   the Clarke derivative there (the convex hull of the one-sided ones). These are exact: slopes are
///   stored numbers, nothing is computed.
/// - an ``SShapedActivation`` (Sigmoid, Tanh, Erf, Softsign) has `f'` increasing on `x ≤ 0` and decreasing
///   on `x ≥ 0`, so on `[l, u]` the largest derivative is at the point nearest 0 and the smallest at an
///   end; the values (a few ulps accurate, protocol contract) are widened by `64u` relative.
enum DerivativeRange {
    /// The widening of library-computed derivative values (16 ulp assumed, times 2 for the products
    /// inside `f'`, times 2 again for margin).
    static let smoothSlack = 64 * (Double.ulpOfOne / 2)

    /// Whether `op` is an activation whose derivative can be bounded.
    static func supports(_ op: any Operator) -> Bool {
        op is any PiecewiseLinearActivation || op is any SShapedActivation
    }

    /// `[low, high]` enclosing `∂f` on `[l, u]` for every neuron; nil when the operator is unsupported.
    /// An infinite or NaN end of the interval gives the activation's global derivative range.
    static func bounds(_ op: any Operator, lower: [Double], upper: [Double]) -> (low: [Double], high: [Double])? {
        var low = [Double](repeating: 0, count: lower.count), high = low
        if let pl = op as? any PiecewiseLinearActivation {
            let p = pl.pieces
            for k in lower.indices {
                let l = lower[k].isNaN ? -.infinity : lower[k], u = upper[k].isNaN ? .infinity : upper[k]
                var lo = Double.infinity, hi = -Double.infinity
                for (i, s) in p.slopes.enumerated() {
                    // Piece i spans [b_{i-1}, b_i] (unbounded at the ends); it meets [l, u] when it overlaps.
                    let from = i == 0 ? -Double.infinity : p.breakpoints[i - 1]
                    let to = i == p.breakpoints.count ? Double.infinity : p.breakpoints[i]
                    if from <= u && to >= l { lo = min(lo, s); hi = max(hi, s) }
                }
                if lo > hi { lo = p.slopes.min()!; hi = p.slopes.max()! }
                low[k] = lo
                high[k] = hi
            }
            return (low, high)
        }
        if let s = op as? any SShapedActivation {
            for k in lower.indices {
                let l = lower[k].isNaN ? -.infinity : lower[k], u = upper[k].isNaN ? .infinity : upper[k]
                let nearest = min(max(0, l), u)
                let peak = s.derivatives(nearest).first
                let ends = min(l.isFinite ? s.derivatives(l).first : 0, u.isFinite ? s.derivatives(u).first : 0)
                low[k] = max(0, ends * (1 - smoothSlack))
                high[k] = peak * (1 + smoothSlack)
            }
            return (low, high)
        }
        return nil
    }

    /// The largest `|f'|` over all inputs (for the global bound), or nil when unsupported.
    static func globalMagnitude(_ op: any Operator) -> Double? {
        guard let b = bounds(op, lower: [-.infinity], upper: [.infinity]) else { return nil }
        return max(abs(b.low[0]), abs(b.high[0]))
    }
}
