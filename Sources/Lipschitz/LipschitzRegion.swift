/// The input region of a local Lipschitz constant: the ball of radius `radius` around `origin` in
/// `norm`, intersected with a box (the valid input range, or a VNN-LIB input box). It is convex and
/// holds `origin`, so the mean value theorem applies along every segment inside it.
public struct LipschitzRegion: Sendable, Equatable {
    public let origin: [Double]
    /// The smallest box holding the region (bound propagation works on it: a superset is sound).
    public let lower: [Double]
    public let upper: [Double]
    public let norm: InputNorm
    /// The ball's radius; `.infinity` when only the box limits the region.
    public let radius: Double

    /// The ball `‖x − origin‖ ≤ eps` in `norm`, intersected with `validLower ... validUpper`.
    public init(around origin: [Double], norm: InputNorm, eps: Double, validLower: [Double], validUpper: [Double]) throws {
        guard eps >= 0, eps.isFinite else { throw LipschitzError.invalidRegion("eps must be a finite number >= 0, got \(eps)") }
        guard validLower.count == origin.count, validUpper.count == origin.count else {
            throw LipschitzError.invalidRegion("the valid range has \(validLower.count) values, the input \(origin.count)")
        }
        for j in origin.indices {
            guard origin[j].isFinite else { throw LipschitzError.invalidRegion("input value \(j) is \(origin[j])") }
            guard validLower[j] <= origin[j] && origin[j] <= validUpper[j] else {
                throw LipschitzError.invalidRegion("input value \(j) = \(origin[j]) lies outside the valid range [\(validLower[j]), \(validUpper[j])]")
            }
        }
        self.origin = origin
        self.norm = norm
        self.radius = eps
        lower = origin.indices.map { max(validLower[$0], origin[$0] - eps) }
        upper = origin.indices.map { min(validUpper[$0], origin[$0] + eps) }
    }

    /// A box (e.g. a VNN-LIB input box) with its centre as origin; `norm` only chooses the dual norm.
    public init(lower: [Double], upper: [Double], norm: InputNorm) throws {
        guard lower.count == upper.count, !lower.isEmpty else {
            throw LipschitzError.invalidRegion("box bounds have \(lower.count) and \(upper.count) values")
        }
        for j in lower.indices where !(lower[j] <= upper[j] && lower[j].isFinite && upper[j].isFinite) {
            throw LipschitzError.invalidRegion("input \(j) has bounds [\(lower[j]), \(upper[j])]")
        }
        self.lower = lower
        self.upper = upper
        self.origin = lower.indices.map { min(max(0.5 * (lower[$0] + upper[$0]), lower[$0]), upper[$0]) }
        self.norm = norm
        self.radius = .infinity
    }

    public var dimension: Int { origin.count }

    /// The largest radius a certified ball around the origin may have: the ball's radius, or for a box
    /// the distance from the origin to its nearest face (a ball of any of the norms with that radius
    /// lies inside the box), since bounds hold only inside the region.
    public var certifiableRadius: Double {
        if radius.isFinite { return radius }
        return origin.indices.map { min(origin[$0] - lower[$0], upper[$0] - origin[$0]) }.min() ?? 0
    }

    /// Moves `x` into the region: clamps it to the box, then (for a finite l2 or l1 ball) scales the
    /// offset from the origin down to the radius and clamps again (clamping towards a box holding the
    /// origin only shrinks every offset, so the point stays in the ball).
    public func project(_ x: inout [Double]) {
        for j in x.indices { x[j] = min(max(x[j], lower[j]), upper[j]) }
        guard radius.isFinite, norm != .linf else { return }
        let offset = x.indices.map { x[$0] - origin[$0] }
        let length = norm == .l2 ? offset.reduce(0) { $0 + $1 * $1 }.squareRoot() : offset.reduce(0) { $0 + abs($1) }
        guard length > radius else { return }
        let scale = radius / length * (1 - 1e-12)
        for j in x.indices { x[j] = min(max(origin[j] + offset[j] * scale, lower[j]), upper[j]) }
    }
}
