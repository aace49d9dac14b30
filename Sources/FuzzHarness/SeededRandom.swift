/// A small seeded generator (SplitMix64), so every fuzz input can be regenerated from its seed and
/// index alone.
struct SeededRandom: RandomNumberGenerator {
    private var state: UInt64

    /// A generator for input `index` of the campaign with seed `seed`: independent of every other input.
    init(seed: UInt64, index: UInt64) {
        state = seed &* 0x9E37_79B9_7F4A_7C15 ^ (index &+ 1) &* 0xD1B5_4A32_D192_ED03
        _ = next()
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform integer in `0..<n` (`n > 0`).
    mutating func below(_ n: Int) -> Int { Int.random(in: 0..<max(n, 1), using: &self) }

    /// True with probability `1 / n`.
    mutating func oneIn(_ n: Int) -> Bool { below(n) == 0 }

    /// A uniformly chosen element of a non-empty array.
    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
}
