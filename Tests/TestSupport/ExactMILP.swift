import Bounds
import LinearAlgebra
import LP
import NNGraph
import VNNLib

/// Exact ground truth for small piecewise-linear networks: the minimum of a specification case's
/// violation margin over its box, by a mixed-integer program (big-M ReLU encoding with IBP bounds)
/// solved by GLPK. LeakyReLU, Abs and Clip are written here with ReLUs by their textbook identities
/// (`αz + (1 − α)relu(z)`, `relu(z) + relu(−z)`, `lo + relu(z − lo) − relu(z − hi)`), independently of
/// the verifier's own encoding. Independent of CROWN and branch-and-bound, so tests can compare
/// verdicts with it.
public enum ExactMILP {
    public enum Failure: Error { case unsupported(String), solver(String) }

    /// `min over x in the case's region (box and linear input constraints) of min_k max_i (c_ki · y(x) + d_ki)`;
    /// the case is violated iff this is `<= 0` (strict constraints read as non-strict). `signs` restricts `x`
    /// further to where each given neuron of a value is `>= 0` (active) or `<= 0` (`.infinity` when no such
    /// `x` exists).
    public static func minimumMargin(_ network: Network, _ specCase: SpecCase,
                                     signs: [(value: ValueID, neuron: Int, active: Bool)] = []) throws -> Double {
        var best = Double.infinity
        for conj in specCase.disjuncts {
            best = min(best, try disjunctMinimum(network, box: specCase.box, constraints: conj,
                                                 inputConstraints: specCase.inputConstraints, signs: signs))
        }
        return best
    }

    static func disjunctMinimum(_ network: Network, box: InputBox, constraints: [LinearConstraint],
                                inputConstraints: [LinearConstraint] = [],
                                signs: [(value: ValueID, neuron: Int, active: Bool)] = []) throws -> Double {
        if constraints.isEmpty { return -.infinity }
        let ibp = intervalBounds(network, input: box.intervalBatch)
        var lp = LinearProgram(sense: .minimise)
        var vars = [[Int]]()
        vars.append((0..<network.inputSize).map { lp.addVariable(lower: box.lower[$0], upper: box.upper[$0]) })
        // Linear input constraints (VNN-LIB 2.0 couplings) as rows: the region is box ∩ constraints.
        for c in inputConstraints {
            let terms = c.coefficients.indices.filter { c.coefficients[$0] != 0 }.map { (variable: vars[0][$0], coefficient: c.coefficients[$0]) }
            if !terms.isEmpty { lp.addConstraint(terms, upper: -c.constant) }
        }
        for (i, node) in network.nodes.enumerated() {
            let n = node.op.outputSize
            let out = (0..<n).map { j in lp.addVariable(lower: ibp[i + 1].lower[0, j], upper: ibp[i + 1].upper[0, j]) }
            switch node.op {
            case let a as Affine:
                for j in 0..<n {
                    var terms = [(variable: Int, coefficient: Double)]()
                    for k in 0..<a.weight.cols where a.weight[j, k] != 0 { terms.append((vars[node.inputs[0]][k], a.weight[j, k])) }
                    terms.append((out[j], -1))
                    lp.addConstraint(terms, equals: -a.bias[j])
                }
            case let e as ElementwiseAffine:
                for j in 0..<n { lp.addConstraint([(vars[node.inputs[0]][j], e.scale[j]), (out[j], -1)], equals: -e.shift[j]) }
            case let c as LinearCombination:
                for j in 0..<n {
                    var terms = zip(node.inputs, c.weights).map { (variable: vars[$0.0][j], coefficient: $0.1) }
                    terms.append((out[j], -1))
                    lp.addConstraint(terms, equals: 0)
                }
            case is Reshape:
                for j in 0..<n { lp.addConstraint([(vars[node.inputs[0]][j], 1), (out[j], -1)], equals: 0) }
            case let s as Selection:
                for j in 0..<n { lp.addConstraint([(vars[node.inputs[0]][s.indices[j]], 1), (out[j], -1)], equals: 0) }
            case let c as Concatenation where c.outer == 1 && c.parts.allSatisfy({ if case .input = $0 { true } else { false } }):
                // Outer size 1: the inputs one after another (the product network's joint output).
                let joined = node.inputs.flatMap { vars[$0] }
                for j in 0..<n { lp.addConstraint([(joined[j], 1), (out[j], -1)], equals: 0) }
            case is ReLU:
                let pre = ibp[node.inputs[0]]
                for j in 0..<n {
                    let r = relu(&lp, vars[node.inputs[0]][j], shift: 0, l: pre.lower[0, j], u: pre.upper[0, j])
                    lp.addConstraint([(r, 1), (out[j], -1)], equals: 0)
                }
            case let leaky as LeakyReLU:
                let pre = ibp[node.inputs[0]]
                for j in 0..<n {
                    let z = vars[node.inputs[0]][j]
                    let r = relu(&lp, z, shift: 0, l: pre.lower[0, j], u: pre.upper[0, j])
                    lp.addConstraint([(z, leaky.alpha), (r, 1 - leaky.alpha), (out[j], -1)], equals: 0)
                }
            case is Abs:
                let pre = ibp[node.inputs[0]]
                for j in 0..<n {
                    let z = vars[node.inputs[0]][j]
                    let minus = lp.addVariable(lower: -pre.upper[0, j], upper: -pre.lower[0, j])
                    lp.addConstraint([(z, 1), (minus, 1)], equals: 0)
                    let a = relu(&lp, z, shift: 0, l: pre.lower[0, j], u: pre.upper[0, j])
                    let b = relu(&lp, minus, shift: 0, l: -pre.upper[0, j], u: -pre.lower[0, j])
                    lp.addConstraint([(a, 1), (b, 1), (out[j], -1)], equals: 0)
                }
            case let clip as Clip where clip.lower != nil && clip.upper != nil:
                guard let lo = clip.lower, let hi = clip.upper, lo < hi else { throw Failure.unsupported("Clip with lower >= upper") }
                let pre = ibp[node.inputs[0]]
                for j in 0..<n {
                    let z = vars[node.inputs[0]][j]
                    let a = relu(&lp, z, shift: lo, l: pre.lower[0, j], u: pre.upper[0, j])
                    let b = relu(&lp, z, shift: hi, l: pre.lower[0, j], u: pre.upper[0, j])
                    lp.addConstraint([(a, 1), (b, -1), (out[j], -1)], equals: -lo)
                }
            case let clip as Clip:
                // One bound: max(z, lo) = lo + relu(z - lo), min(z, hi) = z - relu(z - hi).
                let pre = ibp[node.inputs[0]]
                for j in 0..<n {
                    let z = vars[node.inputs[0]][j]
                    if let lo = clip.lower {
                        let a = relu(&lp, z, shift: lo, l: pre.lower[0, j], u: pre.upper[0, j])
                        lp.addConstraint([(a, 1), (out[j], -1)], equals: -lo)
                    } else if let hi = clip.upper {
                        let b = relu(&lp, z, shift: hi, l: pre.lower[0, j], u: pre.upper[0, j])
                        lp.addConstraint([(z, 1), (b, -1), (out[j], -1)], equals: 0)
                    }
                }
            default:
                throw Failure.unsupported(node.op.kind)
            }
            vars.append(out)
        }
        for s in signs {
            if s.active { lp.addConstraint([(vars[s.value][s.neuron], 1)], lower: 0) } else { lp.addConstraint([(vars[s.value][s.neuron], 1)], upper: 0) }
        }
        let t = lp.addVariable(lower: -.infinity, upper: .infinity, objective: 1)
        for c in constraints {
            var terms = [(variable: Int, coefficient: Double)]()
            for (j, w) in c.coefficients.enumerated() where w != 0 { terms.append((vars[network.output][j], w)) }
            terms.append((t, -1))
            lp.addConstraint(terms, upper: -c.constant)  // c·y + d <= t
        }
        switch try lp.solveMILP() {
        case .optimal(let objective, _): return objective
        case .infeasible: return .infinity
        default: throw Failure.solver("MILP did not solve to optimality")
        }
    }

    /// A variable equal to `relu(z − shift)` where `z ∈ [l, u]` (big-M with one binary when unstable).
    static func relu(_ lp: inout LinearProgram, _ z: Int, shift: Double, l: Double, u: Double) -> Int {
        let (lo, hi) = (l - shift, u - shift)
        let y = lp.addVariable(lower: 0, upper: max(hi, 0))
        if lo >= 0 {
            lp.addConstraint([(z, 1), (y, -1)], equals: shift)
        } else if hi <= 0 {
            lp.addConstraint([(y, 1)], equals: 0)
        } else {
            let delta = lp.addBinaryVariable()
            lp.addConstraint([(y, 1), (z, -1)], lower: -shift)
            lp.addConstraint([(y, 1), (z, -1), (delta, -lo)], upper: -lo - shift)  // y <= z - shift - lo (1 - δ)
            lp.addConstraint([(y, 1), (delta, -hi)], upper: 0)                     // y <= hi δ
        }
        return y
    }
}
