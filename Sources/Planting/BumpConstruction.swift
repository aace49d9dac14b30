import LinearAlgebra
import VNNLib

/// The "tent" function that carries a planted counterexample:
/// `t(x) = ReLU(1 − Σ_i |x_i − c_i| / r_i)` over the bump's input dimensions `i`.
///
/// It is 1 at the centre `c`, exactly 0 (with zero gradient) outside the weighted L1 ball
/// `Σ_i |x_i − c_i| / r_i < 1`, and it is computed by two ReLU layers: `2k` neurons
/// `u_i± = ReLU(±(x_i − c_i) / r_i)`, then one neuron `t = ReLU(1 − Σ u)`. Every radius is a power of
/// two and every centre coordinate a float32 value with `c_i / r_i` exact in float32, so the first
/// layer's weights `±1/r_i` and biases `∓c_i/r_i` are exact and give `u = 0` at the centre in float32
/// and in Double arithmetic alike: the planted output at the centre does not depend on rounding.
public struct Bump: Sendable, Equatable {
    /// The centre: a full input vector (coordinates outside ``dimensions`` are not read by the bump).
    public let centre: [Double]
    /// The input indices the bump reads (the free dimensions of the box).
    public let dimensions: [Int]
    /// The radius along each of ``dimensions`` (powers of two).
    public let radii: [Double]

    /// A bump; checks the exactness conditions above.
    public init(centre: [Double], dimensions: [Int], radii: [Double]) throws {
        guard !dimensions.isEmpty, dimensions.count == radii.count,
              dimensions.allSatisfy({ centre.indices.contains($0) }) else {
            throw PlantingError.internalCheck("bump dimensions \(dimensions.count), radii \(radii.count), centre \(centre.count)")
        }
        for (i, r) in zip(dimensions, radii) {
            let slope = 1 / r
            guard Bump.isPowerOfTwo(r), Float32Values.isExact(slope), Float32Values.isExact(centre[i]),
                  Float32Values.isExact(centre[i] * slope) else {
                throw PlantingError.internalCheck("bump coordinate \(i): centre \(centre[i]), radius \(r) are not exact in float32")
            }
        }
        self.centre = centre
        self.dimensions = dimensions
        self.radii = radii
    }

    /// `t(x)`, computed exactly as the written network does at the centre and as the real-number
    /// function elsewhere (up to Double rounding of the sum).
    public func value(at x: [Double]) -> Double {
        var s = 0.0
        for (i, r) in zip(dimensions, radii) { s += abs(x[i] - centre[i]) / r }
        return max(0, 1 - s)
    }

    /// The first bump layer (`2k x inputSize`): rows `2j` and `2j+1` are `u_j+` and `u_j−`.
    func firstLayer(inputSize: Int) -> (weight: Matrix, bias: [Double]) {
        var weight = Matrix(rows: 2 * dimensions.count, cols: inputSize)
        var bias = [Double](repeating: 0, count: 2 * dimensions.count)
        for (j, (i, r)) in zip(dimensions, radii).enumerated() {
            let slope = 1 / r
            weight.data[(2 * j) * inputSize + i] = slope
            weight.data[(2 * j + 1) * inputSize + i] = -slope
            bias[2 * j] = -centre[i] * slope
            bias[2 * j + 1] = centre[i] * slope
        }
        return (weight, bias)
    }

    /// The tent neuron's row over the first bump layer: weights −1, bias 1.
    func tentRow() -> (weight: [Double], bias: Double) {
        ([Double](repeating: -1, count: 2 * dimensions.count), 1)
    }

    static func isPowerOfTwo(_ r: Double) -> Bool {
        r > 0 && r.isFinite && r.significandBitPattern == 0 && r.isNormal
    }

    /// The largest power of two `<= x` between 2^-60 and 2^60, or nil when `x` is outside that range.
    static func powerOfTwo(atMost x: Double) -> Double? {
        guard x.isFinite, x >= 0x1p-60, x <= 0x1p60 else { return nil }
        return Double(sign: .plus, exponent: x.exponent, significand: 1)
    }
}

/// How a bump is sized and placed in an input box.
public struct BumpPlacement: Sendable, Equatable {
    /// Radius along each free dimension as a share of the box width there (before rounding down
    /// to a power of two); used when ``radius`` is nil.
    public var radiusFraction: Double = 0.02
    /// One radius for every dimension (rounded down to a power of two); nil: ``radiusFraction``.
    public var radius: Double?
    /// The model's valid input range (for the centre of a clean instance's bump, outside the box).
    public var range: ClosedRange<Double> = -Double.infinity...Double.infinity

    /// Default settings.
    public init() {}

    /// Free dimensions of `box` and their radii (powers of two).
    /// - Throws: ``PlantingError/unusableRegion(region:reason:)`` when no dimension is free or a
    ///   radius is out of range.
    func dimensionsAndRadii(_ box: InputBox, region: String) throws -> [(dimension: Int, radius: Double)] {
        var result = [(dimension: Int, radius: Double)]()
        for i in box.lower.indices where box.lower[i] < box.upper[i] {
            let width = box.upper[i] - box.lower[i]
            let wanted = radius ?? radiusFraction * width
            guard let r = Bump.powerOfTwo(atMost: wanted) else {
                throw PlantingError.unusableRegion(region: region, reason: "bump radius \(wanted) along X_\(i) is outside [2^-60, 2^60]")
            }
            result.append((i, r))
        }
        guard !result.isEmpty else {
            throw PlantingError.unusableRegion(region: region, reason: "every input is fixed (lower = upper), so there is no room to hide a counterexample")
        }
        return result
    }

    /// A bump with its centre inside `box`, at least one radius from the faces where the box is
    /// wide enough; a dimension without a suitable float32 centre is left out of the bump.
    func inside(_ box: InputBox, region: String, rng: inout PlantingRandom) throws -> Bump {
        var centre = zip(box.lower, box.upper).map { 0.5 * ($0 + $1) }
        var dimensions = [Int](), radii = [Double]()
        for (i, r) in try dimensionsAndRadii(box, region: region) {
            let (l, u) = (box.lower[i], box.upper[i])
            let (low, high) = u - l > 4 * r ? (l + r, u - r) : (l, u)
            if let c = Self.exactCentre(near: rng.uniform(low, high), low: low, high: high, radius: r) {
                centre[i] = c
                dimensions.append(i)
                radii.append(r)
            }
        }
        guard !dimensions.isEmpty else {
            throw PlantingError.unusableRegion(region: region, reason: "no free input has a float32 value inside the box")
        }
        return try Bump(centre: centre, dimensions: dimensions, radii: radii)
    }

    /// A bump whose ball lies outside `box` (at least two radii beyond one face, inside ``range``),
    /// so the tent is exactly 0 on the box; nil when no face leaves room inside the range.
    func outside(_ box: InputBox, region: String, rng: inout PlantingRandom) throws -> Bump? {
        let planted = try inside(box, region: region, rng: &rng)
        var options = [(j: Int, up: Bool)]()
        for j in planted.dimensions.indices { options += [(j, true), (j, false)] }
        for k in rng.permutation(options.count) {
            let (j, up) = options[k]
            let (i, r) = (planted.dimensions[j], planted.radii[j])
            let target = up ? box.upper[i] + 2 * r : box.lower[i] - 2 * r
            guard let c = up ? Float32Values.atLeast(target) : Float32Values.atMost(target),
                  range.contains(c), Float32Values.isExact(c / r) else { continue }
            var centre = planted.centre
            centre[i] = c
            return try Bump(centre: centre, dimensions: planted.dimensions, radii: planted.radii)
        }
        return nil
    }

    /// A float32 value in `[low, high]` near `x` whose quotient by `radius` is a float32 value.
    static func exactCentre(near x: Double, low: Double, high: Double, radius: Double) -> Double? {
        guard let c = Float32Values.inside(x, low: low, high: high), Float32Values.isExact(c / radius) else { return nil }
        return c
    }
}
