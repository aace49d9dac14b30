import Foundation
import LinearAlgebra
import LPBounds
import NNGraph
import VNNLib

/// Counterexample search inside the open domains of the activation split (issue 16): a hidden
/// counterexample of a high-dimensional network lies in a region that random or corner starts never
/// reach (a planted bump is a tiny L1 ball around one point, with a zero gradient outside it), but the
/// split constraints of the domain that contains it describe that region. So each search minimises
/// the violation margin plus a penalty on the domain's violated split constraints (`z ≥ t` or `z ≤ t`
/// on pre-activations): the penalty's gradient leads into the domain's region even where the margin is
/// flat. Starts: the minimiser of the domain's linear bound (a corner of the box), the box centre, and,
/// within a share of the time, the optimum of the domain's LP relaxation (``ObjectiveLP``), which is
/// also evaluated as it is.
///
/// Nothing here is a proof step: every point is only a candidate, re-checked by concrete evaluation
/// here and validated again by the verifier before `sat` is reported.
final class DomainSearch {
    let search: ActivationSplitBranchAndBound
    let specCase: SpecCase
    private var lp: ObjectiveLP?
    private var lpUnavailable = false
    private var seconds = 0.0
    private var lpSeconds = 0.0
    private let started = Date()
    private var round = 0
    /// Exact search of small boxes around the points the search ends at (``BoxSearch``).
    let boxSearch: BoxSearch

    init(_ search: ActivationSplitBranchAndBound, specCase: SpecCase) {
        self.search = search
        self.specCase = specCase
        self.boxSearch = BoxSearch(network: search.network, specCase: specCase, options: search.options)
    }

    private var options: ActivationSplitOptions { search.options }
    private var network: Network { search.network }

    /// A point of the box violating the property, found from the most promising open domains of a
    /// batch, or nil. Keeps to ``ActivationSplitOptions/domainSearchShare`` of the run's time.
    func attack(_ results: [ActivationSplitBranchAndBound.ChildResult], deadline: Date) -> [Double]? {
        guard options.leafAttackDomains > 0 else { return nil }
        guard options.domainSearch else { return search.leafAttack(results, specCase: specCase, deadline: deadline) }
        let elapsed = Date().timeIntervalSince(started)
        guard seconds <= options.domainSearchShare * elapsed else { return nil }
        let t0 = Date()
        defer { seconds += Date().timeIntervalSince(t0) }
        round += 1
        var open = [(priority: Double, domain: ActivationSplitBranchAndBound.Domain, candidate: [Double])]()
        for case .open(let d, let x) in results { open.append((d.priority, d, x)) }
        open.sort { $0.priority < $1.priority }
        let chosen = Array(open.prefix(options.leafAttackDomains))
        guard !chosen.isEmpty else { return nil }
        let box = specCase.box
        let centre = zip(box.lower, box.upper).map { 0.5 * ($0 + $1) }
        var starts = [(start: [Double], constraints: [NeuronSplit], bound: Double)]()
        for item in chosen {
            let constraints = Self.constraints(of: item.domain)
            starts.append((item.candidate, constraints, item.priority))
            starts.append((centre, constraints, item.priority))
        }
        var suspects = [(point: [Double], bound: Double)]()
        if options.domainLPShare > 0, lpSeconds <= options.domainLPShare * elapsed,
           let point = lpPoint(chosen[0].domain, deadline: deadline) {
            if isCounterexample(point) { return point }
            starts.append((point, Self.constraints(of: chosen[0].domain), chosen[0].priority))
            suspects.append((point, chosen[0].priority))
        }
        let descent = penalisedPGD(starts.map { ($0.start, $0.constraints) }, seed: UInt64(round), deadline: deadline)
        if let x = descent.counterexample { return x }
        // A point whose margin is small against its domain's bound (the relaxation's optimum, or where the
        // descent came closest) may sit beside a counterexample the descent cannot reach (a region too thin
        // for its steps, or with zero gradient outside it): decide a small box around it exactly, within the
        // box search's own share of the time.
        if let closest = descent.closest { suspects.append((closest.point, starts[closest.row].bound)) }
        for s in suspects {
            guard let margin = (try? network.evaluate(s.point)).map(specCase.margin),
                  s.bound < 0 else { continue }
                guard margin <= options.boxSearchMargin * -s.bound else { continue }
            if let x = boxSearch.decide(around: s.point, deadline: deadline) { return x }
        }
        return nil
    }

    /// The split constraints of a domain, as `NeuronSplit`s (sign splits at 0 and offset splits).
    static func constraints(of domain: ActivationSplitBranchAndBound.Domain) -> [NeuronSplit] {
        var result = domain.offsetSplits
        for (v, signs) in domain.splits {
            for (j, s) in signs.enumerated() where s != 0 { result.append(NeuronSplit(value: v, neuron: j, active: s > 0)) }
        }
        return result
    }

    /// The LP relaxation's optimum for the domain's lowest open disjunct (clamped into the box), or nil.
    private func lpPoint(_ domain: ActivationSplitBranchAndBound.Domain, deadline: Date) -> [Double]? {
        let t0 = Date()
        defer { lpSeconds += Date().timeIntervalSince(t0) }
        // Building the LP's sparse rows is not bounded by the deadline (seconds for large convolutional
        // networks): only networks of moderate size, and only with time to spare, get LP points.
        if lp == nil && !lpUnavailable {
            let neurons = network.nodes.filter { $0.op is any ElementwiseActivation }.reduce(0) { $0 + $1.op.outputSize }
            lpUnavailable = neurons > options.domainLPNeuronLimit
        }
        guard deadline.timeIntervalSinceNow > 4 * options.domainLPSeconds else { return nil }
        if lp == nil && !lpUnavailable {
            lp = try? ObjectiveLP(network: network)
            lpUnavailable = lp == nil
        }
        guard let lp, let k = domain.open.first else { return nil }
        // At most a second (or what is left), so that one LP cannot eat the search's share.
        let lpDeadline = min(deadline, Date().addingTimeInterval(options.domainLPSeconds))
        guard let bound = try? lp.minimumOfMaximum(specCase.disjuncts[k], box: specCase.box, bounds: domain.bounds,
                                                   splits: Self.constraints(of: domain), deadline: lpDeadline,
                                                   inputConstraints: specCase.inputConstraints),
              let raw = bound.input, raw.count == network.inputSize else { return nil }
        return raw.indices.map { min(max(raw[$0], specCase.box.lower[$0]), specCase.box.upper[$0]) }
    }

    private func isCounterexample(_ x: [Double]) -> Bool {
        specCase.contains(x) && ((try? network.evaluate(x)).map(specCase.isViolated) ?? false)
    }

    /// Signed-gradient descent (L∞ steps, geometric decay to a very small step, so that each coordinate
    /// settles like a bisection) on `margin(y) + λ·Σ max(0, violation of a split constraint)`, all starts
    /// as one batch. The penalty counts only while a constraint is violated, so inside the domain's
    /// region the margin alone is descended.
    /// Returns a counterexample, or else the final point with the smallest margin and its start's index.
    private func penalisedPGD(_ starts: [(start: [Double], constraints: [NeuronSplit])], seed: UInt64,
                              deadline: Date) -> (counterexample: [Double]?, closest: (point: [Double], row: Int)?) {
        let n = network.inputSize, box = specCase.box
        let halfWidth = (0..<n).map { 0.5 * (box.upper[$0] - box.lower[$0]) }
        var x = Matrix(rowVectors: starts.map(\.start))
        let steps = max(2, options.domainSearchSteps)
        let decay = pow(options.domainSearchFinalStep / options.domainSearchInitialStep, 1 / Double(steps - 1))
        var step = options.domainSearchInitialStep
        let λ = options.domainSearchPenalty
        for _ in 0..<steps {
            if Date() >= deadline { return (nil, nil) }
            let values = network.evaluateAll(x)
            let y = values[network.output]
            var outputGradient = Matrix(rows: y.rows, cols: y.cols)
            var seeds = [ValueID: Matrix]()
            for r in 0..<x.rows {
                let out = y.row(r)
                if specCase.isViolated(by: out) {
                    let point = x.row(r)
                    if isCounterexample(point) { return (point, nil) }
                }
                let g = specCase.marginGradient(out).gradient
                for j in 0..<y.cols { outputGradient[r, j] = g[j] }
                for split in starts[r].constraints {
                    let z = values[split.value][r, split.neuron]
                    let violated = split.active ? z < split.point : z > split.point
                    guard violated else { continue }
                    if seeds[split.value] == nil { seeds[split.value] = Matrix(rows: x.rows, cols: values[split.value].cols) }
                    seeds[split.value]![r, split.neuron] += split.active ? -λ : λ
                }
            }
            let grad = inputGradient(values: values, output: outputGradient, seeds: seeds)
            for r in 0..<x.rows {
                for j in 0..<n {
                    let g = grad[r, j]
                    let moved = x[r, j] - step * halfWidth[j] * (g > 0 ? 1 : (g < 0 ? -1 : 0))
                    x[r, j] = min(max(moved, box.lower[j]), box.upper[j])
                }
            }
            step *= decay
        }
        let y = network.evaluate(x)
        var closest: (point: [Double], row: Int, margin: Double)?
        for r in 0..<x.rows {
            let point = x.row(r), margin = specCase.margin(y.row(r))
            if specCase.isViolated(by: y.row(r)), isCounterexample(point) { return (point, nil) }
            if closest == nil || margin < closest!.margin { closest = (point, r, margin) }
        }
        return (nil, closest.map { ($0.point, $0.row) })
    }

    /// Reverse-mode gradient of `Σ output·y + Σ_v seeds[v]·v` with respect to the input, for each row;
    /// a seed enters its value's gradient before the nodes that read the value pass theirs back (every
    /// reader comes later in the node order).
    private func inputGradient(values: [Matrix], output: Matrix, seeds: [ValueID: Matrix]) -> Matrix {
        var grads = [Matrix?](repeating: nil, count: network.nodes.count + 1)
        for (v, s) in seeds { grads[v] = s }
        if grads[network.output] == nil { grads[network.output] = output } else { grads[network.output]!.add(output) }
        for i in stride(from: network.nodes.count - 1, through: 0, by: -1) {
            guard let g = grads[i + 1] else { continue }
            let node = network.nodes[i]
            let inputGrads = node.op.gradient(inputs: node.inputs.map { values[$0] }, output: values[i + 1], outputGradient: g)
            for (v, ig) in zip(node.inputs, inputGrads) {
                if grads[v] == nil { grads[v] = ig } else { grads[v]!.add(ig) }
            }
        }
        return grads[0] ?? Matrix(rows: output.rows, cols: network.inputSize)
    }
}
