import Foundation
import LinearAlgebra
import NNGraph
import Testing
import TestSupport
@testable import Bounds

/// CROWN's objective pass under a deadline (``CROWN/lowerBound(of:objective:constant:input:bounds:deadline:)``):
/// its rows are bounded in timed chunks, so a deadline in the future gives the bounds of one whole pass, and a
/// deadline already past leaves every row at `−∞`, a bound that proves nothing.
@Suite struct ObjectiveDeadlineTests {
    /// Eight boxes and seven objective rows: 56 rows, more than the first timed chunk of 32.
    func problem(seed: UInt64) -> (CROWN, Matrix, [Double], IntervalMatrix, [ValueID: IntervalMatrix], Network) {
        var rng = SeededGenerator(seed: seed)
        let sizes = [3, 10, 8, 4]
        let net = RandomNetworks.mlp(sizes, using: &rng)
        var lo = [Double](), hi = [Double]()
        for _ in 0..<8 {
            let box = RandomNetworks.box(3, maxWidth: 0.8, using: &rng)
            lo += box.lower; hi += box.upper
        }
        let input = IntervalMatrix(lower: Matrix(rows: 8, cols: 3, data: lo), upper: Matrix(rows: 8, cols: 3, data: hi))
        let c = Matrix(rows: 7, cols: 4, data: (0..<28).map { _ in rng.uniform(-1, 1) })
        let d = (0..<7).map { _ in rng.uniform(-1, 1) }
        let crown = CROWN(network: net)
        return (crown, c, d, input, crown.intermediateBounds(input: input), net)
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func aFutureDeadlineGivesTheWholePassBounds(seed: UInt64) {
        let (crown, c, d, input, inter, net) = problem(seed: seed)
        let whole = crown.lowerBound(of: net.output, objective: c, constant: d, input: input, bounds: inter)
        let chunked = crown.lowerBound(of: net.output, objective: c, constant: d, input: input, bounds: inter,
                                       deadline: Date().addingTimeInterval(3600))
        #expect(chunked.lower.rows == 8 && chunked.lower.cols == 7)
        for (a, b) in zip(whole.lower.data, chunked.lower.data) { #expect(abs(a - b) <= 1e-12 * (1 + abs(a))) }
        for (a, b) in zip(whole.inputConstant, chunked.inputConstant) { #expect(abs(a - b) <= 1e-12 * (1 + abs(a))) }
        for (a, b) in zip(whole.inputCoefficients.data, chunked.inputCoefficients.data) { #expect(abs(a - b) <= 1e-12 * (1 + abs(a))) }
        #expect(whole.lower.data.allSatisfy { $0.isFinite })
    }

    @Test func aPassedDeadlineProvesNothing() {
        let (crown, c, d, input, inter, net) = problem(seed: 4)
        let late = crown.lowerBound(of: net.output, objective: c, constant: d, input: input, bounds: inter,
                                    deadline: Date().addingTimeInterval(-1))
        #expect(late.lower.rows == 8 && late.lower.cols == 7)
        #expect(late.lower.data.allSatisfy { $0 == -.infinity })
        #expect(late.inputConstant.allSatisfy { $0 == -.infinity })
        #expect(late.inputCoefficients.rows == 56 && late.inputCoefficients.data.allSatisfy { $0 == 0 })
    }
}
