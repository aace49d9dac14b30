import Foundation
import LinearAlgebra
import NNGraph

/// The fast gradient sign method (Goodfellow et al. 2015): one step of size ε from the origin
/// against the loss gradient — `x = origin − ε·sign(∇loss)` for L∞, `x = origin − ε·∇loss/‖∇loss‖₂`
/// for L2 — then projected onto the region. Targeted and untargeted through the goal; the loss is
/// minimised (see ``AttackLoss``). One batched gradient evaluation for all problems; every result
/// is validated.
public func fgsm(_ network: Network, _ problems: [AttackProblem], loss: AttackLoss = .crossEntropy) -> [AttackOutcome] {
    guard !problems.isEmpty else { return [] }
    let n = network.inputSize
    let x = Matrix(rowVectors: problems.map(\.region.origin))
    let (y, grad) = network.gradient(x) { out in
        var g = Matrix(rows: out.rows, cols: out.cols)
        for r in 0..<out.rows {
            let (_, gy) = problems[r].goal.loss(out.row(r), loss)
            for j in 0..<out.cols { g[r, j] = gy[j] }
        }
        return g
    }
    var candidates = [[Double]?](repeating: nil, count: problems.count)
    for (p, problem) in problems.enumerated() {
        let region = problem.region
        // The origin itself may already achieve the goal (e.g. a misclassified input).
        if problem.goal.isAchieved(by: y.row(p)) { candidates[p] = region.origin; continue }
        var moved = region.origin
        if region.norm == .linf {
            let scale = region.linfScale
            for j in 0..<n {
                let g = grad[p, j]
                moved[j] -= scale[j] * (g > 0 ? 1 : (g < 0 ? -1 : 0))
            }
        } else {
            var length = 0.0
            for j in 0..<n { length += grad[p, j] * grad[p, j] }
            length = length.squareRoot()
            guard length > 0, length.isFinite else { continue }
            for j in 0..<n { moved[j] -= region.l2Scale * grad[p, j] / length }
        }
        region.project(&moved)
        candidates[p] = moved
    }
    let checked = candidates.map { $0 ?? [] }
    let outputs = network.evaluate(Matrix(rowVectors: checked.map { $0.isEmpty ? [Double](repeating: 0, count: n) : $0 }))
    for p in problems.indices where candidates[p] != nil && !problems[p].goal.isAchieved(by: outputs.row(p)) {
        candidates[p] = nil
    }
    return outcomes(network: network, problems: problems, candidates: candidates,
                    evaluations: [Int](repeating: 1, count: problems.count))
}
