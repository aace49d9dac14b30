import Testing
@testable import VNNLib

/// `(declare-const X_0 Real)` ... and `(declare-const Y_0 Real)` ..., one per line.
func declarations(inputs: Int, outputs: Int) -> String {
    (0..<inputs).map { "(declare-const X_\($0) Real)\n" }.joined()
        + (0..<outputs).map { "(declare-const Y_\($0) Real)\n" }.joined()
}

/// `(assert (>= X_i lo))` and `(assert (<= X_i hi))` for each bound pair.
func boxAsserts(_ bounds: [(Double, Double)]) -> String {
    bounds.enumerated().map { "(assert (>= X_\($0.offset) \($0.element.0)))\n(assert (<= X_\($0.offset) \($0.element.1)))\n" }
        .joined()
}

func box(_ bounds: [(Double, Double)]) -> InputBox {
    InputBox(lower: bounds.map(\.0), upper: bounds.map(\.1))
}

func constraint(_ coefficients: [Double], _ constant: Double = 0) -> LinearConstraint {
    LinearConstraint(coefficients: coefficients, constant: constant)
}

/// Parses `text` as file `test.vnnlib`.
func parse(_ text: String) throws -> Specification {
    try VNNLibParser.parse(text, fileName: "test.vnnlib")
}

/// The `VNNLibError` thrown when parsing `text` as `test.vnnlib`, or nil (recorded as a failure).
func parseError(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> VNNLibError? {
    do {
        let spec = try parse(text)
        Issue.record("expected an error, parsed \(spec)", sourceLocation: sourceLocation)
        return nil
    } catch let error as VNNLibError {
        return error
    } catch {
        Issue.record("unexpected error type: \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

/// Expects parsing `text` to fail with exactly the rendered diagnostic `expected` and `kind`.
func expectError(
    _ text: String, _ kind: VNNLibError.Kind, _ expected: String, sourceLocation: SourceLocation = #_sourceLocation
) {
    guard let error = parseError(text, sourceLocation: sourceLocation) else { return }
    #expect(error.description == expected, sourceLocation: sourceLocation)
    #expect(error.kind == kind, sourceLocation: sourceLocation)
}
