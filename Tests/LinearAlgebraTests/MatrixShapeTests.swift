import TestSupport
import LinearAlgebra
import Testing

/// Construction, indexing and the reshaping helpers of `Matrix`.
@Suite struct MatrixShapeTests {
    @Test func identity() {
        #expect(Matrix.identity(0) == Matrix(rows: 0, cols: 0))
        #expect(Matrix.identity(1) == Matrix(rowVectors: [[1]]))
        #expect(Matrix.identity(3) == Matrix(rowVectors: [[1, 0, 0], [0, 1, 0], [0, 0, 1]]))
    }

    @Test func rowMajorLayoutAndIndexing() {
        var m = Matrix(rowVectors: [[1, 2, 3], [4, 5, 6]])
        #expect(m.rows == 2 && m.cols == 3)
        #expect(m.data == [1, 2, 3, 4, 5, 6])
        #expect(m[1, 0] == 4 && m[0, 2] == 3)
        m[1, 2] = 60
        #expect(m.data == [1, 2, 3, 4, 5, 60])
        #expect(m.row(1) == [4, 5, 60])
        #expect(m.rows(1..<2) == Matrix(rowVectors: [[4, 5, 60]]))
        #expect(m.rows(1..<1) == Matrix(rows: 0, cols: 3))
        #expect(Matrix(rowVectors: []) == Matrix(rows: 0, cols: 0))
        #expect(Matrix(rows: 2, cols: 2, repeating: 7).data == [7, 7, 7, 7])
    }

    @Test func transposed() {
        let m = Matrix(rowVectors: [[1, 2, 3], [4, 5, 6]])
        #expect(m.transposed == Matrix(rowVectors: [[1, 4], [2, 5], [3, 6]]))
        var rng = SeededGenerator(seed: 7)
        for (rows, cols) in [(0, 0), (0, 3), (3, 0), (1, 1), (1, 6), (6, 1), (5, 9)] {
            let a = randomMatrix(rows, cols, using: &rng)
            let t = a.transposed
            #expect(t.rows == cols && t.cols == rows, "\(rows)x\(cols)")
            #expect(t.transposed == a, "\(rows)x\(cols)")
            for r in 0..<rows {
                for c in 0..<cols { #expect(t[c, r] == a[r, c]) }
            }
        }
    }

    @Test func repeatingRows() {
        let m = Matrix(rowVectors: [[1, 2], [3, 4]])
        #expect(m.repeatingRows(1) == m)
        #expect(m.repeatingRows(3) == Matrix(rowVectors: [[1, 2], [1, 2], [1, 2], [3, 4], [3, 4], [3, 4]]))
        #expect(m.repeatingRows(0) == Matrix(rows: 0, cols: 2))
        #expect(Matrix(rows: 0, cols: 5).repeatingRows(4) == Matrix(rows: 0, cols: 5))
        #expect(Matrix(rows: 3, cols: 0).repeatingRows(2) == Matrix(rows: 6, cols: 0))
        var rng = SeededGenerator(seed: 8)
        let a = randomMatrix(4, 3, using: &rng)
        let repeated = a.repeatingRows(5)
        for r in 0..<20 { #expect(repeated.row(r) == a.row(r / 5)) }
    }

    @Test func vstack() {
        let a = Matrix(rowVectors: [[1, 2]])
        let b = Matrix(rowVectors: [[3, 4], [5, 6]])
        #expect(Matrix.vstack([a, b]) == Matrix(rowVectors: [[1, 2], [3, 4], [5, 6]]))
        #expect(Matrix.vstack([b, a]) == Matrix(rowVectors: [[3, 4], [5, 6], [1, 2]]))
        #expect(Matrix.vstack([a]) == a)
        #expect(Matrix.vstack([]) == Matrix(rows: 0, cols: 0))
        #expect(Matrix.vstack([Matrix(rows: 0, cols: 2), a, Matrix(rows: 0, cols: 2)]) == a)
        #expect(Matrix.vstack([Matrix(rows: 2, cols: 0), Matrix(rows: 1, cols: 0)]) == Matrix(rows: 3, cols: 0))
        // vstack and rows(_:) are inverse to each other.
        var rng = SeededGenerator(seed: 9)
        let m = randomMatrix(7, 4, using: &rng)
        #expect(Matrix.vstack([m.rows(0..<2), m.rows(2..<2), m.rows(2..<7)]) == m)
    }

    @Test func addToEachRow() {
        var m = Matrix(rowVectors: [[1, 2, 3], [4, 5, 6]])
        m.addToEachRow([10, 20, 30])
        #expect(m == Matrix(rowVectors: [[11, 22, 33], [14, 25, 36]]))
        var empty = Matrix(rows: 0, cols: 3)
        empty.addToEachRow([1, 2, 3])
        #expect(empty == Matrix(rows: 0, cols: 3))
        var noColumns = Matrix(rows: 2, cols: 0)
        noColumns.addToEachRow([])
        #expect(noColumns == Matrix(rows: 2, cols: 0))
    }

    @Test func elementwiseArithmetic() {
        let a = Matrix(rowVectors: [[1, 2], [3, 4]])
        let b = Matrix(rowVectors: [[0.5, -1], [2, 0]])
        #expect(a + b == Matrix(rowVectors: [[1.5, 1], [5, 4]]))
        var c = a
        c.add(b, scale: -2)
        #expect(c == Matrix(rowVectors: [[0, 4], [-1, 4]]))
        #expect(a.map { $0 * $0 } == Matrix(rowVectors: [[1, 4], [9, 16]]))
    }
}
