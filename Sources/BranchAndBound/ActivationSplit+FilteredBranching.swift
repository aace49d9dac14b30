import Bounds
import Foundation
import LinearAlgebra
import NNGraph

extension ActivationSplitBranchAndBound {
    /// Filtered smart branching (De Palma et al., "Improved Branch and Bound for Neural Network
    /// Verification via Lagrangian Decomposition", 2021; as in alpha-beta-CROWN's `fsb`): for every open
    /// domain with ``Domain/alternatives``, both children of each candidate split are bounded in one batched
    /// pass with the parent's α and β (the new split's β starts at 0) and the parent's intermediate bounds,
    /// the split neuron's interval clamped to its side, so that its relaxation is exact there. The
    /// candidate whose worse child bounds highest becomes the domain's branch (ties: the score's order).
    ///
    /// Only the choice of split changes: the children later bounded are the same kind of children as
    /// without the filter, so soundness does not depend on these estimates.
    func filterBranches(_ results: inout [ChildResult], objective: SpecObjective, box: IntervalMatrix) {
        var trial = [Child](), owner = [(result: Int, alternative: Int)]()
        for (i, r) in results.enumerated() {
            guard case .open(let d, _) = r, d.alternatives.count > 1 else { continue }
            for (a, branch) in d.alternatives.enumerated() {
                var parent = d
                parent.branch = branch
                for sign in [1.0, -1.0] {
                    trial.append(child(of: parent, sign: sign))
                    owner.append((i, a))
                }
            }
        }
        guard !trial.isEmpty else { return }
        let input = Self.inputBoxes(trial, box: box)
        let stacked = stackedBounds(trial)
        var once = options.optimisation
        once.iterations = 1
        once.stopAbove = nil
        let pass = objectivePass(trial, bounds: stacked, input: input, objective: objective, optimisation: once)
        let m = pass.activeRows.count
        // Each trial child's value: its lowest open row (0 once every row is above 0: refuted children
        // do not differ). Trial children come in pairs (both signs of one candidate) in domain order.
        let value = trial.indices.map { t -> Double in
            var worst = Double.infinity
            for k in trial[t].open {
                let rows = objective.rowsOfDisjunct[k]
                let lows = rows.map { pass.result.lower[t * m + pass.position[$0]!] }
                if !rows.isEmpty && lows.contains(where: { $0 > 0 }) { continue }
                worst = min(worst, lows.min() ?? -.infinity)
            }
            return min(worst, 0)
        }
        var t = 0
        while t < trial.count {
            let i = owner[t].result
            guard case .open(var d, let candidate) = results[i] else { t += 1; continue }
            var bestScore = -Double.infinity
            while t < trial.count && owner[t].result == i {
                // A child's bound is never below its parent's (the parent's holds on it too); the one-pass
                // estimate with the parent's α can be, where the split makes other coefficients large.
                let (a, pair) = (owner[t].alternative, [max(value[t], d.priority), max(value[t + 1], d.priority)].map { min($0, 0) })
                let score = pair.min()! + 1e-3 * (pair[0] + pair[1])
                if score > bestScore { bestScore = score; d.branch = d.alternatives[a] }
                t += 2
            }
            d.alternatives = []
            results[i] = .open(d, candidate: candidate)
        }
    }
}
