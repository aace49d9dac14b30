extension Specification {
    /// Checks that a model with `inputCount` inputs and `outputCount` outputs (flattened element
    /// counts) fits this specification's declared `X_` and `Y_` variables.
    ///
    /// - Throws: `VNNLibError` of kind `incompatibleModel` naming both sizes, inputs first.
    public func checkCompatible(inputCount: Int, outputCount: Int) throws {
        if inputCount != self.inputCount {
            throw mismatch("inputs", model: inputCount, declared: self.inputCount, letter: "X")
        }
        if outputCount != self.outputCount {
            throw mismatch("outputs", model: outputCount, declared: self.outputCount, letter: "Y")
        }
    }

    private func mismatch(_ what: String, model: Int, declared: Int, letter: String) -> VNNLibError {
        let range = declared > 0 ? "\(declared) (\(letter)_0 ... \(letter)_\(declared - 1))" : "none"
        return VNNLibError(
            kind: .incompatibleModel,
            message: "the model has \(model) \(what) but the specification declares \(range)", fileName: nil)
    }
}
