import LinearAlgebra
import NNGraph

extension Network {
    /// One network that runs `parts` side by side: its input is the concatenation of their inputs
    /// (the joint input of a VNN-LIB 2.0 query, first network first) and its output the
    /// concatenation of their outputs. Each part reads its slice of the joint input through a
    /// ``Selection`` and keeps its own nodes (operators are values: parts that are the same
    /// network, as for `equal-to`, share their weight storage); a ``Concatenation`` joins the outputs.
    /// Every method that bounds one network bounds the product, and bounds of the product are
    /// exactly the bounds of the parts over their slices, so soundness carries over.
    /// `exposed[k]` lists values of part `k` (hidden nodes of a VNN-LIB 2.0 query) appended to the
    /// joint output after all parts' outputs, in order, so that constraints on them are output
    /// constraints. A single part with nothing exposed is returned unchanged.
    public static func product(_ parts: [Network], exposing exposed: [[ValueID]] = []) throws -> Network {
        precondition(!parts.isEmpty, "product of no networks")
        precondition(exposed.isEmpty || exposed.count == parts.count, "one exposed list per part")
        if parts.count == 1 && exposed.allSatisfy(\.isEmpty) { return parts[0] }
        let total = parts.reduce(0) { $0 + $1.inputSize }
        var nodes: [Node] = []
        var outputs: [ValueID] = []
        var offset = 0
        for (k, part) in parts.enumerated() {
            let slice = Selection(inputSize: total, indices: Array(offset..<(offset + part.inputSize)))
            nodes.append(Node(name: "network \(k + 1) input", op: slice, inputs: [0], shape: part.inputShape))
            let base = nodes.count  // the value the selection produces; part value v becomes base + v
            for node in part.nodes {
                nodes.append(Node(name: node.name, op: node.op, inputs: node.inputs.map { base + $0 }, shape: node.shape))
            }
            outputs.append(base + part.output)
            offset += part.inputSize
        }
        var sizes = parts.map(\.outputSize)
        var partBase = 1  // the value of part k's input selection
        for (k, part) in parts.enumerated() {
            for v in exposed.isEmpty ? [] : exposed[k] {
                outputs.append(partBase + v)
                sizes.append(part.size(of: v))
            }
            partBase += part.nodes.count + 1
        }
        let join = Concatenation(outer: 1, parts: sizes.map { .input(blockSize: $0) })
        nodes.append(Node(name: "joint output", op: join, inputs: outputs, shape: [sizes.reduce(0, +)]))
        return try Network(inputName: "joint input", inputShape: [total], outputName: "joint output",
                           nodes: nodes, output: nodes.count)
    }
}
