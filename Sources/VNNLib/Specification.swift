/// A linear inequality over the network outputs (or, in ``SpecCase/inputConstraints``, the inputs):
/// `Σ_j coefficients[j] · Y_j + constant <= 0`, or `< 0` when `isStrict`.
///
/// Bound computations read every constraint as `<= 0` (the closure of a strict one): the unsafe
/// set only grows, so an `unsat` answer stays sound. Counterexamples are checked with ``holds(_:)``,
/// which honours strictness, so a `sat` witness satisfies the strict form exactly.
public struct LinearConstraint: Sendable, Equatable, Hashable {
    public var coefficients: [Double]
    public var constant: Double
    /// True for `< 0` (VNN-LIB 2.0 `<`, `>`, and the two sides of `!=`).
    public var isStrict: Bool

    public init(coefficients: [Double], constant: Double, isStrict: Bool = false) {
        self.coefficients = coefficients
        self.constant = constant
        self.isStrict = isStrict
    }

    /// True when `y` satisfies the constraint exactly (`< 0` when strict, else `<= 0`).
    public func holds(_ y: [Double]) -> Bool {
        let r = residual(y)
        return isStrict ? r < 0 : r <= 0
    }

    /// `Σ c_j y_j + d`; the constraint holds when this is `<= 0`.
    public func residual(_ y: [Double]) -> Double {
        var s = constant
        for (c, v) in zip(coefficients, y) { s += c * v }
        return s
    }
}

/// An axis-aligned box of inputs, `lower[i] <= X_i <= upper[i]`.
public struct InputBox: Sendable, Equatable {
    public var lower: [Double]
    public var upper: [Double]

    public init(lower: [Double], upper: [Double]) {
        self.lower = lower
        self.upper = upper
    }

    public func contains(_ x: [Double], tolerance: Double = 0) -> Bool {
        x.count == lower.count && x.indices.allSatisfy { lower[$0] - tolerance <= x[$0] && x[$0] <= upper[$0] + tolerance }
    }
}

/// One input region together with the unsafe output set over it: a disjunction (`disjuncts`) of
/// conjunctions of linear constraints. A point `x` in the region (``contains(_:)``) whose output `y`
/// satisfies every constraint of some disjunct is a counterexample.
///
/// The region is `box` intersected with `inputConstraints` (linear constraints over the inputs,
/// from VNN-LIB 2.0 queries such as `X_f[0] >= X_g[0]`); the box then bounds that intersection
/// (it was tightened by the constraints, see ``LinearBoundTightening``). Interval and CROWN bounds work
/// on the box, a superset of the region, which is sound for `unsat`; the LP and MILP also take the
/// constraints as rows (Docs/vnnlib2.md). Candidates outside the region fail validation.
public struct SpecCase: Sendable, Equatable {
    public var box: InputBox
    public var disjuncts: [[LinearConstraint]]
    /// Linear constraints over the inputs that the box alone does not express (empty for VNN-LIB 1.0).
    public var inputConstraints: [LinearConstraint]

    public init(box: InputBox, disjuncts: [[LinearConstraint]], inputConstraints: [LinearConstraint] = []) {
        self.box = box
        self.disjuncts = disjuncts
        self.inputConstraints = inputConstraints
    }

    /// True when `x` lies in the input region: inside the box and satisfying every input constraint
    /// exactly (strict ones strictly), with no tolerance.
    public func contains(_ x: [Double]) -> Bool {
        box.contains(x) && inputConstraints.allSatisfy { $0.holds(x) }
    }

    /// True when `y` lies in the unsafe set (some disjunct holds: every constraint `<= 0`, strict
    /// ones `< 0`).
    public func isViolated(by y: [Double]) -> Bool {
        disjuncts.contains { conj in conj.allSatisfy { $0.holds(y) } }
    }
}

/// A VNN-LIB property in normalised form. It describes the UNSAFE set: the property is violated
/// (`sat`) iff some case has an input in its box whose output satisfies one of its disjuncts.
public struct Specification: Sendable, Equatable {
    public var inputCount: Int
    public var outputCount: Int
    public var cases: [SpecCase]

    public init(inputCount: Int, outputCount: Int, cases: [SpecCase]) {
        self.inputCount = inputCount
        self.outputCount = outputCount
        self.cases = cases
    }
}
