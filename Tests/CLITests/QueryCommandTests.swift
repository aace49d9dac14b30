import Foundation
import Testing

/// `nnverify verify` on VNN-LIB 2.0 queries (the standard's interface) and `nnverify supports`.
@Suite struct QueryCommandTests {
    let iris = "models/iris/onnx/iris_mlp.onnx"
    let folder = "Tests/Fixtures/vnnlib2/iris/"

    /// The assignment after `sat`: every declared tensor as `NAME TYPE [SHAPE]` and its values.
    func expectAssignment(_ stdout: String, tensors: [(String, String, Int)], sourceLocation: SourceLocation = #_sourceLocation) {
        var lines = stdout.split(separator: "\n").map(String.init)[...]
        #expect(lines.popFirst() == "sat", sourceLocation: sourceLocation)
        for (name, header, count) in tensors {
            #expect(lines.popFirst() == "\(name) float32 \(header)", "\(stdout)", sourceLocation: sourceLocation)
            for _ in 0..<count {
                let value = lines.popFirst().flatMap(Double.init)
                #expect(value != nil, "\(stdout)", sourceLocation: sourceLocation)
                if name.hasPrefix("X"), let v = value {
                    #expect(Double(Float(v)) == v, "inputs are float32 values: \(v)", sourceLocation: sourceLocation)
                }
            }
        }
        #expect(lines.isEmpty, "\(stdout)", sourceLocation: sourceLocation)
    }

    @Test func aSingleNetworkQueryPrintsTheStandardAssignment() throws {
        let results = try CLIRunner.temporaryFile("assignment.txt")
        let out = try CLIRunner.run(["verify", folder + "demo_sat.vnnlib", "--network", "iris=\(iris)", "--results", results])
        #expect(out.status == 10, "\(out.stdout)\(out.stderr)")
        expectAssignment(out.stdout, tensors: [("X", "[4]", 4), ("Y", "[3]", 3)])
        #expect(out.stderr.contains("float32 check:         pass"), "\(out.stderr)")
        #expect(try String(contentsOfFile: results, encoding: .utf8) == out.stdout)
        // The model-then-query form takes the one network's model.
        let positional = try CLIRunner.run(["verify", iris, folder + "demo_sat.vnnlib"])
        #expect(positional.status == 10)
        expectAssignment(positional.stdout, tensors: [("X", "[4]", 4), ("Y", "[3]", 3)])
    }

    @Test func twoEqualNetworksOnTiedInputsAreProvenToAgree() throws {
        let out = try CLIRunner.run(["verify", folder + "equal_networks_agree.vnnlib", "--network", "f=\(iris)", "--timeout", "60"])
        #expect(out.status == 0, "\(out.stdout)\(out.stderr)")
        #expect(out.stdout == "unsat\n")
    }

    @Test func monotonicityOverTwoNetworks() throws {
        // Petal width up by at least 0.05, other inputs tied: the versicolor logit never falls
        // (unsat), and it can rise (sat, with both networks' inputs and outputs assigned).
        let down = try CLIRunner.run(["verify", folder + "monotone_down.vnnlib", "--network", "f=\(iris)", "--timeout", "30"])
        #expect(down.status == 0 && down.stdout == "unsat\n", "\(down.stdout)\(down.stderr)")
        let up = try CLIRunner.run(["verify", folder + "monotone_up.vnnlib", "--network", "f=\(iris)", "--timeout", "30"])
        #expect(up.status == 10, "\(up.stdout)\(up.stderr)")
        expectAssignment(up.stdout, tensors: [("X", "[4]", 4), ("Y", "[3]", 3), ("Xg", "[4]", 4), ("Yg", "[3]", 3)])
        let values = up.stdout.split(separator: "\n").compactMap { Double($0) }
        #expect(values[10] - values[3] >= 0.05, "Xg[3] - X[3] >= 0.05 holds exactly: \(values)")
        #expect(Array(values[0..<3]) == Array(values[7..<10]), "tied inputs are equal")
    }

    @Test func hiddenNodeConstraintsAreVerifiedAndAssigned() throws {
        // fc1[2] >= 1 leaves room for versicolor over setosa: sat, with the hidden tensor assigned
        // between the inputs and the outputs (declaration order) and its constraint holding there.
        let sat = try CLIRunner.run(["verify", folder + "hidden_sat.vnnlib", "--network", "iris=\(iris)", "--timeout", "30"])
        #expect(sat.status == 10, "\(sat.stdout)\(sat.stderr)")
        expectAssignment(sat.stdout, tensors: [("X", "[4]", 4), ("H", "[1,16]", 16), ("Y", "[3]", 3)])
        let values = sat.stdout.split(separator: "\n").compactMap { Double($0) }
        #expect(values[4 + 2] >= 1 && values[20 + 1] >= values[20], "H[0,2] >= 1 and Y[1] >= Y[0] hold: \(values)")
        // fc1[9] >= 1.5 forces setosa (unsat; the MILP agrees); the same query without it is sat.
        let unsat = try CLIRunner.run(["verify", folder + "hidden_unsat.vnnlib", "--network", "iris=\(iris)", "--timeout", "60"])
        #expect(unsat.status == 0 && unsat.stdout == "unsat\n", "\(unsat.stdout)\(unsat.stderr)")
    }

    @Test func badQueriesAndModelsAreClearErrors() throws {
        let cases: [([String], String)] = [
            (["verify", folder + "equal_networks_agree.vnnlib"], "no model for network 'f': give --network f=PATH"),
            (["verify", folder + "demo_sat.vnnlib", "--network", "g=\(iris)"], "the query declares no network 'g'"),
            (["verify", folder + "demo_sat.vnnlib", "--network", "iris=models/digits/onnx/digits_mlp.onnx"], "shape mismatch"),
            (["verify", folder + "hidden_declared.vnnlib", "--network", "iris=\(iris)"],
             "hidden_declared.vnnlib:4:37: error: hidden tensor H is bound to the ONNX value 'hidden', which \(iris) does not have"),
            (["verify", folder + "hidden_wrong_shape.vnnlib", "--network", "iris=\(iris)"],
             "hidden_wrong_shape.vnnlib:5:37: error: shape mismatch: hidden tensor H [1,8] has 8 elements, but the ONNX value 'fc1'"),
            (["verify", iris, "models/iris/vnnlib/demo_sat.vnnlib", "--network", "iris=\(iris)"], "--network is for VNN-LIB 2.0 queries"),
            (["verify", "Tests/Fixtures/vnnlib2/ours/err_version_3.vnnlib", "--network", "f=\(iris)"], "err_version_3.vnnlib:1:17: error: unsupported VNN-LIB version <3.0>"),
            (["verify", "Tests/Fixtures/vnnlib2/ours/unsupported_polynomial.vnnlib", "--network", "f=\(iris)"], "theory POLY"),
        ]
        for (arguments, needle) in cases {
            let out = try CLIRunner.run(arguments, timeout: 60)
            #expect(out.status == 1, "\(arguments): \(out.stdout)\(out.stderr)")
            #expect(out.stderr.contains(needle), "\(arguments): stderr lacks '\(needle)': \(out.stderr)")
        }
    }

    @Test func supportsListsTheRealOperatorRegistry() throws {
        let out = try CLIRunner.run(["supports", "--onnx-operators"])
        #expect(out.status == 0)
        let operators = out.stdout.split(separator: "\n")
        #expect(operators.contains("Gemm") && operators.contains("Relu") && operators.contains("Conv"))
        #expect(operators == operators.sorted())
        let versions = try CLIRunner.run(["supports", "--vnnlib-versions"])
        #expect(versions.stdout == "1.0\n2.0\n")
        let theories = try CLIRunner.run(["supports", "--arithmetic-complexity-theories"])
        #expect(theories.stdout == "BND\nOUTC\nLIN\n")
        #expect(try CLIRunner.run(["supports", "--serialise-assignments"]).stdout == "true\n")
    }

    @Test func serialisedAssignmentsAreOneTensorFilePerVariable() throws {
        let dir = try CLIRunner.temporaryFile("assignment")
        let out = try CLIRunner.run(["verify", folder + "monotone_up.vnnlib", "--network", "f=\(iris)", "--timeout", "30",
                                     "--serialise-assignments", dir])
        #expect(out.status == 10, "\(out.stdout)\(out.stderr)")
        #expect(out.stdout == "sat\n", "the assignment goes to the files, not to stdout")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
        #expect(files == ["X.pb", "Xg.pb", "Y.pb", "Yg.pb"])
        // A float32 tensor of 4 elements: the dims, the data type FLOAT and 4 floats are all in the message.
        let x = try Data(contentsOf: URL(fileURLWithPath: dir + "/X.pb"))
        #expect(x.count > 16)
        // unsat writes no file; a VNN-LIB 1.0 property is refused with a message.
        let none = try CLIRunner.temporaryFile("none")
        let down = try CLIRunner.run(["verify", folder + "monotone_down.vnnlib", "--network", "f=\(iris)", "--timeout", "30",
                                      "--serialise-assignments", none])
        #expect(down.status == 0 && down.stdout == "unsat\n")
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: none)) ?? []).isEmpty)
        let old = try CLIRunner.run(["verify", iris, "models/iris/vnnlib/demo_robust.vnnlib", "--serialise-assignments", none])
        #expect(old.status == 1 && old.stderr.contains("--serialise-assignments needs a VNN-LIB 2.0 query"), "\(old.stderr)")
    }
}
