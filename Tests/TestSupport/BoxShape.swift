import VNNLib

/// Boxes of the shapes every bound component is sampled on: ordinary, tiny, huge, and one-sided
/// (every interval on one side of 0).
public enum BoxShape: String, CaseIterable, Sendable {
    case ordinary, tiny, huge, oneSided

    public func box(_ n: Int, using rng: inout SeededGenerator) -> InputBox {
        var lo = [Double](), hi = [Double]()
        for _ in 0..<n {
            let c = rng.uniform(-1, 1)
            let w: Double
            switch self {
            case .ordinary: w = rng.uniform(0.1, 1.5)
            case .tiny: w = rng.uniform(0, 1e-9)
            case .huge: w = rng.uniform(50, 500)
            case .oneSided: w = rng.uniform(0.1, 1.5)
            }
            if self == .oneSided { lo.append(0); hi.append(w) } else { lo.append(c - w / 2); hi.append(c + w / 2) }
        }
        return InputBox(lower: lo, upper: hi)
    }
}
