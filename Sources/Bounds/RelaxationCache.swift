import LinearAlgebra
import NNGraph

/// Which relaxation a backward pass uses at activations: the operators' fixed lines (one of their
/// variants), or per-row parameters chosen by bound optimisation (nodes without parameters use
/// their fixed variant-0 lines).
enum LineChoice {
    case fixed(variant: Int)
    case parameterised(BoundParameters)
}

/// Fixed relaxation lines are cached per activation node and variant; families and parameters are
/// keyed by the node index alone.
struct RelaxationKey: Hashable {
    let node: Int
    let variant: Int
}

extension CROWN {
    /// What the operators supply for one bound computation, computed once: fixed lines with their
    /// defects, line families, outward value intervals and linear operators' rounding images. Valid
    /// while the input boxes and the bounds of values already covered stay the same (bounds are
    /// only ever added for later values).
    struct RelaxationCache {
        var fixed = [RelaxationKey: (lines: RelaxationArrays, defects: (lower: [Double], upper: [Double]), finite: Bool)]()
        /// Activation node → its line family on the node's bounds (nil: the operator has none).
        var families = [Int: (any LineFamily)?]()
        /// Outward intervals of values `0 ..< intervals.count` (index = value id).
        var intervals = [IntervalMatrix]()
        var magnitudes = [Matrix]()
        /// Per value, whether every entry of its magnitudes is finite (the activation step's fast path needs it).
        var finiteMagnitudes = [Bool]()
        var linearImage = [Int: Matrix]()
        /// Linear node → the ledger's weights and per-domain constants for its pull-back in single precision
        /// (the double-precision image plus ``SingleProductError/terms(_:image:inputMagnitudes:)``); nil
        /// where that model does not apply.
        var singleImage = [Int: (weights: Matrix, constant: [Double])?]()

        /// Extends the value intervals through value `last` (each intersected with `bounds`).
        mutating func cover(through last: ValueID, network: Network, input: IntervalMatrix,
                            bounds: [ValueID: IntervalMatrix]) {
            if intervals.isEmpty {
                intervals.append(input)
                magnitudes.append(RoundingError.magnitude(input))
                finiteMagnitudes.append(CROWN.allFinite(magnitudes[0].data))
            }
            while intervals.count <= last {
                let node = network.nodes[intervals.count - 1]
                let (image, error) = RoundingError.outwardIntervalAndImage(node.op, node.inputs.map { intervals[$0] })
                if let error { linearImage[intervals.count - 1] = error }
                var out = image
                if let known = bounds[intervals.count], known.rows == out.rows { out = out.intersected(with: known) }
                intervals.append(out)
                magnitudes.append(RoundingError.magnitude(out))
                finiteMagnitudes.append(CROWN.allFinite(magnitudes[magnitudes.count - 1].data))
            }
        }

        /// The rounding image of linear node `i` (its inputs must be covered).
        mutating func image(ofNode i: Int, network: Network) -> Matrix {
            if let w = linearImage[i] { return w }
            let node = network.nodes[i]
            let w = RoundingError.linearImageError(node.op, inputMagnitudes: node.inputs.map { magnitudes[$0] })
            linearImage[i] = w
            return w
        }

        /// The ledger's terms for a single-precision pull-back through linear node `i` with one input (covered).
        mutating func singleImage(ofNode i: Int, network: Network) -> (weights: Matrix, constant: [Double])? {
            if let hit = singleImage[i] { return hit }
            let node = network.nodes[i]
            let image = image(ofNode: i, network: network)
            var entry: (weights: Matrix, constant: [Double])?
            if node.inputs.count == 1,
               let single = SingleProductError.terms(node.op, image: image, inputMagnitudes: magnitudes[node.inputs[0]]) {
                var weights = single.weights
                weights.add(image)
                entry = (weights, single.constant)
            }
            singleImage[i] = entry
            return entry
        }

        /// The fixed lines of activation node `i` (variant clamped to what it offers), their defects, and
        /// whether all of these are finite (computed once per node and variant, not per backward step).
        mutating func fixedLines(node i: Int, _ act: any ElementwiseActivation, variant: Int, pre: IntervalMatrix)
            -> (lines: RelaxationArrays, defects: (lower: [Double], upper: [Double]), finite: Bool) {
            let key = RelaxationKey(node: i, variant: min(variant, act.relaxationVariants - 1))
            if let hit = fixed[key] { return hit }
            let rx = act.relaxations(lower: pre.lower.data, upper: pre.upper.data, variant: key.variant)
            let defects = act.lineDefects(lower: pre.lower.data, upper: pre.upper.data, relaxation: rx)
            let finite = CROWN.allFinite(rx.lowerSlope, rx.lowerIntercept, rx.upperSlope, rx.upperIntercept,
                                         defects.lower, defects.upper)
            let entry = (rx, defects, finite)
            fixed[key] = entry
            return entry
        }

        /// The line family of activation node `i` on its bounds, if the operator has one.
        mutating func family(node i: Int, _ act: any ElementwiseActivation, pre: IntervalMatrix) -> (any LineFamily)? {
            if let hit = families[i] { return hit }
            let f = act.lineFamily(lower: pre.lower.data, upper: pre.upper.data)
            families[i] = f
            return f
        }
    }
}
