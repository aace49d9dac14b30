/// IBP tightness per output (Mao et al., ICLR 2024; see `Lipschitz/Tightness.swift` and
/// Docs/lipschitz.md): the optimal box of the network's linearisation divided by its IBP box, in (0, 1].
public struct TightnessSummary: Sendable, Equatable {
    /// Every activation replaced by the identity.
    public var global: [Double]
    /// Activations replaced by their slopes at each input, averaged over the inputs (nil without inputs).
    public var local: [Double]?

    public init(global: [Double], local: [Double]?) {
        self.global = global
        self.local = local
    }

    /// The mean of equally long rows, or nil for none.
    static func mean(_ rows: [[Double]]) -> [Double]? {
        guard let first = rows.first else { return nil }
        var sum = [Double](repeating: 0, count: first.count)
        for row in rows { for i in row.indices { sum[i] += row[i] } }
        return sum.map { $0 / Double(rows.count) }
    }
}
