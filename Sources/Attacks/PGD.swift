import Foundation
import LinearAlgebra
import NNGraph

/// Options of projected gradient descent (Madry et al. 2018). Defaults follow the common
/// libraries' strong settings: 100 steps (ART), a first step of ε/4 (torchattacks uses ε/4 for
/// 10 steps) decaying geometrically to ε/100, 5 starts (the origin, then random points of the
/// region), cross-entropy loss (torchattacks, ART), early stop on success.
public struct PGDOptions: Sendable, Equatable {
    /// Gradient steps per start.
    public var steps: Int = 100
    /// Starts per problem: the origin first (unless `startAtOrigin` is false), then random points.
    public var restarts: Int = 5
    /// First step as a fraction of ε (L∞: per value; L2: of the whole step); for an unbounded
    /// region ε is half the box width (L∞) or half its diagonal (L2).
    public var initialStep: Double = 0.25
    /// Last step as the same fraction; the step decays geometrically in between. Equal to
    /// `initialStep` for a constant step.
    public var finalStep: Double = 0.01
    public var loss: AttackLoss = .crossEntropy
    /// Whether the first start is the origin; otherwise every start is random.
    public var startAtOrigin: Bool = true
    /// Seed of the random starts (runs are reproducible).
    public var seed: UInt64 = 0
    /// Worker threads (rows of the batch are split between them).
    public var threads: Int = 2

    public init() {}

    /// Throws when a count or step is out of range.
    public func check() throws {
        guard steps >= 1, restarts >= 1 else { throw AttackError.invalidOption("steps and restarts must be at least 1") }
        guard initialStep > 0, finalStep > 0, initialStep.isFinite, finalStep.isFinite else {
            throw AttackError.invalidOption("step sizes must be positive numbers")
        }
    }
}

/// PGD in the region's norm (L∞: signed-gradient steps scaled per value; L2: normalised gradient
/// steps) on every problem, all starts of all problems as one batch split between threads.
/// Each result is validated (see ``validateAdversarial(_:network:problem:)``).
/// - Parameter starts: per problem, a first start to use instead of the origin (or nil).
public func pgd(_ network: Network, _ problems: [AttackProblem], options: PGDOptions = PGDOptions(),
                deadline: Date = .distantFuture, starts: [[Double]?]? = nil) -> [AttackOutcome] {
    let (candidates, evaluations) = pgdCandidates(network, problems, options: options, deadline: deadline, starts: starts)
    return outcomes(network: network, problems: problems, candidates: candidates, evaluations: evaluations)
}

/// One row of a PGD batch: a start for a problem.
struct PGDRow: Sendable {
    let problem: Int
    let start: [Double]
}

/// Unvalidated PGD candidates (first point found per problem) and gradient evaluations per problem.
func pgdCandidates(_ network: Network, _ problems: [AttackProblem], options: PGDOptions, deadline: Date,
                   starts: [[Double]?]?) -> (candidates: [[Double]?], evaluations: [Int]) {
    var rows = [PGDRow]()
    for (p, problem) in problems.enumerated() {
        var rng = SplitMix(seed: options.seed &+ UInt64(p) &* 0x9E37_79B9_7F4A_7C15)
        for r in 0..<max(1, options.restarts) {
            if r == 0 && options.startAtOrigin {
                rows.append(PGDRow(problem: p, start: starts?[p] ?? problem.region.origin))
            } else {
                rows.append(PGDRow(problem: p, start: problem.region.randomPoint(using: &rng)))
            }
        }
    }
    let found = FoundCandidates(count: problems.count)
    let allRows = rows
    let counts = inParallel(count: allRows.count, threads: options.threads) { range in
        runPGD(network, problems, rows: Array(allRows[range]), options: options, deadline: deadline, found: found)
    }
    var evaluations = [Int](repeating: 0, count: problems.count)
    for c in counts { for p in c.indices { evaluations[p] += c[p] } }
    return (found.all, evaluations)
}

/// The PGD loop on some rows; returns gradient evaluations per problem.
private func runPGD(_ network: Network, _ problems: [AttackProblem], rows: [PGDRow], options: PGDOptions,
                    deadline: Date, found: FoundCandidates) -> [Int] {
    var evaluations = [Int](repeating: 0, count: problems.count)
    var owner = rows.map(\.problem)
    var x = Matrix(rowVectors: rows.map(\.start))
    let n = network.inputSize
    let linfScales = problems.map { $0.region.norm == .linf ? $0.region.linfScale : [] }
    let steps = max(1, options.steps)
    let decay = steps > 1 ? pow(options.finalStep / options.initialStep, 1 / Double(steps - 1)) : 1
    var step = options.initialStep
    for _ in 0..<steps {
        if Date() >= deadline { return evaluations }
        let keep = owner.indices.filter { !found.has(owner[$0]) }
        if keep.isEmpty { return evaluations }
        if keep.count < owner.count {
            x = Matrix(rowVectors: keep.map { x.row($0) })
            owner = keep.map { owner[$0] }
        }
        let (y, grad) = network.gradient(x) { out in
            var g = Matrix(rows: out.rows, cols: out.cols)
            for r in 0..<out.rows {
                let (_, gy) = problems[owner[r]].goal.loss(out.row(r), options.loss)
                for j in 0..<out.cols { g[r, j] = gy[j] }
            }
            return g
        }
        var done = [Bool](repeating: false, count: x.rows)
        for r in 0..<x.rows {
            evaluations[owner[r]] += 1
            if problems[owner[r]].goal.isAchieved(by: y.row(r)) { found.record(owner[r], x.row(r)); done[r] = true }
        }
        for r in 0..<x.rows where !done[r] {
            let region = problems[owner[r]].region
            if region.norm == .linf {
                let scale = linfScales[owner[r]]
                for j in 0..<n {
                    let g = grad[r, j]
                    let moved = x[r, j] - step * scale[j] * (g > 0 ? 1 : (g < 0 ? -1 : 0))
                    x[r, j] = min(max(moved, region.lower[j]), region.upper[j])
                }
            } else {
                var length = 0.0
                for j in 0..<n { length += grad[r, j] * grad[r, j] }
                length = length.squareRoot()
                guard length > 0, length.isFinite else { continue }
                var row = x.row(r)
                let s = step * region.l2Scale / length
                for j in 0..<n { row[j] -= s * grad[r, j] }
                region.project(&row)
                for j in 0..<n { x[r, j] = row[j] }
            }
        }
        step *= decay
    }
    let y = network.evaluate(x)
    for r in 0..<x.rows where problems[owner[r]].goal.isAchieved(by: y.row(r)) { found.record(owner[r], x.row(r)) }
    return evaluations
}
