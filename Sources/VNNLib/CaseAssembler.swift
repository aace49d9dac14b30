/// Turns the DNF of all asserts into `SpecCase`s: each DNF term is split into its input bounds (a
/// box), its linear input constraints (VNN-LIB 2.0) and its output atoms (one disjunct); terms with
/// the same box and input constraints form one case. A case's box is tightened by its input
/// constraints (``LinearBoundTightening``) before every input must have finite bounds.
struct CaseAssembler {
    let source: SourceText
    let atoms: [Atom]
    let inputCount: Int
    let outputCount: Int
    /// Offset of each input's declaration, for "missing bound" errors.
    let inputDeclarations: [Int]
    /// VNN-LIB 2.0: the name (`X[0,3]`) and declaration offset of an input, for messages; nil: `X_i`
    /// and `inputDeclarations`.
    var describeInput: ((Int) -> (name: String, offset: Int))? = nil

    private func name(_ i: Int) -> String { describeInput?(i).name ?? "X_\(i)" }
    private func declaration(_ i: Int) -> Int { describeInput?(i).offset ?? inputDeclarations[i] }

    /// A box under construction, remembering where each bound came from.
    private struct BoxBuilder {
        var lower: [Double]
        var upper: [Double]
        var lowerOffset: [Int]
        var upperOffset: [Int]
        /// Atom ids of linear input constraints, sorted, without repeats.
        var linear: [Int] = []

        init(inputCount: Int) {
            lower = Array(repeating: -.infinity, count: inputCount)
            upper = Array(repeating: .infinity, count: inputCount)
            lowerOffset = Array(repeating: -1, count: inputCount)
            upperOffset = Array(repeating: -1, count: inputCount)
        }

        /// Intersects with one bound (the tighter bound wins; the first of equal bounds is kept).
        mutating func apply(index: Int, isUpper: Bool, value: Double, offset: Int) {
            if isUpper {
                if value < upper[index] { (upper[index], upperOffset[index]) = (value, offset) }
            } else if value > lower[index] {
                (lower[index], lowerOffset[index]) = (value, offset)
            }
        }
    }

    /// Hashable key for grouping terms by box.
    private struct BoxKey: Hashable {
        var lower: [Double]
        var upper: [Double]
        var linear: [Int]
    }

    /// Whether an atom belongs to the input side of a term.
    private func isInput(_ id: Int) -> Bool {
        switch atoms[id] {
        case .inputBound, .inputLinear: return true
        case .output: return false
        }
    }

    /// Applies input atom `id` to `box`.
    private func apply(_ id: Int, to box: inout BoxBuilder) {
        switch atoms[id] {
        case .inputBound(let index, let isUpper, let value, let offset):
            box.apply(index: index, isUpper: isUpper, value: value, offset: offset)
        case .inputLinear:
            if !box.linear.contains(id) { box.linear.append(id); box.linear.sort() }
        case .output:
            break
        }
    }

    /// The dense input constraints of the linear atoms `ids`.
    private func inputConstraints(_ ids: [Int]) -> [LinearConstraint] {
        ids.compactMap { id in
            guard case .inputLinear(let e, let isStrict, _) = atoms[id] else { return nil }
            var coefficients = Array(repeating: 0.0, count: inputCount)
            for t in e.terms { coefficients[t.variable.index] += t.coefficient }
            return LinearConstraint(coefficients: coefficients, constant: e.constant, isStrict: isStrict)
        }
    }

    /// The cases of the specification, in order of first appearance of their boxes.
    func assemble(_ dnf: DisjunctiveNormalForm) throws(VNNLibError) -> [SpecCase] {
        let (constraints, canonical) = try distinctOutputConstraints()
        var (boxes, disjunctsPerBox, baseOutputs) = try groupByBox(dnf)
        for k in boxes.indices where !boxes[k].linear.isEmpty {
            var (lower, upper) = (boxes[k].lower, boxes[k].upper)
            LinearBoundTightening.tighten(lower: &lower, upper: &upper, by: inputConstraints(boxes[k].linear))
            (boxes[k].lower, boxes[k].upper) = (lower, upper)
        }
        for (k, box) in boxes.enumerated() {
            try checkBounds(box, caseNumber: k + 1, caseCount: boxes.count)
        }
        let nonEmpty = boxes.indices.filter { b in boxes[b].lower.indices.allSatisfy { boxes[b].lower[$0] <= boxes[b].upper[$0] } }
        guard !nonEmpty.isEmpty else { throw emptyInputSetError(boxes[0]) }

        var cases: [SpecCase] = []
        for b in nonEmpty {
            var disjuncts: [[Int]] = []
            var seenDisjuncts = Set<[Int]>()
            for outputs in disjunctsPerBox[b] {
                let conjunction = distinctConstraints(baseOutputs + outputs, canonical)
                if conjunction.isEmpty {
                    // An empty conjunction is true: the whole box is unsafe.
                    disjuncts = [[]]
                    break
                }
                if seenDisjuncts.insert(conjunction).inserted { disjuncts.append(conjunction) }
            }
            cases.append(
                SpecCase(
                    box: InputBox(lower: boxes[b].lower, upper: boxes[b].upper),
                    disjuncts: disjuncts.map { $0.map { constraints[$0] } },
                    inputConstraints: inputConstraints(boxes[b].linear)))
        }
        return cases
    }

    /// Dense constraints, one per distinct output atom, and for each atom id the index of its
    /// constraint (-1 for input atoms), so equal atoms written twice share one constraint.
    /// Throws `tooLarge` before the constraints would hold more than
    /// `VNNLibParser.maximumConstraintCoefficients` coefficients.
    private func distinctOutputConstraints() throws(VNNLibError) -> (constraints: [LinearConstraint], canonical: [Int]) {
        var constraints: [LinearConstraint] = []
        var canonical = Array(repeating: -1, count: atoms.count)
        var indexOfConstraint: [LinearConstraint: Int] = [:]
        for (id, atom) in atoms.enumerated() {
            guard case .output(let e, let isStrict, let offset) = atom else { continue }
            // Each distinct constraint is dense: its size is the output count, however short the atom.
            if (constraints.count + 1).multipliedReportingOverflow(by: outputCount).partialValue
                > VNNLibParser.maximumConstraintCoefficients {
                throw source.error(
                    .tooLarge,
                    "specification too large: \(constraints.count + 1) distinct output constraints over \(outputCount) "
                        + "outputs exceed \(VNNLibParser.maximumConstraintCoefficients) coefficients", at: offset)
            }
            var coefficients = Array(repeating: 0.0, count: outputCount)
            for t in e.terms { coefficients[t.variable.index] = t.coefficient }
            let c = LinearConstraint(coefficients: coefficients, constant: e.constant, isStrict: isStrict)
            if let k = indexOfConstraint[c] {
                canonical[id] = k
            } else {
                indexOfConstraint[c] = constraints.count
                canonical[id] = constraints.count
                constraints.append(c)
            }
        }
        return (constraints, canonical)
    }

    /// The distinct boxes of the DNF terms with, per box, the output atoms of each of its terms,
    /// and the output atoms shared by all terms. Throws `tooLarge` before the distinct boxes would
    /// hold more than `VNNLibParser.maximumBoxValues` bounds.
    private func groupByBox(
        _ dnf: DisjunctiveNormalForm
    ) throws(VNNLibError) -> (boxes: [BoxBuilder], disjunctsPerBox: [[[Int]]], baseOutputs: [Int]) {
        var base = BoxBuilder(inputCount: inputCount)
        var baseOutputs: [Int] = []
        for id in dnf.common {
            if isInput(id) { apply(id, to: &base) } else { baseOutputs.append(id) }
        }

        // Terms with the same set of input atoms have the same box: compute each box once.
        var groupOfInputs: [[Int]: Int] = [:]
        var groups: [(inputs: [Int], terms: [[Int]])] = []
        for term in dnf.terms {
            var inputs: [Int] = []
            var outputs: [Int] = []
            for id in term {
                if isInput(id) { inputs.append(id) } else { outputs.append(id) }
            }
            inputs.sort()
            var distinct: [Int] = []
            for id in inputs where distinct.last != id { distinct.append(id) }
            if let g = groupOfInputs[distinct] {
                groups[g].terms.append(outputs)
            } else {
                groupOfInputs[distinct] = groups.count
                groups.append((distinct, [outputs]))
            }
        }

        // Different input atoms may still give equal boxes: merge those groups.
        var boxes: [BoxBuilder] = []
        var disjunctsPerBox: [[[Int]]] = []
        var boxIndex: [BoxKey: Int] = [:]
        for group in groups {
            var box = base
            for id in group.inputs { apply(id, to: &box) }
            let key = BoxKey(lower: box.lower, upper: box.upper, linear: box.linear)
            if let b = boxIndex[key] {
                disjunctsPerBox[b] += group.terms
            } else {
                if (boxes.count + 1) * inputCount > VNNLibParser.maximumBoxValues {
                    var offset = 0
                    if let id = group.inputs.first, case .inputBound(_, _, _, let at) = atoms[id] { offset = at }
                    throw source.error(
                        .tooLarge,
                        "specification too large: \(boxes.count + 1) distinct input regions over \(inputCount) inputs "
                            + "exceed \(VNNLibParser.maximumBoxValues) bounds", at: offset)
                }
                boxIndex[key] = boxes.count
                boxes.append(box)
                disjunctsPerBox.append(group.terms)
            }
        }
        return (boxes, disjunctsPerBox, baseOutputs)
    }

    /// Constraint indices of the output atoms `ids`, without repeats, in order of first appearance.
    private func distinctConstraints(_ ids: [Int], _ canonical: [Int]) -> [Int] {
        var result: [Int] = []
        result.reserveCapacity(ids.count)
        if ids.count <= 16 {
            for id in ids where !result.contains(canonical[id]) { result.append(canonical[id]) }
        } else {
            var seen = Set<Int>()
            for id in ids where seen.insert(canonical[id]).inserted { result.append(canonical[id]) }
        }
        return result
    }

    private func checkBounds(_ box: BoxBuilder, caseNumber: Int, caseCount: Int) throws(VNNLibError) {
        let region = caseCount > 1 ? " in input region \(caseNumber) of \(caseCount)" : ""
        for i in 0..<inputCount {
            for (isUpper, value) in [(false, box.lower[i]), (true, box.upper[i])] where !value.isFinite {
                let n = name(i)
                throw source.error(
                    .missingBound,
                    "missing bound: \(n) has no \(isUpper ? "upper" : "lower") bound\(region) "
                        + "(every input needs (assert (>= \(n) lower)) and (assert (<= \(n) upper)))",
                    at: declaration(i))
            }
        }
    }

    /// The error for a spec whose every box is empty, placed at the later of the two bounds
    /// that conflict first in the first box.
    private func emptyInputSetError(_ box: BoxBuilder) -> VNNLibError {
        let i = box.lower.indices.first { box.lower[$0] > box.upper[$0] } ?? 0
        return source.error(
            .emptyInputSet,
            "empty input set: \(name(i)) >= \(box.lower[i]) contradicts \(name(i)) <= \(box.upper[i])",
            at: max(box.lowerOffset[i], box.upperOffset[i]))
    }
}
