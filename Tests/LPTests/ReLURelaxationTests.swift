import LP
import Testing

/// The verifier's use of the LP backend in miniature: one ReLU y = max(0, x) with x in [l, u] = [-1, 2].
///
/// Triangle relaxation: y >= 0, y >= x, y <= u (x - l) / (u - l) = (2/3)(x + 1): the triangle with
/// vertices (-1, 0), (0, 0), (2, 2). Exact MILP encoding with a binary a (a = 1: active):
/// y >= 0, y >= x, y <= x - l (1 - a) = x + 1 - a, y <= u a = 2a.
@Suite struct ReLURelaxationTests {
    /// Variables x (index 0) and y (index 1) with the triangle relaxation; the objective is set by the caller.
    static func triangle(sense: LinearProgram.Sense) -> LinearProgram {
        var lp = LinearProgram(sense: sense)
        let x = lp.addVariable(lower: -1, upper: 2, name: "x")
        let y = lp.addVariable(lower: 0, upper: .infinity, name: "y")
        lp.addConstraint([(y, 1), (x, -1)], lower: 0, name: "y >= x")
        lp.addConstraint([(y, 1), (x, -2.0 / 3)], upper: 2.0 / 3, name: "upper triangle edge")
        return lp
    }

    /// The exact encoding: x (0), y (1), binary a (2).
    static func exact(sense: LinearProgram.Sense) -> LinearProgram {
        var lp = LinearProgram(sense: sense)
        let x = lp.addVariable(lower: -1, upper: 2, name: "x")
        let y = lp.addVariable(lower: 0, upper: .infinity, name: "y")
        let a = lp.addBinaryVariable(name: "a")
        lp.addConstraint([(y, 1), (x, -1)], lower: 0)
        lp.addConstraint([(y, 1), (x, -1), (a, 1)], upper: 1)
        lp.addConstraint([(y, 1), (a, -2)], upper: 0)
        return lp
    }

    @Test func maximiseYMinusX() throws {
        // y - x over the vertices: (-1,0) -> 1, (0,0) -> 0, (2,2) -> 0. Optimum 1 at x = -1, y = 0.
        var lp = Self.triangle(sense: .maximise)
        lp.variables[0].objective = -1
        lp.variables[1].objective = 1
        expectOptimal(try lp.solve(), objective: 1, values: [-1, 0])
        var exact = Self.exact(sense: .maximise)
        exact.variables[0].objective = -1
        exact.variables[1].objective = 1
        expectOptimal(try exact.solveMILP(), objective: 1, values: [-1, 0, 0])
    }

    @Test func relaxationIsLooseInsideTheTriangle() throws {
        // At x = 0.5 the ReLU gives y = 0.5; the triangle allows y in [0.5, (2/3)(1.5)] = [0.5, 1].
        var lp = Self.triangle(sense: .maximise)
        lp.addConstraint([(0, 1)], equals: 0.5)
        lp.variables[1].objective = 1
        expectOptimal(try lp.solve(), objective: 1, values: [0.5, 1])
        lp.sense = .minimise
        expectOptimal(try lp.solve(), objective: 0.5, values: [0.5, 0.5])

        var exact = Self.exact(sense: .maximise)
        exact.addConstraint([(0, 1)], equals: 0.5)
        exact.variables[1].objective = 1
        expectOptimal(try exact.solveMILP(), objective: 0.5, values: [0.5, 0.5, 1])
        // The relaxation of the exact encoding is looser than the ReLU but never tighter.
        let relaxed = try exact.solve()
        #expect((relaxed.objective ?? -.infinity) >= 0.5 - 1e-9)
    }

    @Test func exactEncodingMatchesSampledReLU() throws {
        // For objectives c_x x + c_y y, the MILP optimum equals the best of ReLU's graph, sampled finely
        // (the maximum sits at a kink or an end point, all of which the grid contains).
        let objectives: [(Double, Double)] = [(1, 1), (-1, 1), (1, -2), (-3, 1), (0.5, -1), (0, 1), (0, -1)]
        for (cx, cy) in objectives {
            var exact = Self.exact(sense: .maximise)
            exact.variables[0].objective = cx
            exact.variables[1].objective = cy
            let sampled = stride(from: -1.0, through: 2.0, by: 0.125).map { cx * $0 + cy * max(0, $0) }.max()!
            expectOptimal(try exact.solveMILP(), objective: sampled, tolerance: 1e-9)
            var triangle = Self.triangle(sense: .maximise)
            triangle.variables[0].objective = cx
            triangle.variables[1].objective = cy
            // A relaxation can only overestimate the maximum.
            let relaxed = try triangle.solve().objective ?? -.infinity
            #expect(relaxed >= sampled - 1e-9, "objective (\(cx), \(cy)): relaxation \(relaxed) < exact \(sampled)")
        }
    }
}
