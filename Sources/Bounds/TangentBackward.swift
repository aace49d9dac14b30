import LinearAlgebra
import NNGraph

/// What a parameterised backward step through a sigmoid/tanh node keeps for the gradient.
struct TangentStep {
    /// Coefficients on the activation's input after the step (`A·slope`).
    var coefficients: Matrix
    /// Coefficients on the activation's output before the step.
    var output: Matrix
    /// Per row and neuron: the line used and the derivatives of its slope and intercept with
    /// respect to that line's parameter (empty without a gradient).
    var slopes: Matrix
    var intercepts: Matrix
    var slopeDerivatives: Matrix
    var interceptDerivatives: Matrix

    /// `∂bound/∂p = A·(ẑ_in·ds/dp + dc/dp)`, credited to the lower line's parameter where `A >= 0`
    /// (the lower line was used) and to the upper line's elsewhere; `input` is `ẑ_in`.
    func parameterGradient(input zin: Matrix) -> (lower: Matrix, upper: Matrix) {
        var lower = Matrix(rows: output.rows, cols: output.cols), upper = lower
        for k in 0..<output.data.count {
            let a = output.data[k]
            let g = a * (zin.data[k] * slopeDerivatives.data[k] + interceptDerivatives.data[k])
            if a >= 0 { lower.data[k] = g } else { upper.data[k] = g }
        }
        return (lower, upper)
    }
}

extension CROWN {
    /// One backward step through a sigmoid/tanh node whose lines are tangents chosen per row: a
    /// non-negative coefficient takes the row's lower line, a negative one its upper line
    /// (``SShapedActivation/tangentLine(lower:parameter:neuron:ranges:)``). Records the step's rounding
    /// in `ledger` with the same line defect as the fixed sigmoid/tanh lines
    /// (``RoundingError/lineDefect(isReLU:lowerLine:l:u:s:c:)``: `16u(1 + |s|h + |c|)`).
    func tangentBackward(_ a: Matrix, activation act: any SShapedActivation, ranges: TangentRanges,
                         lowerParameters: Matrix, upperParameters: Matrix, magnitudes h: Matrix, rowDomain: [Int],
                         constant: inout [Double], ledger: inout RoundingLedger, record: Bool) -> TangentStep {
        let n = a.cols, rows = a.rows
        var out = a
        let empty = Matrix(rows: 0, cols: 0)
        var step = TangentStep(coefficients: empty, output: record ? a : empty, slopes: empty, intercepts: empty,
                               slopeDerivatives: empty, interceptDerivatives: empty)
        if record {
            step.slopes = Matrix(rows: rows, cols: n)
            step.intercepts = step.slopes
            step.slopeDerivatives = step.slopes
            step.interceptDerivatives = step.slopes
        }
        for r in 0..<rows {
            let base = rowDomain[r] * n, rb = r * n
            var acc = 0.0, scaled = 0.0, interceptSum = 0.0, defect = 0.0
            for j in 0..<n {
                let coef = a.data[rb + j]
                let k = base + j
                let isLower = coef >= 0
                let p = isLower ? lowerParameters.data[rb + j] : upperParameters.data[rb + j]
                let line = act.tangentLine(lower: isLower, parameter: p, neuron: k, ranges: ranges)
                out.data[rb + j] = coef * line.slope
                let term = coef * line.intercept
                acc += term
                interceptSum += abs(term)
                scaled += abs(out.data[rb + j]) * h.data[k]
                defect += abs(coef) * RoundingError.lineDefect(isReLU: false, lowerLine: isLower, l: ranges.lower[k],
                                                               u: ranges.upper[k], s: line.slope, c: line.intercept)
                if record {
                    step.slopes.data[rb + j] = line.slope
                    step.intercepts.data[rb + j] = line.intercept
                    step.slopeDerivatives.data[rb + j] = line.slopeDerivative
                    step.interceptDerivatives.data[rb + j] = line.interceptDerivative
                }
            }
            constant[r] += acc
            ledger.activation(row: r, scaled: scaled, intercepts: interceptSum, defects: defect, n: n, constant: constant[r])
        }
        step.coefficients = out
        return step
    }
}
