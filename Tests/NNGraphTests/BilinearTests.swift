import Foundation
import LinearAlgebra
import NNGraph
import Testing
import TestSupport

/// The elementwise product of two values: interval and McCormick planes (any combination) enclose
/// `x·y` at samples of ordinary, tiny, huge, one-sided and degenerate boxes; gradient and forward.
@Suite struct BilinearTests {
    static func boxes(seed: UInt64) -> [(lx: Double, ux: Double, ly: Double, uy: Double)] {
        var list: [(Double, Double, Double, Double)] = [
            (0, 0, -1, 1), (-1, 1, 0, 0), (1, 1, 2, 2), (-1e-9, 1e-9, -2e-9, 3e-9), (-1e6, 1e6, -1e5, 2e5),
            (0, 5, 0, 3), (-5, 0, -3, 0), (-5, 0, 0, 3), (2, 9, -4, -1), (-1, 1, 5, 5), (1e-300, 2e-300, -1, 1),
        ]
        var rng = SeededGenerator(seed: seed)
        for _ in 0..<400 {
            let scale = [0.01, 1, 10, 1e4][Int.random(in: 0..<4, using: &rng)]
            let a = rng.uniform(-scale, scale), b = rng.uniform(-scale, scale)
            let c = rng.uniform(-scale, scale), d = rng.uniform(-scale, scale)
            list.append((min(a, b), max(a, b), min(c, d), max(c, d)))
        }
        return list
    }

    static func grid(_ l: Double, _ u: Double) -> [Double] { (0...12).map { min(max(l + (u - l) * Double($0) / 12, l), u) } }

    @Test func intervalAndPlanesEncloseTheProduct() {
        var rng = SeededGenerator(seed: 31)
        let product = Product(size: 1)
        for (lx, ux, ly, uy) in Self.boxes(seed: 30) {
            let x = IntervalMatrix(lower: Matrix(rows: 1, cols: 1, data: [lx]), upper: Matrix(rows: 1, cols: 1, data: [ux]))
            let y = IntervalMatrix(lower: Matrix(rows: 1, cols: 1, data: [ly]), upper: Matrix(rows: 1, cols: 1, data: [uy]))
            let image = product.interval([x, y])
            for lambda in [0, 1, 0.5, rng.uniform(0, 1), rng.uniform(-0.5, 1.5)] {
                let low = McCormick.plane(lower: true, lambda: lambda, lx: lx, ux: ux, ly: ly, uy: uy)
                let high = McCormick.plane(lower: false, lambda: lambda, lx: lx, ux: ux, ly: ly, uy: uy)
                for a in Self.grid(lx, ux) {
                    for b in Self.grid(ly, uy) {
                        let z = a * b, slack = 2 * LineDefect.unit * abs(z) + 1e-300
                        let below = low.x * a + low.y * b + low.constant - low.defect
                        let above = high.x * a + high.y * b + high.constant + high.defect
                        let evaluation = 4 * LineDefect.unit * (abs(low.x * a) + abs(low.y * b) + abs(low.constant)
                                                                + abs(high.x * a) + abs(high.y * b) + abs(high.constant))
                        #expect(below <= z + slack + evaluation, "lower plane above x·y at (\(a), \(b)) on [\(lx), \(ux)]×[\(ly), \(uy)]")
                        #expect(above >= z - slack - evaluation, "upper plane below x·y at (\(a), \(b)) on [\(lx), \(ux)]×[\(ly), \(uy)]")
                        #expect(image.lower.data[0] <= z && z <= image.upper.data[0], "interval [\(image.lower.data[0]), \(image.upper.data[0])] misses x·y = \(z) at (\(a), \(b)) on [\(lx), \(ux)]×[\(ly), \(uy)]")
                        #expect(!below.isNaN && !above.isNaN)
                    }
                }
            }
        }
    }

    @Test func forwardAndGradient() {
        let product = Product(size: 3)
        let x = Matrix(rows: 2, cols: 3, data: [1, -2, 3, 0.5, 4, -1]), y = Matrix(rows: 2, cols: 3, data: [2, 2, -1, 6, 0.25, 3])
        let z = product.forward([x, y])
        #expect(z.data == [2, -4, -3, 3, 1, -3])
        let g = product.gradient(inputs: [x, y], output: z, outputGradient: Matrix(rows: 2, cols: 3, data: [Double](repeating: 1, count: 6)))
        #expect(g[0].data == y.data && g[1].data == x.data)
    }

    @Test func infiniteBoundsGiveInfiniteIntervalsNotNaN() {
        let x = IntervalMatrix(lower: Matrix(rows: 1, cols: 1, data: [0]), upper: Matrix(rows: 1, cols: 1, data: [.infinity]))
        let y = IntervalMatrix(lower: Matrix(rows: 1, cols: 1, data: [-1]), upper: Matrix(rows: 1, cols: 1, data: [1]))
        let image = Product(size: 1).interval([x, y])
        #expect(image.lower.data[0] == -.infinity && image.upper.data[0] == .infinity)
    }
}
