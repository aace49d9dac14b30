import Bounds
import LinearAlgebra
import NNGraph

extension ActivationSplitBranchAndBound {
    /// The best split among neurons of smooth activations and inputs of products (GenBaB, Shi et al.,
    /// "Neural Network Verification with Branch-and-Bound for General Nonlinearities", TACAS 2025), with
    /// its score in the units of ``chooseBranch(child:index:rows:openRows:result:bounds:)``'s: the
    /// open rows' coefficient on the node's output times the relaxation's gap.
    ///
    /// - Smooth activation on `[l, u]`: the gap is the larger distance between the fixed upper and lower
    ///   lines at the ends (they are lines, so the largest on the interval), halved; the split point is 0
    ///   when the interval straddles it well inside (sigmoid/tanh/erf change curvature there), else the
    ///   midpoint.
    /// - Product `x ⊙ y`: McCormick's largest gap is `wx·wy/4`; the wider input is split, at 0 or its
    ///   midpoint likewise.
    /// Neurons narrower than ``ActivationSplitOptions/minimumRelativeWidth`` are left alone, so the search
    /// stops splitting them. Splits cover their parent whatever the point, so any choice is sound.
    func generalBranch(index c: Int, rows m: Int, openRows: [Int], result: ParameterisedBound,
                       bounds: [ValueID: IntervalMatrix]) -> (value: ValueID, neuron: Int, point: Double, score: Double)? {
        var best: (value: ValueID, neuron: Int, point: Double, score: Double)?
        func weight(_ a: Matrix, _ j: Int, _ n: Int) -> Double {
            openRows.reduce(0.0) { $0 + abs(a.data[(c * m + $1) * n + j]) }
        }
        func consider(_ v: ValueID, _ j: Int, _ l: Double, _ u: Double, _ score: Double) {
            guard score.isFinite, score > (best?.score ?? 0), splitsWell(l, u) else { return }
            best = (v, j, splitPoint(l, u), score)
        }
        for (i, node) in network.nodes.enumerated() {
            guard let a = result.activationCoefficients[i] else { continue }
            if let act = node.op as? any ElementwiseActivation, !(act is any PiecewiseLinearActivation) {
                let v = node.inputs[0]
                guard let b = bounds[v] else { continue }
                let n = b.cols
                let rx = act.relaxations(lower: b.lower.data, upper: b.upper.data, variant: 0)
                for j in 0..<n {
                    let (l, u) = (b.lower.data[j], b.upper.data[j])
                    let gapAt = { (x: Double) in (rx.upperSlope[j] - rx.lowerSlope[j]) * x + rx.upperIntercept[j] - rx.lowerIntercept[j] }
                    consider(v, j, l, u, weight(a, j, n) * 0.5 * max(gapAt(l), gapAt(u)))
                }
            } else if node.op is any BilinearOperator {
                let (vx, vy) = (node.inputs[0], node.inputs[1])
                guard let bx = bounds[vx], let by = bounds[vy] else { continue }
                let n = bx.cols
                for j in 0..<n {
                    let (lx, ux, ly, uy) = (bx.lower.data[j], bx.upper.data[j], by.lower.data[j], by.upper.data[j])
                    let score = weight(a, j, n) * (ux - lx) * (uy - ly) / 4
                    if ux - lx >= uy - ly { consider(vx, j, lx, ux, score) } else { consider(vy, j, ly, uy, score) }
                }
            }
        }
        return best
    }

    private func splitsWell(_ l: Double, _ u: Double) -> Bool {
        l.isFinite && u.isFinite && u - l > options.minimumRelativeWidth * (1 + abs(l) + abs(u))
    }

    private func splitPoint(_ l: Double, _ u: Double) -> Double {
        let mid = 0.5 * (l + u)
        return l < 0 && u > 0 && -l > 0.1 * (u - l) && u > 0.1 * (u - l) ? 0 : mid
    }
}
