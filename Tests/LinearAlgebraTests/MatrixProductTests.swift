import TestSupport
import LinearAlgebra
import Testing

/// `multiplied(by:transposeSelf:transposeOther:)` (BLAS) against a naive triple loop.
@Suite struct MatrixProductTests {
    /// `op(a) * op(b)` by the definition, with `op` transposing when asked.
    static func naiveProduct(_ a: Matrix, _ b: Matrix, transposeA: Bool, transposeB: Bool) -> Matrix {
        let m = transposeA ? a.cols : a.rows
        let k = transposeA ? a.rows : a.cols
        let n = transposeB ? b.rows : b.cols
        var out = Matrix(rows: m, cols: n)
        for i in 0..<m {
            for j in 0..<n {
                var sum = 0.0
                for p in 0..<k {
                    let x = transposeA ? a[p, i] : a[i, p]
                    let y = transposeB ? b[j, p] : b[p, j]
                    sum += x * y
                }
                out[i, j] = sum
            }
        }
        return out
    }

    /// Operands of the right stored shapes for `op(a)` of size m x k and `op(b)` of size k x n.
    static func operands(m: Int, n: Int, k: Int, transposeA: Bool, transposeB: Bool,
                         using rng: inout SeededGenerator) -> (Matrix, Matrix) {
        let a = transposeA ? randomMatrix(k, m, using: &rng) : randomMatrix(m, k, using: &rng)
        let b = transposeB ? randomMatrix(n, k, using: &rng) : randomMatrix(k, n, using: &rng)
        return (a, b)
    }

    /// Expects `got` to have `expected`'s shape and entries up to rounding (|error| <= 1e-12 · (k + 1)).
    static func expectClose(_ got: Matrix, _ expected: Matrix, k: Int, _ label: String,
                            sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(got.rows == expected.rows && got.cols == expected.cols,
                "\(label): shape \(got.rows)x\(got.cols), expected \(expected.rows)x\(expected.cols)",
                sourceLocation: sourceLocation)
        guard got.data.count == expected.data.count else { return }
        let worst = zip(got.data, expected.data).map { abs($0 - $1) }.max() ?? 0
        #expect(worst <= 1e-12 * Double(k + 1), "\(label): largest error \(worst)", sourceLocation: sourceLocation)
    }

    static let transposeCombinations = [(false, false), (true, false), (false, true), (true, true)]

    @Test(arguments: transposeCombinations)
    func seededRandomShapes(transposeA: Bool, transposeB: Bool) {
        var rng = SeededGenerator(seed: transposeA ? (transposeB ? 4 : 2) : (transposeB ? 3 : 1))
        let sizes = [0, 1, 2, 3, 5, 8, 13, 31, 64]
        for trial in 0..<60 {
            let m = sizes.randomElement(using: &rng)!, n = sizes.randomElement(using: &rng)!
            let k = sizes.randomElement(using: &rng)!
            let (a, b) = Self.operands(m: m, n: n, k: k, transposeA: transposeA, transposeB: transposeB, using: &rng)
            let got = a.multiplied(by: b, transposeSelf: transposeA, transposeOther: transposeB)
            let expected = Self.naiveProduct(a, b, transposeA: transposeA, transposeB: transposeB)
            Self.expectClose(got, expected, k: k, "trial \(trial) m=\(m) n=\(n) k=\(k) tA=\(transposeA) tB=\(transposeB)")
        }
    }

    @Test(arguments: transposeCombinations)
    func everyShapeWithDimensionsZeroOneOrTwo(transposeA: Bool, transposeB: Bool) {
        var rng = SeededGenerator(seed: 99)
        for m in 0...2 {
            for n in 0...2 {
                for k in 0...2 {
                    let (a, b) = Self.operands(m: m, n: n, k: k, transposeA: transposeA, transposeB: transposeB, using: &rng)
                    let got = a.multiplied(by: b, transposeSelf: transposeA, transposeOther: transposeB)
                    let expected = Self.naiveProduct(a, b, transposeA: transposeA, transposeB: transposeB)
                    Self.expectClose(got, expected, k: k, "m=\(m) n=\(n) k=\(k) tA=\(transposeA) tB=\(transposeB)")
                }
            }
        }
    }

    @Test func emptyInnerDimensionGivesZeros() {
        // A 3x0 times 0x4 product is the 3x4 zero matrix (every entry is an empty sum).
        let product = Matrix(rows: 3, cols: 0) * Matrix(rows: 0, cols: 4)
        #expect(product == Matrix(rows: 3, cols: 4, repeating: 0))
    }

    @Test func handComputedProduct() {
        let a = Matrix(rowVectors: [[1, 2, 3], [4, 5, 6]])
        let b = Matrix(rowVectors: [[7, 8], [9, 10], [11, 12]])
        #expect(a * b == Matrix(rowVectors: [[58, 64], [139, 154]]))
        #expect(b.multiplied(by: a, transposeSelf: true, transposeOther: true) == Matrix(rowVectors: [[58, 139], [64, 154]]))
        #expect(a.multiplied(by: a, transposeOther: true) == Matrix(rowVectors: [[14, 32], [32, 77]]))
        #expect(a.multiplied(by: a, transposeSelf: true)
                == Matrix(rowVectors: [[17, 22, 27], [22, 29, 36], [27, 36, 45]]))
    }

    @Test func operatorAgreesWithMultiplied() {
        var rng = SeededGenerator(seed: 5)
        let a = randomMatrix(7, 4, using: &rng), b = randomMatrix(4, 9, using: &rng)
        #expect(a * b == a.multiplied(by: b))
    }

    @Test func identityIsNeutral() {
        var rng = SeededGenerator(seed: 6)
        for (rows, cols) in [(0, 0), (1, 1), (3, 5), (6, 2), (0, 4), (4, 0)] {
            let a = randomMatrix(rows, cols, using: &rng)
            #expect(Matrix.identity(rows) * a == a, "\(rows)x\(cols)")
            #expect(a * Matrix.identity(cols) == a, "\(rows)x\(cols)")
        }
    }
}
