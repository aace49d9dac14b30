/// A linear inequality over the network outputs: `Σ_j coefficients[j] · Y_j + constant <= 0`.
public struct LinearConstraint: Sendable, Equatable, Hashable {
    public var coefficients: [Double]
    public var constant: Double

    public init(coefficients: [Double], constant: Double) {
        self.coefficients = coefficients
        self.constant = constant
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
/// conjunctions of linear constraints. A point `x` in `box` whose output `y` satisfies every
/// constraint of some disjunct is a counterexample.
public struct SpecCase: Sendable, Equatable {
    public var box: InputBox
    public var disjuncts: [[LinearConstraint]]

    public init(box: InputBox, disjuncts: [[LinearConstraint]]) {
        self.box = box
        self.disjuncts = disjuncts
    }

    /// True when `y` lies in the unsafe set (some disjunct holds with every residual `<= 0`).
    public func isViolated(by y: [Double]) -> Bool {
        disjuncts.contains { conj in conj.allSatisfy { $0.residual(y) <= 0 } }
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
