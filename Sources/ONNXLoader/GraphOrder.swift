import ONNXProto

/// Orders the nodes of an ONNX graph so that every value is defined before it is used.
///
/// ONNX requires nodes in topological order, and the file order is kept when it is one. Otherwise the
/// nodes are sorted (Kahn's algorithm, ready nodes in file order). Values read but never defined, values
/// defined twice, and cycles are errors.
enum GraphOrder {
    /// Node indices in an order that defines every value before its use.
    /// - Parameter predefined: names defined before any node runs (initializers and graph inputs).
    static func sorted(_ nodes: [Onnx_NodeProto], predefined: Set<String>, file: String,
                       reference: (Onnx_NodeProto) -> NodeReference) throws(ONNXError) -> [Int] {
        // Which node defines each value.
        var producer: [String: Int] = [:]
        for (i, node) in nodes.enumerated() {
            for name in node.output where !name.isEmpty {
                if predefined.contains(name) || producer[name] != nil {
                    throw .duplicateValue(file: file, value: name, node: reference(node))
                }
                producer[name] = i
            }
        }
        // Dependencies; every input must be defined somewhere.
        var dependencies = [[Int]](repeating: [], count: nodes.count)
        var inFileOrder = true
        for (i, node) in nodes.enumerated() {
            for name in node.input where !name.isEmpty && !predefined.contains(name) {
                guard let p = producer[name] else {
                    throw .unknownValue(file: file, node: reference(node), value: name)
                }
                dependencies[i].append(p)
                if p >= i { inFileOrder = false }
            }
        }
        if inFileOrder { return Array(nodes.indices) }

        var pending = dependencies.map(\.count)
        var dependents = [[Int]](repeating: [], count: nodes.count)
        for (i, deps) in dependencies.enumerated() { for p in deps { dependents[p].append(i) } }
        var order: [Int] = []
        order.reserveCapacity(nodes.count)
        var ready = nodes.indices.filter { pending[$0] == 0 }
        var head = 0
        while head < ready.count {
            let i = ready[head]
            head += 1
            order.append(i)
            for d in dependents[i] {
                pending[d] -= 1
                if pending[d] == 0 { ready.append(d) }
            }
        }
        guard order.count == nodes.count else {
            let stuck = nodes.indices.filter { pending[$0] > 0 }.map { reference(nodes[$0]) }
            throw .cycle(file: file, nodes: stuck)
        }
        return order
    }
}
