/// The seeded random number generator of the planting construction (SplitMix64), so that the
/// same seed gives the same files on every machine.
public struct PlantingRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// A generator whose whole stream is determined by `seed`.
    public init(seed: UInt64) { state = seed }

    /// A generator for one part of a run, independent of how many numbers other parts drew:
    /// the stream is determined by `seed` and the `path` (e.g. region index, instance index, kind).
    public init(seed: UInt64, path: [UInt64]) {
        var mixed = PlantingRandom(seed: seed)
        var state = mixed.next()
        for component in path {
            var step = PlantingRandom(seed: state ^ (component &* 0xD6E8_FEB8_6659_FD93))
            state = step.next()
        }
        self.state = state
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform value in `[low, high]` (`low` when the interval is a point).
    public mutating func uniform(_ low: Double, _ high: Double) -> Double {
        guard low < high else { return low }
        let unit = Double(next() >> 11) * 0x1.0p-53
        return min(high, low + (high - low) * unit)
    }

    /// A uniform index in `0..<count` (`count` > 0).
    public mutating func index(_ count: Int) -> Int { Int(next() % UInt64(count)) }

    /// A random permutation of `0..<count` (Fisher–Yates).
    public mutating func permutation(_ count: Int) -> [Int] {
        var order = Array(0..<count)
        guard count > 1 else { return order }
        for i in stride(from: count - 1, to: 0, by: -1) { order.swapAt(i, index(i + 1)) }
        return order
    }
}

/// Float32 helpers: the planted files store float32 weights, and the construction keeps every
/// number it writes exactly representable so that the network as written is the network analysed.
public enum Float32Values {
    /// `x` rounded to the nearest float32, as a Double; nil when that is not finite.
    public static func rounded(_ x: Double) -> Double? {
        let f = Float(x)
        return f.isFinite ? Double(f) : nil
    }

    /// True when `x` is a finite float32 value.
    public static func isExact(_ x: Double) -> Bool { rounded(x) == x }

    /// A float32 value in `[low, high]` near `x` (which should lie in the interval), or nil when the
    /// interval holds no float32 value.
    public static func inside(_ x: Double, low: Double, high: Double) -> Double? {
        guard low <= high else { return nil }
        var f = Float(x)
        guard f.isFinite else { return nil }
        if Double(f) < low { f = Float(low); if Double(f) < low { f = f.nextUp } }
        if Double(f) > high { f = Float(high); if Double(f) > high { f = f.nextDown } }
        let value = Double(f)
        return value >= low && value <= high && f.isFinite ? value : nil
    }

    /// The smallest float32 value `>= x`, or nil when there is none.
    public static func atLeast(_ x: Double) -> Double? {
        var f = Float(x)
        if Double(f) < x { f = f.nextUp }
        return f.isFinite ? Double(f) : nil
    }

    /// The largest float32 value `<= x`, or nil when there is none.
    public static func atMost(_ x: Double) -> Double? {
        var f = Float(x)
        if Double(f) > x { f = f.nextDown }
        return f.isFinite ? Double(f) : nil
    }
}
