import LinearAlgebra
import NNGraph
import VNNLib

/// How a counterexample fares under the VNN-COMP 2026 checker, which casts the witness inputs to
/// float32, compares them with the property's constants with zero tolerance, and recomputes the
/// outputs in float32 (onnxruntime on CPU) before checking the output constraints.
public enum Float32Check: String, Sendable, Equatable, CaseIterable {
    /// Every input is a float32 value inside the input set, and the output violates the property both
    /// in double evaluation and in float32 evaluation (see ``Network/evaluateFloat32(_:)``).
    case passes = "pass"
    /// The input set holds no float32 point in exact comparison (a coordinate's interval, e.g. the
    /// zero-width bound `X_4 == -0.45`, contains no float32 value), but the witness rounded to float32
    /// lies in the set when compared in float32 arithmetic, as the 2026 checker compares (NumPy 2
    /// rounds the Python-float constant to float32), and violates the property in double and float32
    /// evaluation. The checker casts the kept double witness to that same float32 point, so it
    /// accepts it: measured with the checker itself on collins_rul_cnn (benchmarks/RESULTS.md).
    case passesInFloat32Comparison = "pass-float32-compare"
    /// The input set holds no float32 point, and the witness rounded to float32 fails the checker's
    /// float32 comparison or no longer violates the property; the double witness is kept.
    case noFloat32Point = "no-float32-point"
    /// Float32 points exist, but none that was tried violates the property in both evaluations; the
    /// double witness is kept.
    case fails = "fail"
}

extension Network {
    /// The network evaluated as a float32 runtime would, to first order: the input and every node's
    /// output are rounded to the nearest float32 value. (Weights of ONNX float models are float32
    /// values already; a float32 runtime also rounds inside each sum, which this does not model, so
    /// a witness is accepted only when it violates in this evaluation and in double evaluation.)
    /// Nil when the input has the wrong size or a value is not finite.
    public func evaluateFloat32(_ input: [Double]) -> [Double]? {
        guard input.count == inputSize else { return nil }
        var values = [Matrix(rows: 1, cols: inputSize, data: input.map(Float32Rounding.nearest))]
        values.reserveCapacity(nodes.count + 1)
        for node in nodes {
            values.append(node.op.forward(node.inputs.map { values[$0] }).map(Float32Rounding.nearest))
        }
        let y = values[output].data
        return y.allSatisfy(\.isFinite) ? y : nil
    }
}

/// Rounding of doubles to float32 values, kept as doubles.
enum Float32Rounding {
    /// The float32 value nearest to `v` (ties to even), as a double.
    static func nearest(_ v: Double) -> Double { Double(Float(v)) }

    /// True when `v` is exactly a finite float32 value.
    static func isFloat32(_ v: Double) -> Bool { v.isFinite && Double(Float(v)) == v && Float(v).isFinite }

    /// The float32 values inside `[lower, upper]` (compared in double, as the checker compares a
    /// float32 input with a decimal constant): the smallest and the largest, or nil when there is none.
    static func range(_ lower: Double, _ upper: Double) -> (Double, Double)? {
        var lo = Float(lower), hi = Float(upper)
        if Double(lo) < lower { lo = lo.nextUp }
        if Double(hi) > upper { hi = hi.nextDown }
        guard lo.isFinite, hi.isFinite, lo <= hi else { return nil }
        return (Double(lo), Double(hi))
    }
}

/// True when `x` passes the 2026 checker's test as far as it can be reproduced without onnxruntime:
/// every coordinate is a float32 value, `x` lies in the input region of a case (no tolerance), and the
/// output violates that case both in double evaluation and in float32 evaluation. Constraints are
/// tested in double and also in float32 arithmetic (``LinearConstraint/holdsInFloat32(_:)``): the
/// checker compares numpy float32 values with Python floats, which NumPy 2 does in float32.
public func passesFloat32Check(_ x: [Double], network: Network, specification: Specification) -> Bool {
    guard x.count == network.inputSize, x.allSatisfy(Float32Rounding.isFloat32),
          let y = try? network.evaluate(x), y.allSatisfy(\.isFinite),
          let y32 = network.evaluateFloat32(x) else { return false }
    return specification.cases.contains { c in
        c.contains(x) && c.inputConstraints.allSatisfy { $0.holdsInFloat32(x) } && c.isViolatedInBothEvaluations(y, y32)
    }
}

extension SpecCase {
    /// The case violated by the double output `y` and by the float32 output `y32`, the latter compared
    /// both in double and in float32 arithmetic (the checker's NumPy 2 comparison).
    func isViolatedInBothEvaluations(_ y: [Double], _ y32: [Double]) -> Bool {
        isViolated(by: y) && disjuncts.contains { conj in conj.allSatisfy { $0.holds(y32) && $0.holdsInFloat32(y32) } }
    }
}

extension LinearConstraint {
    /// The constraint evaluated in float32 arithmetic: coefficients, constant and values rounded to
    /// float32, products and sums in float32. For the usual atoms (a variable against a constant or
    /// another variable) this is exactly the checker's float32 comparison.
    public func holdsInFloat32(_ v: [Double]) -> Bool {
        var s = Float(constant)
        for (c, x) in zip(coefficients, v) where c != 0 { s += Float(c) * Float(x) }
        return isStrict ? s < 0 : s <= 0
    }
}

/// True when `x` rounded to float32, the point the checker evaluates, passes the checker's test with
/// every comparison made in float32 arithmetic only: inside a case's box and input constraints as
/// float32 compares them, and violating that case in double and in float32 evaluation. Used only
/// where the input set holds no float32 point in exact comparison (``Float32Check/passesInFloat32Comparison``).
public func passesFloat32Comparison(_ x: [Double], network: Network, specification: Specification) -> Bool {
    let x32 = x.map(Float32Rounding.nearest)
    guard x32.count == network.inputSize, x32.allSatisfy(Float32Rounding.isFloat32),
          let y = try? network.evaluate(x32), y.allSatisfy(\.isFinite),
          let y32 = network.evaluateFloat32(x32) else { return false }
    return specification.cases.contains { c in
        zip(x32, zip(c.box.lower, c.box.upper)).allSatisfy { v, b in Float(v) >= Float(b.0) && Float(v) <= Float(b.1) }
            && c.inputConstraints.allSatisfy { $0.holdsInFloat32(x32) } && c.isViolatedInBothEvaluations(y, y32)
    }
}

/// The float32 status of a counterexample `x` as the checker would see it (see ``Float32Check``).
public func float32Status(_ x: [Double], network: Network, specification: Specification) -> Float32Check {
    if passesFloat32Check(x, network: network, specification: specification) { return .passes }
    let containing = specification.cases.filter { $0.contains(x) }
    let empty = !containing.isEmpty && containing.allSatisfy { Float32Witness.ranges(of: $0.box) == nil }
    guard empty else { return .fails }
    return passesFloat32Comparison(x, network: network, specification: specification) ? .passesInFloat32Comparison : .noFloat32Point
}

/// Chooses witness coordinates the 2026 checker accepts.
public enum Float32Witness {
    /// Step sizes tried, in float32 units in the last place of each coordinate, when rounding inward
    /// alone leaves the property satisfied in one of the two evaluations.
    public static let stepUlps: [Double] = [1, 4, 16, 64, 256, 1024, 4096, 16384]

    /// The per-coordinate float32 ranges of `box`, or nil when some coordinate has none.
    static func ranges(of box: InputBox) -> [(Double, Double)]? {
        var result = [(Double, Double)]()
        result.reserveCapacity(box.lower.count)
        for (l, u) in zip(box.lower, box.upper) {
            guard let r = Float32Rounding.range(l, u) else { return nil }
            result.append(r)
        }
        return result
    }

    /// A witness for the same property whose inputs are float32 values chosen as follows, per case
    /// containing `witness.input`: round each coordinate to the nearest float32 value and move it
    /// inside the case's box (rounding inward); if the property is not violated there in both double
    /// and float32 evaluation, take projected steps of growing size against the sign of the input
    /// gradient of the violation margin, rounded and clamped the same way. The witness returned is
    /// re-validated in double like any other (``validateCounterexample(_:network:specification:)``);
    /// when no candidate passes, `witness` comes back unchanged with ``Float32Check/passesInFloat32Comparison``,
    /// ``Float32Check/noFloat32Point`` or ``Float32Check/fails`` as its ``Witness/float32`` status.
    public static func choose(_ witness: Witness, network: Network, specification: Specification) -> Witness {
        let x = witness.input
        var sawFloat32Point = false
        for specCase in specification.cases where specCase.contains(x) {
            guard let ranges = ranges(of: specCase.box) else { continue }
            sawFloat32Point = true
            let start = project(x, ranges)
            if let found = accept(start, network, specification) { return found }
            let direction = gradientSign(at: start, specCase, network)
            for ulps in stepUlps {
                let moved = zip(start, direction).map { v, d in v - d * ulps * Double(Float(v).ulp) }
                if let found = accept(project(moved, ranges), network, specification) { return found }
            }
        }
        var kept = witness
        kept.float32 = sawFloat32Point ? .fails : float32Status(x, network: network, specification: specification)
        return kept
    }

    /// Each coordinate rounded to the nearest float32 value and clamped into its float32 range
    /// (whose ends are float32 values, so the clamped value stays one).
    static func project(_ x: [Double], _ ranges: [(Double, Double)]) -> [Double] {
        zip(x, ranges).map { v, r in min(max(Float32Rounding.nearest(v), r.0), r.1) }
    }

    /// The witness at `x` when it passes both the double validation and the float32 check.
    static func accept(_ x: [Double], _ network: Network, _ specification: Specification) -> Witness? {
        guard passesFloat32Check(x, network: network, specification: specification),
              var w = validateCounterexample(x, network: network, specification: specification) else { return nil }
        w.float32 = .passes
        return w
    }

    /// The sign of the input gradient of the case's violation margin (decreasing the margin deepens
    /// the violation).
    static func gradientSign(at x: [Double], _ specCase: SpecCase, _ network: Network) -> [Double] {
        let input = Matrix(rows: 1, cols: x.count, data: x)
        let (_, g) = network.gradient(input) { y in
            Matrix(rows: 1, cols: y.cols, data: specCase.marginGradient(y.data).gradient)
        }
        return g.data.map { $0 > 0 ? 1 : ($0 < 0 ? -1 : 0) }
    }
}
