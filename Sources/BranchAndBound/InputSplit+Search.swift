import Attacks
import Bounds
import Foundation
import LinearAlgebra
import NNGraph
import VNNLib

/// Split-dimension lookahead, the spec objective on concrete outputs, and leaf attacks.
extension InputSplitBranchAndBound {
    /// Chooses each open domain's split dimension among its ``lookaheadCandidates(_:)``: both
    /// halves along each candidate are bounded (one batched CROWN pass for all), and the dimension
    /// whose halves leave the least violation to refute wins — the sum over both halves of each open
    /// disjunct's negative bound, each half's bound raised to the domain's own (which holds on the half
    /// too). Ties go to the better-scored dimension. Costs `2k` bound computations per split and, on
    /// ACAS Xu, saves far more in domains than it costs.
    ///
    /// Not the worse half's bound alone: a split that closes one half but leaves the other as it was
    /// halves the work, while a split of an already tiny dimension changes neither half and would win
    /// on rounding noise (on ACAS Xu `4_2 prop_2` that shrank three dimensions to 1e-9 while two stayed
    /// at their full width).
    func lookahead(_ results: inout [DomainResult], objective: SpecObjective, inter: [ValueID: IntervalMatrix], deadline: Date) {
        let n = network.inputSize
        var lo = [Double](), hi = [Double](), owner = [Int](), parentRows = [Int]()
        for (b, r) in results.enumerated() where !r.open.isEmpty {
            for j in lookaheadCandidates(r) {
                let mid = 0.5 * (r.clippedLower[j] + r.clippedUpper[j])
                var l1 = r.clippedLower, u1 = r.clippedUpper, l2 = l1, u2 = u1
                u1[j] = mid; l2[j] = mid
                lo += l1; hi += u1; lo += l2; hi += u2
                owner += [b, b]; parentRows += [b, b]
            }
        }
        if owner.isEmpty { return }
        let count = owner.count
        let input = IntervalMatrix(lower: Matrix(rows: count, cols: n, data: lo), upper: Matrix(rows: count, cols: n, data: hi))
        let known = inter.mapValues { $0.selectingRows(parentRows) }
        let ranking = rankingCROWN
        let childInter = ranking.intermediateBounds(input: input, known: known, method: intermediateMethod, deadline: deadline)
        let bound = ranking.lowerBound(of: network.output, objective: objective.matrix, constant: objective.constant,
                                     input: input, bounds: childInter, deadline: deadline)
        let values = childInter.keys.sorted()  // the layout of ``Domain/known``
        var idx = 0
        for (b, r) in results.enumerated() where !r.open.isEmpty {
            let firstRow = idx  // candidate h's halves are rows firstRow + 2h and firstRow + 2h + 1
            var halves = [(dimension: Int, left: [Double], right: [Double])]()
            for j in lookaheadCandidates(r) {
                halves.append((j, objective.disjunctBounds(r.open, lower: bound.lower, row: idx),
                               objective.disjunctBounds(r.open, lower: bound.lower, row: idx + 1)))
                idx += 2
            }
            let split = Self.bestSplit(halves, own: r.openBounds) ?? r.splitDimension
            results[b].splitDimension = split
            guard options.lookaheadHalves, let h = halves.firstIndex(where: { $0.dimension == split }) else { continue }
            func half(_ row: Int, _ disjunctBounds: [Double]) -> HalfBound {
                let open = zip(r.open, disjunctBounds).filter { !($0.1 > 0) }  // NaN stays open
                return HalfBound(open: open.map(\.0), bound: open.map(\.1).min() ?? .infinity,
                                 known: values.map { childInter[$0]!.lower.row(row) + childInter[$0]!.upper.row(row) })
            }
            let row = firstRow + 2 * h
            results[b].halves = (halves[h].dimension, half(row, halves[h].left), half(row + 1, halves[h].right))
        }
    }

    /// The dimensions the lookahead tries for `r`: all when at most
    /// ``InputSplitOptions/lookaheadAllDimensionsUpTo`` are left, else the
    /// ``InputSplitOptions/lookaheadDimensions`` best-scored.
    func lookaheadCandidates(_ r: DomainResult) -> ArraySlice<Int> {
        r.dimensionOrder.count <= options.lookaheadAllDimensionsUpTo ? r.dimensionOrder[...]
            : r.dimensionOrder.prefix(options.lookaheadDimensions)
    }

    /// The dimension among `candidates` (in decreasing score order) whose two halves leave the least
    /// violation to refute: `Σ_half Σ_k min(0, max(half_k, own_k))`, where `half_k` is a half's bound
    /// of open disjunct `k` and `own_k` the domain's own (sound on the half too). The first candidate
    /// wins ties; nil when there are none.
    static func bestSplit(_ candidates: [(dimension: Int, left: [Double], right: [Double])], own: [Double]) -> Int? {
        func remaining(_ half: [Double]) -> Double {
            zip(half, own).reduce(0) { $0 + min(0, max($1.0, $1.1)) }
        }
        var best: (dimension: Int, value: Double)?
        for c in candidates {
            let value = remaining(c.left) + remaining(c.right)
            if best == nil || value > best!.value { best = (c.dimension, value) }
        }
        return best?.dimension
    }

    /// PGD inside the most promising open domains (see ``InputSplitOptions/leafAttackDomains``).
    func leafAttack(_ results: [DomainResult], specCase: SpecCase, deadline: Date) -> [Double]? {
        let open = results.indices.filter { !results[$0].open.isEmpty && !results[$0].bestCandidate.isEmpty }
        var attack = SpecPGDOptions()
        attack.restarts = 1
        attack.steps = options.leafAttackSteps
        attack.initialStep = 0.05
        for b in open.sorted(by: { results[$0].bestMargin < results[$1].bestMargin }).prefix(options.leafAttackDomains) {
            let local = SpecCase(box: InputBox(lower: results[b].clippedLower, upper: results[b].clippedUpper),
                                 disjuncts: specCase.disjuncts)
            if let x = specPGD(network, local, options: attack, deadline: deadline, start: results[b].bestCandidate) {
                return x
            }
        }
        return nil
    }

}
