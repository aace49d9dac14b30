import Bounds
import LinearAlgebra
import NNGraph
import VNNLib

/// Bounds on hidden nodes (VNN-LIB 2.0 `declare-hidden`) made part of the network that every bound
/// method sees.
///
/// A query asks for an input `x` whose hidden values `h(x)` and outputs satisfy the constraints;
/// where every clause of every case bounds a hidden element, `a_k <= h_k(x) <= b_k` holds at every
/// such `x` (a and b are the loosest of those bounds: the hull over clauses and cases). The search
/// network replaces `h` for its consumers by `clamp(h, a, b)`, built from exact steps:
///
///     h' = max(h - a, 0) + a          (lower side)
///     h'' = min(h' - b, 0) + b        (upper side)
///
/// (``ElementwiseAffine`` with scale 1 and the constants themselves as shifts, then a ``Clip`` at 0),
/// so in exact arithmetic `h'' = h` whenever `a <= h <= b`: on the feasible inputs the search network
/// computes exactly what the product network computes, and every bound of it over the input box is a
/// bound of the query over its feasible inputs. Interval propagation intersects the bounds of `h`
/// with `[a, b]` before they reach later layers, CROWN and the LP relax the clip (a piecewise-linear
/// activation) on the narrowed interval, the MILP encodes it exactly, and the activation split may
/// branch on it. The exposed hidden outputs (and so the spec rows on them) still read `h` itself.
/// Sides no clause bounds use the interval bound of `h` over the cases' box hull (a clamp that never
/// acts); an element whose interval already lies inside `[a, b]`, or whose side is not finite, adds
/// nothing. A witness of the search network is re-validated on the product network.
enum HiddenClamps {
    /// The search network, or nil when no clause bounds a hidden element.
    static func network(_ network: Network, specification spec: Specification, hiddenBase: Int) -> Network? {
        guard network.output > 0, hiddenBase < spec.outputCount,
              network.nodes[network.output - 1].op is Concatenation else { return nil }
        let joint = network.nodes[network.output - 1].inputs
        let (lower, upper) = bounds(spec, hiddenBase: hiddenBase)
        guard lower.contains(where: { $0.isFinite }) || upper.contains(where: { $0.isFinite }) else { return nil }
        let hull = boxHull(spec)
        let ibp = intervalBounds(network, input: IntervalMatrix(lower: Matrix(rows: 1, cols: hull.lower.count, data: hull.lower),
                                                                upper: Matrix(rows: 1, cols: hull.upper.count, data: hull.upper)))
        // Each hidden value of the joint output with its element offset among the hidden values.
        var clamps: [ValueID: (lower: [Double]?, upper: [Double]?)] = [:]
        var offset = 0
        for v in joint {
            let n = network.size(of: v)
            defer { offset += n }
            guard offset >= hiddenBase, v > 0 else { continue }
            let k = offset - hiddenBase
            let (lo, hi) = (ibp[v].lower.data, ibp[v].upper.data)
            let a = Array(lower[k..<(k + n)]), b = Array(upper[k..<(k + n)])
            let lowerSide = side(a, lo, hi, acts: { $0 > $1 }, interval: lo)
            let upperSide = side(b, lo, hi, acts: { $0 < $1 }, interval: hi)
            if lowerSide != nil || upperSide != nil {
                let earlier = clamps[v]
                clamps[v] = (tighter(earlier?.lower, lowerSide, max), tighter(earlier?.upper, upperSide, min))
            }
        }
        guard !clamps.isEmpty else { return nil }
        return try? rewired(network, clamps: clamps)
    }

    /// Per element, the clamp constants of one side: the spec bound where given, the interval end
    /// elsewhere; nil when the spec bound nowhere cuts the interval or some end is not finite.
    private static func side(_ bound: [Double], _ lo: [Double], _ hi: [Double], acts: (Double, Double) -> Bool,
                             interval: [Double]) -> [Double]? {
        var cuts = false
        var result = [Double]()
        for j in bound.indices {
            guard lo[j].isFinite, hi[j].isFinite, lo[j] <= hi[j] else { return nil }
            if bound[j].isFinite && acts(bound[j], interval[j]) {
                cuts = true
                result.append(bound[j])
            } else {
                result.append(interval[j])
            }
        }
        return cuts ? result : nil
    }

    private static func tighter(_ a: [Double]?, _ b: [Double]?, _ pick: (Double, Double) -> Double) -> [Double]? {
        guard let a else { return b }
        guard let b else { return a }
        return zip(a, b).map { pick($0, $1) }
    }

    /// Per hidden element, the loosest lower and upper bound that every clause of every case implies
    /// by a constraint on that element alone (`-inf` / `+inf` where some clause implies none).
    /// Strict constraints count as non-strict (a superset). A bound `-d / c` is moved one ulp outward,
    /// so the clamp never cuts a feasible point through the rounding of that division.
    static func bounds(_ spec: Specification, hiddenBase: Int) -> (lower: [Double], upper: [Double]) {
        let n = spec.outputCount - hiddenBase
        var hullLower = [Double](repeating: .infinity, count: n), hullUpper = [Double](repeating: -.infinity, count: n)
        for specCase in spec.cases {
            for clause in specCase.disjuncts {
                var lower = [Double](repeating: -.infinity, count: n), upper = [Double](repeating: .infinity, count: n)
                for c in clause {
                    let nonZero = c.coefficients.indices.filter { c.coefficients[$0] != 0 }
                    guard nonZero.count == 1, nonZero[0] >= hiddenBase else { continue }
                    let j = nonZero[0], k = j - hiddenBase, coefficient = c.coefficients[j]
                    let exact = coefficient == 1 || coefficient == -1
                    let value = -c.constant / coefficient
                    if coefficient > 0 {
                        upper[k] = min(upper[k], exact ? value : value.nextUp)
                    } else {
                        lower[k] = max(lower[k], exact ? value : value.nextDown)
                    }
                }
                for k in 0..<n {
                    hullLower[k] = min(hullLower[k], lower[k])
                    hullUpper[k] = max(hullUpper[k], upper[k])
                }
            }
        }
        // No clause at all: no information.
        for k in 0..<n where hullLower[k] > hullUpper[k] && hullLower[k] == .infinity { hullLower[k] = -.infinity; hullUpper[k] = .infinity }
        return (hullLower, hullUpper)
    }

    /// The smallest box holding every case's box.
    private static func boxHull(_ spec: Specification) -> InputBox {
        var box = InputBox(lower: [Double](repeating: .infinity, count: spec.inputCount),
                           upper: [Double](repeating: -.infinity, count: spec.inputCount))
        for c in spec.cases {
            for i in 0..<spec.inputCount {
                box.lower[i] = min(box.lower[i], c.box.lower[i])
                box.upper[i] = max(box.upper[i], c.box.upper[i])
            }
        }
        return box
    }

    /// `network` with every consumer of a clamped value, except the joint output, reading its clamp.
    private static func rewired(_ network: Network, clamps: [ValueID: (lower: [Double]?, upper: [Double]?)]) throws -> Network {
        var nodes: [Node] = []
        var plain = [ValueID](repeating: 0, count: network.nodes.count + 1)  // old value -> new value
        var read = plain  // old value -> the value its consumers read
        func add(_ name: String, _ op: any Operator, _ input: ValueID, _ shape: [Int]) -> ValueID {
            nodes.append(Node(name: name, op: op, inputs: [input], shape: shape))
            return nodes.count
        }
        for (i, node) in network.nodes.enumerated() {
            let v = i + 1
            let isJoint = v == network.output
            nodes.append(Node(name: node.name, op: node.op, inputs: node.inputs.map { isJoint ? plain[$0] : read[$0] }, shape: node.shape))
            plain[v] = nodes.count
            read[v] = nodes.count
            guard let clamp = clamps[v] else { continue }
            let n = node.op.outputSize, ones = [Double](repeating: 1, count: n)
            var current = read[v]
            if let a = clamp.lower {
                current = add("\(node.name)/hidden lower", ElementwiseAffine(scale: ones, shift: a.map { -$0 }), current, node.shape)
                current = add("\(node.name)/hidden lower clip", Clip(size: n, lower: 0, upper: nil), current, node.shape)
                current = add("\(node.name)/hidden lower back", ElementwiseAffine(scale: ones, shift: a), current, node.shape)
            }
            if let b = clamp.upper {
                current = add("\(node.name)/hidden upper", ElementwiseAffine(scale: ones, shift: b.map { -$0 }), current, node.shape)
                current = add("\(node.name)/hidden upper clip", Clip(size: n, lower: nil, upper: 0), current, node.shape)
                current = add("\(node.name)/hidden upper back", ElementwiseAffine(scale: ones, shift: b), current, node.shape)
            }
            read[v] = current
        }
        return try Network(inputName: network.inputName, inputShape: network.inputShape, outputName: network.outputName,
                           nodes: nodes, output: plain[network.output])
    }
}
