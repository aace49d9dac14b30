import Bounds
import LinearAlgebra
import LP
import NNGraph
import TestSupport
import VNNLib

/// Sampled values of a network on a box: `values[v]` has one row per sample.
struct Sampled {
    let inputs: Matrix
    let values: [Matrix]

    init(_ network: Network, box: InputBox, count: Int, using rng: inout SeededGenerator) {
        inputs = RandomNetworks.samples(of: box, count: count, using: &rng)
        values = network.evaluateAll(inputs)
    }

    var count: Int { inputs.rows }

    /// Row `r` of the network output.
    func output(_ r: Int, _ network: Network) -> [Double] { values[network.output].row(r) }
}

/// Values that feed an activation.
func activationInputs(_ network: Network) -> [ValueID] {
    Set(network.nodes.compactMap { $0.op is any ElementwiseActivation ? $0.inputs[0] : nil }).sorted()
}

/// A random objective row over `outputs` values.
func randomRow(_ outputs: Int, using rng: inout SeededGenerator) -> LinearConstraint {
    LinearConstraint(coefficients: (0..<outputs).map { _ in rng.uniform(-1, 1) }, constant: rng.uniform(-0.5, 0.5))
}

/// A network from explicit layers (weights as row vectors), ReLU between them.
func reluNetwork(_ layers: [(weight: [[Double]], bias: [Double])]) -> Network {
    var nodes = [Node]()
    for (i, layer) in layers.enumerated() {
        let op = Affine(weight: Matrix(rowVectors: layer.weight), bias: layer.bias)
        nodes.append(Node(name: "fc\(i)", op: op, inputs: [nodes.count], shape: [op.outputSize]))
        if i < layers.count - 1 {
            nodes.append(Node(name: "relu\(i)", op: ReLU(size: op.outputSize), inputs: [nodes.count], shape: [op.outputSize]))
        }
    }
    return try! Network(inputName: "x", inputShape: [layers[0].weight[0].count], outputName: "y",
                        nodes: nodes, output: nodes.count)
}

/// Exact minimum over `box` of `max_k row_k(y(x))` for an MLP of Affine and ReLU nodes, by enumerating
/// the activation patterns of the neurons that interval bounds leave unstable: per pattern, one LP
/// with the pattern's sign constraints (`z ≥ 0, y = z` or `z ≤ 0, y = 0`), which is exact on the
/// pattern's region. Independent of LPBounds. Returns the minimum and the number of LPs solved.
func bruteForceMinimum(_ network: Network, box: InputBox, rows: [LinearConstraint]) throws -> (value: Double, lps: Int) {
    let ibp = intervalBounds(network, input: box.intervalBatch)
    var unstable = [(value: ValueID, neuron: Int)]()
    for node in network.nodes where node.op is ReLU {
        let v = node.inputs[0], n = network.size(of: v)
        for j in 0..<n where ibp[v].lower[0, j] < 0 && ibp[v].upper[0, j] > 0 { unstable.append((v, j)) }
    }
    var best = Double.infinity
    var lps = 0
    for mask in 0..<(1 << unstable.count) {
        var active = [ValueID: [Int: Bool]]()
        for (bit, u) in unstable.enumerated() { active[u.value, default: [:]][u.neuron] = mask & (1 << bit) != 0 }
        var lp = LinearProgram(sense: .minimise)
        var vars = [(0..<network.inputSize).map { lp.addVariable(lower: box.lower[$0], upper: box.upper[$0]) }]
        for node in network.nodes {
            let n = node.op.outputSize
            let out = (0..<n).map { _ in lp.addVariable(lower: -.infinity, upper: .infinity) }
            let input = vars[node.inputs[0]]
            if let a = node.op as? Affine {
                for j in 0..<n {
                    var terms = (0..<a.weight.cols).map { (variable: input[$0], coefficient: a.weight[j, $0]) }
                    terms.append((out[j], -1))
                    lp.addConstraint(terms, equals: -a.bias[j])
                }
            } else {
                let v = node.inputs[0]
                for j in 0..<n {
                    let on = active[v]?[j] ?? (ibp[v].lower[0, j] >= 0)
                    if on {
                        lp.addConstraint([(input[j], 1)], lower: 0)
                        lp.addConstraint([(input[j], 1), (out[j], -1)], equals: 0)
                    } else {
                        lp.addConstraint([(input[j], 1)], upper: 0)
                        lp.addConstraint([(out[j], 1)], equals: 0)
                    }
                }
            }
            vars.append(out)
        }
        let t = lp.addVariable(lower: -.infinity, upper: .infinity, objective: 1)
        for row in rows {
            var terms = row.coefficients.enumerated().map { (variable: vars[network.output][$0.offset], coefficient: $0.element) }
            terms.append((t, -1))
            lp.addConstraint(terms, upper: -row.constant)
        }
        lps += 1
        if case .optimal(let value, _) = try lp.solve() { best = min(best, value) }
    }
    return (best, lps)
}

/// The spec case "every row <= 0" (one disjunct).
func oneDisjunct(_ rows: [LinearConstraint], box: InputBox) -> SpecCase {
    SpecCase(box: box, disjuncts: [rows])
}
