import Foundation
import VNNLib

/// The norm that measures a perturbation.
public enum AttackNorm: String, Sendable, CaseIterable {
    /// Largest absolute change of one input value.
    case linf
    /// Euclidean length of the change.
    case l2
}

/// The set of inputs an attack may choose from: a box (the valid input range, intersected with the
/// L∞ ball when the norm is L∞) and, for L2, the ball `‖x − origin‖₂ <= epsilon`.
///
/// `origin` is the unperturbed input (for a VNN-LIB box: its centre) and always lies in the set.
public struct AttackRegion: Sendable, Equatable {
    public let origin: [Double]
    /// Per-value bounds every candidate must satisfy (inclusive).
    public let lower: [Double]
    public let upper: [Double]
    public let norm: AttackNorm
    /// Radius of the ball in `norm`; `.infinity` when only the box limits the set.
    public let epsilon: Double

    /// The ball of radius `epsilon` around `origin` in `norm`, intersected with the valid range
    /// `validLower ... validUpper` (per value). Throws when the sizes differ, `epsilon` is negative
    /// or not a number, or `origin` lies outside the valid range.
    public init(around origin: [Double], norm: AttackNorm, epsilon: Double,
                validLower: [Double], validUpper: [Double]) throws {
        guard epsilon >= 0, !epsilon.isNaN else { throw AttackError.invalidEpsilon(epsilon) }
        guard validLower.count == origin.count, validUpper.count == origin.count else {
            throw AttackError.sizeMismatch("valid range has \(validLower.count) values, input has \(origin.count)")
        }
        for j in origin.indices {
            guard origin[j].isFinite else { throw AttackError.invalidInput("input value \(j) is \(origin[j])") }
            guard validLower[j] <= origin[j], origin[j] <= validUpper[j] else {
                throw AttackError.invalidInput("input value \(j) = \(origin[j]) lies outside the valid range [\(validLower[j]), \(validUpper[j])]")
            }
        }
        self.origin = origin
        self.norm = norm
        self.epsilon = epsilon
        if norm == .linf && epsilon.isFinite {
            lower = origin.indices.map { max(validLower[$0], origin[$0] - epsilon) }
            upper = origin.indices.map { min(validUpper[$0], origin[$0] + epsilon) }
        } else {
            lower = validLower
            upper = validUpper
        }
    }

    /// The input box of a VNN-LIB case: origin at its centre, L∞ geometry, no ball beyond the box.
    public init(box: InputBox) {
        origin = box.lower.indices.map { j in
            let c = 0.5 * (box.lower[j] + box.upper[j])
            return min(max(c, box.lower[j]), box.upper[j])
        }
        lower = box.lower
        upper = box.upper
        norm = .linf
        epsilon = .infinity
    }

    public var dimension: Int { origin.count }

    /// Whether `x` lies in the set, with no tolerance.
    public func contains(_ x: [Double]) -> Bool {
        guard x.count == origin.count else { return false }
        for j in x.indices where !(lower[j] <= x[j] && x[j] <= upper[j]) { return false }
        if norm == .l2 && epsilon.isFinite { return l2Distance(x) <= epsilon }
        return true
    }

    /// Per-value scale of a step: the radius ε for an L∞ ball, otherwise half the box width.
    /// Zero for values that cannot move.
    public var linfScale: [Double] {
        origin.indices.map { j in
            let half = 0.5 * (upper[j] - lower[j])
            if half <= 0 { return 0 }
            return norm == .linf && epsilon.isFinite ? epsilon : half
        }
    }

    /// Scale of an L2 step: ε, or half the box diagonal when the ball is unbounded.
    public var l2Scale: Double {
        if epsilon.isFinite { return epsilon }
        var s = 0.0
        for j in origin.indices { s += (upper[j] - lower[j]) * (upper[j] - lower[j]) }
        return 0.5 * s.squareRoot()
    }

    /// Moves `x` into the set: clip to the box and, for L2, scale the change into the ball first
    /// (clipping toward a box that contains the origin never increases the distance).
    public func project(_ x: inout [Double]) {
        if norm == .l2 && epsilon.isFinite {
            var length = l2Distance(x)
            var rounds = 0
            while length > epsilon && rounds < 8 {
                let s = rounds == 0 ? epsilon / length : 1 - 1e-12 * Double(1 << rounds)
                for j in x.indices { x[j] = origin[j] + (x[j] - origin[j]) * s }
                length = l2Distance(x)
                rounds += 1
            }
            if length > epsilon { x = origin }
        }
        for j in x.indices { x[j] = min(max(x[j], lower[j]), upper[j]) }
    }

    public func linfDistance(_ x: [Double]) -> Double {
        var d = 0.0
        for j in x.indices { d = max(d, abs(x[j] - origin[j])) }
        return d
    }

    public func l2Distance(_ x: [Double]) -> Double {
        var s = 0.0
        for j in x.indices { s += (x[j] - origin[j]) * (x[j] - origin[j]) }
        return s.squareRoot()
    }

    /// A random point of the set: uniform in the box for L∞; for L2 a uniformly random direction
    /// and radius `ε·u^(1/n)`, then clipped to the box.
    func randomPoint(using rng: inout SplitMix) -> [Double] {
        if norm == .l2 && epsilon.isFinite {
            var direction = origin.indices.map { _ in rng.gaussian() }
            let length = direction.reduce(0) { $0 + $1 * $1 }.squareRoot()
            let radius = epsilon * pow(rng.unit(), 1 / Double(max(1, dimension))) * 0.999
            if length > 0 { for j in direction.indices { direction[j] *= radius / length } }
            var x = origin.indices.map { origin[$0] + direction[$0] }
            project(&x)
            return x
        }
        return origin.indices.map { lower[$0] + rng.unit() * (upper[$0] - lower[$0]) }
    }
}

/// Invalid attack settings or inputs.
public enum AttackError: Error, CustomStringConvertible, Equatable {
    case invalidEpsilon(Double)
    case sizeMismatch(String)
    case invalidInput(String)
    case invalidOption(String)

    public var description: String {
        switch self {
        case .invalidEpsilon(let e): return "epsilon must be a number >= 0, got \(e)"
        case .sizeMismatch(let m): return "size mismatch: \(m)"
        case .invalidInput(let m): return "invalid input: \(m)"
        case .invalidOption(let m): return "invalid attack option: \(m)"
        }
    }
}
