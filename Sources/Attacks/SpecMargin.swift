import LinearAlgebra
import VNNLib

extension SpecCase {
    /// The violation margin of an output: over disjuncts the minimum, within a disjunct the maximum
    /// of the constraint residuals `c·y + d`. The output is in the unsafe set iff the margin is `<= 0`.
    public func margin(_ y: [Double]) -> Double {
        var best = Double.infinity
        for conj in disjuncts {
            var worst = -Double.infinity
            for c in conj { worst = max(worst, c.residual(y)) }
            best = min(best, worst)
        }
        return best
    }

    /// The margin and its (sub)gradient with respect to `y`: the coefficients of the constraint that
    /// attains it (zero when the attaining disjunct is empty).
    public func marginGradient(_ y: [Double]) -> (margin: Double, gradient: [Double]) {
        var best = Double.infinity
        var gradient = [Double](repeating: 0, count: y.count)
        for conj in disjuncts {
            var worst = -Double.infinity
            var arg: LinearConstraint?
            for c in conj {
                let r = c.residual(y)
                if r > worst { worst = r; arg = c }
            }
            if worst < best {
                best = worst
                gradient = arg?.coefficients ?? [Double](repeating: 0, count: y.count)
            }
        }
        return (best, gradient)
    }
}
