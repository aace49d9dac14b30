import LinearAlgebra
import NNGraph
import Testing
import VNNLib
@testable import Verifier

/// The VNN-COMP 2026 checker casts witness inputs to float32 and compares them with the decimal
/// constants with zero tolerance; these cases are the ones seen on ACAS Xu (`X_4 <= -0.45`).
@Suite struct Float32CheckTests {
    /// `y = x0 + x1`.
    static let sum: Network = {
        let nodes = [Node(name: "sum", op: Affine(weight: Matrix(rowVectors: [[1, 1]]), bias: [0]), inputs: [0], shape: [1])]
        return try! Network(inputName: "x", inputShape: [2], outputName: "y", nodes: nodes, output: 1)
    }()

    /// The unsafe set `sign · y <= sign · threshold` over `box`.
    static func spec(_ box: InputBox, outputAtMost threshold: Double, sign: Double = 1) -> Specification {
        Specification(inputCount: 2, outputCount: 1,
                      cases: [SpecCase(box: box, disjuncts: [[LinearConstraint(coefficients: [sign], constant: -sign * threshold)]])])
    }

    static func choose(_ x: [Double], _ spec: Specification) throws -> Witness {
        let w = try #require(validateCounterexample(x, network: sum, specification: spec))
        return Float32Witness.choose(w, network: sum, specification: spec)
    }

    @Test func float32EvaluationRoundsEveryValue() throws {
        #expect(try Self.sum.evaluate([1, 1e-9]) == [1.000000001])
        #expect(Self.sum.evaluateFloat32([1, 1e-9]) == [1])
        #expect(Self.sum.evaluateFloat32([1]) == nil)
    }

    @Test func aBoundFloat32CannotRepresentIsRoundedInward() throws {
        // Float(-0.45) = -0.449999988 lies above -0.45, outside X_0 <= -0.45.
        let box = InputBox(lower: [-0.5, 0], upper: [-0.45, 0])
        let spec = Self.spec(box, outputAtMost: -0.44)
        #expect(!passesFloat32Check([-0.45, 0], network: Self.sum, specification: spec))
        #expect(float32Status([-0.45, 0], network: Self.sum, specification: spec) == .fails)
        let w = try Self.choose([-0.45, 0], spec)
        #expect(w.float32 == .passes)
        #expect(w.input == [Double(Float(-0.45).nextDown), 0])
        #expect(box.contains(w.input))
        #expect(passesFloat32Check(w.input, network: Self.sum, specification: spec))
        #expect(validateCounterexample(w.input, network: Self.sum, specification: spec) == Witness(input: w.input, output: w.output, float32: nil))
    }

    @Test func projectedStepsDeepenABoundaryViolation() throws {
        // y >= 0.45 holds at x0 = 0.45 in double; the nearest float32 value 0.449999988 misses it,
        // one float32 step up (against the margin's gradient) reaches it.
        let box = InputBox(lower: [0, 0], upper: [1, 0])
        let spec = Self.spec(box, outputAtMost: 0.45, sign: -1)
        let w = try Self.choose([0.45, 0], spec)
        #expect(w.float32 == .passes)
        #expect(w.input[0] > 0.45 && w.input[0] == Double(Float(w.input[0])))
        #expect(passesFloat32Check(w.input, network: Self.sum, specification: spec))
    }

    @Test func aZeroWidthBoundPassesOnlyInTheCheckersFloat32Comparison() throws {
        // X_0 == -0.45 holds no float32 value, but the checker compares float32(-0.45) with the constant
        // rounded to float32 (NumPy 2), so the cast witness lies inside; y = -0.449999988 <= 0 still.
        let box = InputBox(lower: [-0.45, 0], upper: [-0.45, 0])
        let spec = Self.spec(box, outputAtMost: 0)
        let w = try Self.choose([-0.45, 0], spec)
        #expect(w.float32 == .passesInFloat32Comparison)
        #expect(w.input == [-0.45, 0])
        #expect(!passesFloat32Check(w.input, network: Self.sum, specification: spec))
        #expect(passesFloat32Comparison(w.input, network: Self.sum, specification: spec))
        #expect(float32Status(w.input, network: Self.sum, specification: spec) == .passesInFloat32Comparison)
    }

    @Test func aZeroWidthBoundWhoseFloat32CastNoLongerViolatesHasNoFloat32Point() throws {
        // Only x0 = 0.45 itself reaches y >= 0.45; its float32 cast 0.449999988 does not, in double.
        let box = InputBox(lower: [0.45, 0], upper: [0.45, 0])
        let spec = Self.spec(box, outputAtMost: 0.45, sign: -1)
        let w = try Self.choose([0.45, 0], spec)
        #expect(w.float32 == .noFloat32Point)
        #expect(w.input == [0.45, 0])
        #expect(!passesFloat32Comparison(w.input, network: Self.sum, specification: spec))
        #expect(float32Status(w.input, network: Self.sum, specification: spec) == .noFloat32Point)
    }

    @Test func theFloat32ComparisonStillNeedsTheConstraintsInFloat32() throws {
        // Zero-width X_0 == -0.45 and a coupling x0 + x1 <= -0.46 (x1 = 0): false in float32 as well.
        let box = InputBox(lower: [-0.45, 0], upper: [-0.45, 0])
        var spec = Self.spec(box, outputAtMost: 0)
        spec.cases[0].inputConstraints = [LinearConstraint(coefficients: [1, 1], constant: 0.46)]
        #expect(!passesFloat32Comparison([-0.45, 0], network: Self.sum, specification: spec))
    }

    @Test func noFloat32PointViolatesSoTheDoubleWitnessIsKept() throws {
        // Only x0 = 0.45 itself violates y >= 0.45 inside [0, 0.45]; float32 has no such point.
        let box = InputBox(lower: [0, 0], upper: [0.45, 0])
        let spec = Self.spec(box, outputAtMost: 0.45, sign: -1)
        let w = try Self.choose([0.45, 0], spec)
        #expect(w.float32 == .fails)
        #expect(w.input == [0.45, 0])
    }

    @Test func constantsAreAlsoComparedInFloat32() throws {
        // y > 0.1 (strict): x0 = Float(0.1) = 0.100000001 exceeds 0.1 in double, but NumPy 2 compares a
        // float32 value with a Python float in float32, where both are Float(0.1). One step up passes.
        let box = InputBox(lower: [0, 0], upper: [1, 0])
        let spec = Specification(inputCount: 2, outputCount: 1, cases: [
            SpecCase(box: box, disjuncts: [[LinearConstraint(coefficients: [-1], constant: 0.1, isStrict: true)]]),
        ])
        let x = [Double(Float(0.1)), 0]
        #expect(validateCounterexample(x, network: Self.sum, specification: spec) != nil)
        #expect(!passesFloat32Check(x, network: Self.sum, specification: spec))
        let w = try Self.choose(x, spec)
        #expect(w.float32 == .passes && w.input[0] == Double(Float(0.1).nextUp))
    }

    @Test func theVerifierReturnsFloat32Witnesses() throws {
        let box = InputBox(lower: [-0.5, -0.45], upper: [-0.45, 0.3])
        let spec = Self.spec(box, outputAtMost: -0.8999)
        let result = Verifier().verify(network: Self.sum, specification: spec)
        #expect(result.verdict == .sat)
        let w = try #require(result.witness)
        #expect(w.float32 == .passes)
        #expect(passesFloat32Check(w.input, network: Self.sum, specification: spec))
    }
}
