import LinearAlgebra
import TestSupport

/// A `rows x cols` matrix with entries uniform in [-1, 1].
func randomMatrix(_ rows: Int, _ cols: Int, using rng: inout SeededGenerator) -> Matrix {
    Matrix(rows: rows, cols: cols, data: (0..<(rows * cols)).map { _ in Double.random(in: -1...1, using: &rng) })
}
