import LinearAlgebra
import NNGraph

/// The exact linear map of one ``LinearOperator`` node in sparse row form:
/// `output[j] = Σ_{e in row j} value[e] · input_{slot[e]}[column[e]] + constant[j]`.
struct SparseLinearMap: Sendable {
    /// Row `j` holds entries `rowStart[j] ..< rowStart[j + 1]`.
    var rowStart: [Int]
    /// Which operator input (0 ..< arity) each entry reads.
    var slot: [Int]
    /// The neuron of that input.
    var column: [Int]
    /// The coefficient (nonzero).
    var value: [Double]
    /// The constant term of every output neuron.
    var constant: [Double]

    var outputSize: Int { constant.count }

    /// Entries of output neuron `j`.
    func entries(of j: Int) -> Range<Int> { rowStart[j]..<rowStart[j + 1] }

    /// If output `j` copies one input neuron unchanged (one entry, coefficient 1, constant 0), that neuron.
    func copiedInput(of j: Int) -> (slot: Int, column: Int)? {
        let range = entries(of: j)
        guard range.count == 1, value[range.lowerBound] == 1, constant[j] == 0 else { return nil }
        return (slot[range.lowerBound], column[range.lowerBound])
    }
}

/// A network together with the sparse Jacobian of every linear node, extracted once so that many
/// programs (one per neuron, per branch-and-bound leaf) can be built from it.
///
/// Any ``LinearOperator`` is supported generically: its Jacobian `J_i` with respect to each input is
/// read off by pulling back rows of the identity (`op.pullBack(I)` gives `J_i` and the constant `b`),
/// a block of rows at a time so that memory stays bounded; ``Affine`` takes its weight directly
/// (the same numbers, without the product). Exact zeros are dropped.
public struct LinearizedNetwork: Sendable {
    /// The network.
    public let network: Network
    /// Sparse maps of linear nodes, by node index; nil for activations.
    let maps: [SparseLinearMap?]

    /// Extracts the Jacobians.
    /// - Throws: ``LPBoundsError/unsupportedOperator(node:kind:)`` for a node that is neither a
    ///   ``LinearOperator`` nor an ``ElementwiseActivation``.
    public init(network: Network) throws {
        self.network = network
        var maps = [SparseLinearMap?]()
        for node in network.nodes {
            if let linear = node.op as? any LinearOperator {
                maps.append(Self.sparseMap(of: linear, inputSizes: node.inputs.map { network.size(of: $0) }))
            } else if node.op is any ElementwiseActivation {
                maps.append(nil)
            } else {
                throw LPBoundsError.unsupportedOperator(node: node.name, kind: node.op.kind)
            }
        }
        self.maps = maps
    }

    /// Rows of the identity pulled back per block; a block holds at most ~4M doubles of coefficients.
    static func sparseMap(of op: any LinearOperator, inputSizes: [Int]) -> SparseLinearMap {
        let n = op.outputSize
        var map = SparseLinearMap(rowStart: [0], slot: [], column: [], value: [], constant: [])
        map.rowStart.reserveCapacity(n + 1)
        map.constant.reserveCapacity(n)
        if let affine = op as? Affine {
            append(affine.weight.data, rows: n, inputSizes: [affine.weight.cols], to: &map)
            map.constant = affine.bias
            return map
        }
        let width = n + inputSizes.reduce(0, +)
        let block = max(1, min(n, (1 << 22) / max(width, 1)))
        var start = 0
        while start < n {
            let count = min(block, n - start)
            var seed = Matrix(rows: count, cols: n)
            for r in 0..<count { seed.data[r * n + start + r] = 1 }
            let (parts, constant) = op.pullBack(seed)
            // Interleave the inputs' blocks row by row.
            var rowData = [Double]()
            rowData.reserveCapacity(count * inputSizes.reduce(0, +))
            for r in 0..<count {
                for (i, part) in parts.enumerated() {
                    let m = inputSizes[i]
                    rowData.append(contentsOf: part.data[(r * m)..<((r + 1) * m)])
                }
            }
            append(rowData, rows: count, inputSizes: inputSizes, to: &map)
            map.constant.append(contentsOf: constant)
            start += count
        }
        return map
    }

    /// Appends dense rows (each the concatenation of one row per input) to `map`, dropping zeros.
    private static func append(_ data: [Double], rows: Int, inputSizes: [Int], to map: inout SparseLinearMap) {
        let width = inputSizes.reduce(0, +)
        data.withUnsafeBufferPointer { d in
            for r in 0..<rows {
                var offset = r * width
                for (slot, m) in inputSizes.enumerated() {
                    for k in 0..<m where d[offset + k] != 0 {
                        map.slot.append(slot)
                        map.column.append(k)
                        map.value.append(d[offset + k])
                    }
                    offset += m
                }
                map.rowStart.append(map.value.count)
            }
        }
    }

    /// The values the computation of `targets` reads (the targets included), ascending.
    func ancestors(of targets: [ValueID]) -> [ValueID] {
        var needed = [Bool](repeating: false, count: network.nodes.count + 1)
        for t in targets { needed[t] = true }
        for v in stride(from: network.nodes.count, through: 1, by: -1) where needed[v] {
            for input in network.nodes[v - 1].inputs { needed[input] = true }
        }
        return needed.indices.filter { needed[$0] }
    }
}
