import NNGraph
import VNNLib

/// Elimination of copied inputs: VNN-LIB 2.0 queries over several networks tie inputs together
/// with `(== X_f[i] X_g[i])`. When every case holds both `x_a - x_b <= 0` and `x_b - x_a <= 0`
/// (non-strict), `x_b` is replaced by `x_a`: the search runs over the free inputs `z` only, through
/// a network that first copies each free input to its joint positions (``Selection`` may repeat
/// indices). Substituting an equality that holds on the whole input region changes neither the set
/// of reachable outputs nor any verdict, and unlike a bounding box it keeps the coupling exact, so
/// bounds see that both copies carry the same value.
struct InputEqualities {
    /// For each joint input, the free input that carries its value.
    let representative: [Int]
    /// The number of free inputs.
    let freeCount: Int

    /// The equalities common to all cases, or nil when there are none.
    static func find(in specification: Specification) -> InputEqualities? {
        let n = specification.inputCount
        var pairs: Set<[Int]>? = nil
        for specCase in specification.cases {
            let here = Set(equalityPairs(specCase.inputConstraints))
            pairs = pairs.map { $0.intersection(here) } ?? here
        }
        guard let common = pairs, !common.isEmpty else { return nil }
        var parent = Array(0..<n)
        func root(_ i: Int) -> Int { var i = i; while parent[i] != i { i = parent[i] }; return i }
        for pair in common.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
            let (a, b) = (root(pair[0]), root(pair[1]))
            if a != b { parent[max(a, b)] = min(a, b) }
        }
        let roots = (0..<n).map(root)
        let free = Array(Set(roots)).sorted()
        let position = Dictionary(uniqueKeysWithValues: free.enumerated().map { ($1, $0) })
        return InputEqualities(representative: roots.map { position[$0]! }, freeCount: free.count)
    }

    /// The pairs `[a, b]` (a < b) with both `x_a - x_b <= 0` and `x_b - x_a <= 0` among `constraints`.
    static func equalityPairs(_ constraints: [LinearConstraint]) -> [[Int]] {
        var directed = Set<[Int]>()
        for c in constraints where !c.isStrict && c.constant == 0 {
            let nonZero = c.coefficients.indices.filter { c.coefficients[$0] != 0 }
            guard nonZero.count == 2 else { continue }
            let (i, j) = (nonZero[0], nonZero[1])
            if c.coefficients[i] == 1 && c.coefficients[j] == -1 { directed.insert([i, j]) }
            if c.coefficients[i] == -1 && c.coefficients[j] == 1 { directed.insert([j, i]) }
        }
        return directed.filter { $0[0] < $0[1] && directed.contains([$0[1], $0[0]]) }.map { $0 }
    }

    /// The joint input for free inputs `z`.
    func expand(_ z: [Double]) -> [Double] { representative.map { z[$0] } }

    /// The network over the free inputs: a copy layer, then `network`.
    func network(_ network: Network) throws -> Network {
        var nodes = [Node(name: "copied inputs", op: Selection(inputSize: freeCount, indices: representative),
                          inputs: [0], shape: network.inputShape)]
        for node in network.nodes {
            nodes.append(Node(name: node.name, op: node.op, inputs: node.inputs.map { $0 + 1 }, shape: node.shape))
        }
        return try Network(inputName: "free inputs", inputShape: [freeCount], outputName: network.outputName,
                           nodes: nodes, output: network.output + 1)
    }

    /// The specification over the free inputs: each free input's box is the intersection of the
    /// boxes of the inputs it carries; the other input constraints are rewritten in the free inputs.
    /// A case whose intersection is empty has no input at all and is dropped (nothing is unsafe there).
    func reduce(_ specification: Specification) -> Specification {
        let cases = specification.cases.map { c -> SpecCase in
            var lower = [Double](repeating: -.infinity, count: freeCount)
            var upper = [Double](repeating: .infinity, count: freeCount)
            for (i, r) in representative.enumerated() {
                lower[r] = max(lower[r], c.box.lower[i])
                upper[r] = min(upper[r], c.box.upper[i])
            }
            let constraints = c.inputConstraints.map { k -> LinearConstraint in
                var coefficients = [Double](repeating: 0, count: freeCount)
                for (i, a) in k.coefficients.enumerated() where a != 0 { coefficients[representative[i]] += a }
                return LinearConstraint(coefficients: coefficients, constant: k.constant, isStrict: k.isStrict)
            }.filter { k in k.coefficients.contains { $0 != 0 } || !k.holds([]) }
            return SpecCase(box: InputBox(lower: lower, upper: upper), disjuncts: c.disjuncts, inputConstraints: constraints)
        }.filter { c in zip(c.box.lower, c.box.upper).allSatisfy { $0 <= $1 } }
        return Specification(inputCount: freeCount, outputCount: specification.outputCount, cases: cases)
    }
}

extension Verifier {
    /// Verifies a loaded problem. Hidden-node bounds of a VNN-LIB 2.0 query become clamps in the
    /// network searched (``HiddenClamps``); inputs that the query ties together by equalities are
    /// searched once (``InputEqualities``). A witness of that search is expanded back to the joint
    /// input and validated again on the product network and the original specification before it
    /// is reported.
    public func verify(problem: VerificationProblem) -> VerificationResult {
        let clamped = problem.query.flatMap {
            HiddenClamps.network(problem.network, specification: problem.specification, hiddenBase: $0.outputCount)
        }
        let searched = clamped ?? problem.network
        var equalities = InputEqualities.find(in: problem.specification)
        var network = searched
        if let e = equalities {
            if let reduced = try? e.network(searched) { network = reduced } else { equalities = nil }
        }
        guard clamped != nil || equalities != nil else {
            return verify(network: problem.network, specification: problem.specification)
        }
        var result = verify(network: network, specification: equalities?.reduce(problem.specification) ?? problem.specification)
        guard result.verdict == .sat, let w = result.witness else { return result }
        let x = equalities?.expand(w.input) ?? w.input
        guard var expanded = validateCounterexample(x, network: problem.network, specification: problem.specification) else {
            return VerificationResult(verdict: .unknown, seconds: result.seconds,
                                      decidedBy: "a counterexample of the searched network failed validation on the query's networks",
                                      statistics: result.statistics)
        }
        expanded.float32 = w.float32 == .passes || w.float32 == .passesInFloat32Comparison
            ? float32Status(x, network: problem.network, specification: problem.specification)
            : w.float32
        result.witness = expanded
        return result
    }
}
