import LinearAlgebra

/// A family of sound relaxation lines of one activation node on fixed pre-activation bounds, with one
/// parameter per neuron and side in [0, 1] (alpha-CROWN's lower slopes of ReLU, Xu et al. 2021; the
/// tangent points of sigmoid and tanh). Bound optimisation tunes the parameters by gradient ascent,
/// so every parameter value must give lines that are sound on the neuron's interval (up to the
/// defect each line reports), and the family reports the derivatives of slope and intercept.
///
/// Neurons are indexed as the bounds the family was made from: neuron `k` of domain `d` is entry
/// `d·n + k` of `lower`/`upper`.
public protocol LineFamily: Sendable {
    /// Whether the lower (upper) lines depend on their parameters at all; a side that does not keeps
    /// no parameters.
    var parameterisedSides: (lower: Bool, upper: Bool) { get }
    /// The starting parameter of the lower (upper) line of entry `k` (the operator's default relaxation
    /// or a line at least as tight on average).
    func initialParameter(lower: Bool, entry k: Int) -> Double
    /// Whether the initial parameters give exactly the operator's fixed relaxation (variant 0); when
    /// not, bound optimisation also keeps the fixed relaxation's bound as a candidate.
    var initialLinesAreFixedRelaxation: Bool { get }
    /// The lines a lower bound uses in a backward step with coefficients `a` (`rows x n`) on the
    /// activation's output: for every row `r` and neuron `j`, the lower line of entry
    /// `rowDomain[r]·n + j` with parameter `lowerParameters[r, j]` where `a[r, j] >= 0`, else the
    /// upper line with `upperParameters[r, j]`. A side without parameters (nil) uses its initial
    /// parameters. Parameters outside [0, 1] are clamped; the derivatives are then still those of
    /// the unclamped formula's direction (a projected ascent keeps parameters inside).
    func lines(coefficients a: Matrix, lowerParameters: Matrix?, upperParameters: Matrix?, rowDomain: [Int],
               derivatives: Bool) -> ChosenLines
}

/// The line used at every (row, neuron) of one backward step, `slope·z + intercept`, with its
/// rounding defect and (when requested) the derivatives of slope and intercept with respect to the
/// parameter of that line. All matrices are `rows x n`; the derivative matrices are empty when not
/// requested.
public struct ChosenLines: Sendable {
    public var slope: Matrix
    public var intercept: Matrix
    public var defect: Matrix
    public var slopeDerivative: Matrix
    public var interceptDerivative: Matrix

    public init(rows: Int, cols: Int, derivatives: Bool) {
        slope = Matrix(rows: rows, cols: cols)
        intercept = slope
        defect = slope
        slopeDerivative = derivatives ? slope : Matrix(rows: 0, cols: 0)
        interceptDerivative = slopeDerivative
    }

    /// Records the line of element `k` (`r·n + j`).
    @inline(__always)
    public mutating func set(_ k: Int, slope s: Double, intercept c: Double, defect e: Double,
                             slopeDerivative ds: Double = 0, interceptDerivative dc: Double = 0) {
        slope.data[k] = s
        intercept.data[k] = c
        defect.data[k] = e
        if !slopeDerivative.data.isEmpty {
            slopeDerivative.data[k] = ds
            interceptDerivative.data[k] = dc
        }
    }
}

extension ChosenLines {
    /// The lines of every (row, neuron) of coefficients `a`: `line(isLower, k, e)` gives the line (slope,
    /// intercept, defect, derivatives of slope and intercept) for element `e = r·n + j`, whose neuron is
    /// entry `k = rowDomain[r]·n + j` of the bounds and whose coefficient picks the lower line when `>= 0`.
    public static func choosing(for a: Matrix, rowDomain: [Int], derivatives: Bool,
                                _ line: (_ isLower: Bool, _ entry: Int, _ element: Int)
                                    -> (slope: Double, intercept: Double, defect: Double, ds: Double, dc: Double)) -> ChosenLines {
        let n = a.cols
        var out = ChosenLines(rows: a.rows, cols: n, derivatives: derivatives)
        for r in 0..<a.rows {
            for j in 0..<n {
                let e = r * n + j
                let l = line(a.data[e] >= 0, rowDomain[r] * n + j, e)
                out.set(e, slope: l.slope, intercept: l.intercept, defect: l.defect, slopeDerivative: l.ds, interceptDerivative: l.dc)
            }
        }
        return out
    }
}

extension LineFamily {
    public var initialLinesAreFixedRelaxation: Bool { true }

    /// ``initialParameter(lower:entry:)`` for every row (`rows x n`, row `r` reading domain `rowDomain[r]`).
    public func initialParameters(lower: Bool, rowDomain: [Int], neurons n: Int) -> Matrix {
        var p = Matrix(rows: rowDomain.count, cols: n)
        for (r, d) in rowDomain.enumerated() {
            for j in 0..<n { p.data[r * n + j] = initialParameter(lower: lower, entry: d * n + j) }
        }
        return p
    }
}
