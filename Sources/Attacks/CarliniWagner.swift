import Foundation
import LinearAlgebra
import NNGraph

/// Options of the Carlini–Wagner L2 attack. Defaults follow Foolbox's `L2CarliniWagnerAttack`
/// (9 binary-search steps, Adam learning rate 0.01, initial constant 1e-3, confidence 0, early
/// abort) except the step count: 1000 per binary-search step instead of Foolbox's 10 000
/// (torchattacks uses 50–100, ART 10); early abort ends most runs well before either.
public struct CarliniWagnerOptions: Sendable, Equatable {
    public var binarySearchSteps: Int = 9
    /// Adam steps per binary-search step.
    public var steps: Int = 1000
    public var learningRate: Double = 0.01
    /// First trade-off constant `c` between distance and loss; the binary search adjusts it per problem
    /// (×10 while no adversarial is found, then bisection).
    public var initialConstant: Double = 1e-3
    /// κ: how far past the decision boundary the margin must go (see ``AttackLoss/margin(confidence:)``).
    public var confidence: Double = 0
    /// Stop a binary-search step when the objective has not dropped by 0.01 % over a tenth of the steps.
    public var abortEarly: Bool = true
    /// Worker threads (problems are split between them).
    public var threads: Int = 2

    public init() {}

    /// Throws when a count, rate or constant is out of range.
    public func check() throws {
        guard binarySearchSteps >= 1, steps >= 1 else { throw AttackError.invalidOption("binary-search steps and steps must be at least 1") }
        guard learningRate > 0, learningRate.isFinite else { throw AttackError.invalidOption("the learning rate must be a positive number") }
        guard initialConstant > 0, initialConstant.isFinite else { throw AttackError.invalidOption("the initial constant must be a positive number") }
        guard confidence >= 0, confidence.isFinite else { throw AttackError.invalidOption("the confidence κ must be a number >= 0") }
    }
}

/// Carlini & Wagner's L2 attack (2017): minimises `‖x − origin‖₂² + c·max(loss, −κ)` over the
/// region's box through the change of variables `x = mid + half·tanh(w)` with Adam, searching `c`
/// by bisection, and keeps the closest point that achieves the goal. A point farther than ε from
/// the origin of an L2 region does not count (its distance is reported as `closestOutsideBall`).
/// Every result is validated.
public func carliniWagnerL2(_ network: Network, _ problems: [AttackProblem], options: CarliniWagnerOptions = CarliniWagnerOptions(),
                            deadline: Date = .distantFuture) -> [AttackOutcome] {
    let chunks = inParallel(count: problems.count, threads: options.threads) { range in
        runCW(network, Array(problems[range]), options: options, deadline: deadline)
    }
    var best = [[Double]?](), evaluations = [Int]()
    for c in chunks { best += c.best; evaluations += c.evaluations }
    var candidates = best
    var closest = [Double?](repeating: nil, count: problems.count)
    for (p, problem) in problems.enumerated() {
        guard let x = best[p], problem.region.norm == .l2, problem.region.epsilon.isFinite else { continue }
        let d = problem.region.l2Distance(x)
        if d > problem.region.epsilon { candidates[p] = nil; closest[p] = d }
    }
    var result = outcomes(network: network, problems: problems, candidates: candidates, evaluations: evaluations)
    for p in problems.indices { result[p].closestOutsideBall = closest[p] }
    return result
}

/// The CW optimisation for some problems: closest adversarial point per problem and gradient evaluations.
private func runCW(_ network: Network, _ problems: [AttackProblem], options: CarliniWagnerOptions,
                   deadline: Date) -> (best: [[Double]?], evaluations: [Int]) {
    let count = problems.count, n = network.inputSize
    let loss = AttackLoss.margin(confidence: options.confidence)
    var best = [[Double]?](repeating: nil, count: count)
    var bestDistance2 = [Double](repeating: .infinity, count: count)
    var evaluations = [Int](repeating: 0, count: count)
    let mid = problems.map { p in (0..<n).map { 0.5 * (p.region.lower[$0] + p.region.upper[$0]) } }
    let half = problems.map { p in (0..<n).map { 0.5 * (p.region.upper[$0] - p.region.lower[$0]) } }
    // Values at a bound of the box would need |w| → ∞; starting them at tanh(w) = ±(1 − 1e-4) keeps
    // them movable under Adam's bounded steps (with 1 − 1e-9 far fewer digits were attacked).
    let w0: [[Double]] = problems.indices.map { p in
        (0..<n).map { j in
            guard half[p][j] > 0 else { return 0 }
            let t = (problems[p].region.origin[j] - mid[p][j]) / half[p][j]
            return atanh(min(max(t, -1 + 1e-4), 1 - 1e-4))
        }
    }
    var c = [Double](repeating: options.initialConstant, count: count)
    var lowC = [Double](repeating: 0, count: count), highC = [Double](repeating: .infinity, count: count)
    let beta1 = 0.9, beta2 = 0.999, adamEpsilon = 1e-8
    let checkEvery = max(1, Int((Double(options.steps) / 10).rounded(.up)))

    for _ in 0..<options.binarySearchSteps {
        if Date() >= deadline { break }
        var w = w0
        var m = [[Double]](repeating: [Double](repeating: 0, count: n), count: count), v = m
        var succeeded = [Bool](repeating: false, count: count)
        var previous = [Double](repeating: .infinity, count: count)
        var active = Array(0..<count)
        for t in 1...options.steps {
            if active.isEmpty || Date() >= deadline { break }
            let tanhW = active.map { p in w[p].map { tanh($0) } }
            let xs = active.indices.map { a in (0..<n).map { mid[active[a]][$0] + half[active[a]][$0] * tanhW[a][$0] } }
            var margins = [Double](repeating: 0, count: active.count)
            let (y, grad) = network.gradient(Matrix(rowVectors: xs)) { out in
                var g = Matrix(rows: out.rows, cols: out.cols)
                for a in 0..<out.rows {
                    let (f, gf) = problems[active[a]].goal.loss(out.row(a), loss)
                    margins[a] = f
                    for j in 0..<out.cols { g[a, j] = c[active[a]] * gf[j] }
                }
                return g
            }
            var keep = [Int]()
            let correction1 = 1 - pow(beta1, Double(t)), correction2 = 1 - pow(beta2, Double(t))
            for (a, p) in active.enumerated() {
                evaluations[p] += 1
                let origin = problems[p].region.origin
                var distance2 = 0.0
                for j in 0..<n { distance2 += (xs[a][j] - origin[j]) * (xs[a][j] - origin[j]) }
                if problems[p].goal.isAchieved(by: y.row(a)) {
                    succeeded[p] = true
                    if distance2 < bestDistance2[p] { bestDistance2[p] = distance2; best[p] = xs[a] }
                }
                for j in 0..<n where half[p][j] > 0 {
                    let gx = grad[a, j] + 2 * (xs[a][j] - origin[j])
                    let gw = gx * half[p][j] * (1 - tanhW[a][j] * tanhW[a][j])
                    guard gw.isFinite else { continue }
                    m[p][j] = beta1 * m[p][j] + (1 - beta1) * gw
                    v[p][j] = beta2 * v[p][j] + (1 - beta2) * gw * gw
                    w[p][j] -= options.learningRate * (m[p][j] / correction1) / ((v[p][j] / correction2).squareRoot() + adamEpsilon)
                }
                let objective = distance2 + c[p] * margins[a]
                if options.abortEarly && t % checkEvery == 0 {
                    if !(objective <= 0.9999 * previous[p]) { continue }
                    previous[p] = objective
                }
                keep.append(p)
            }
            active = keep
        }
        for p in 0..<count {
            if succeeded[p] {
                highC[p] = min(highC[p], c[p])
                c[p] = 0.5 * (lowC[p] + highC[p])
            } else {
                lowC[p] = max(lowC[p], c[p])
                c[p] = highC[p].isFinite ? 0.5 * (lowC[p] + highC[p]) : 10 * c[p]
            }
        }
    }
    return (best, evaluations)
}
