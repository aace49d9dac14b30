/// A labelled data set: one input vector and one class label per sample.
///
/// Produced by ``LabelledDataReader``. Every input holds `sampleShape.reduce(1, *)` finite values
/// in C (row-major) order; labels are non-negative integers. Whether the sizes fit a model is
/// checked separately with ``validate(inputCount:classCount:)``.
public struct LabelledData: Sendable, Equatable {
    /// The inputs, one flat vector per sample (C order over `sampleShape`).
    public var inputs: [[Double]]
    /// The class label of each sample (same count as `inputs`).
    public var labels: [Int]
    /// The shape of one sample: `[64]` for a CSV row of 64 values, `[1, 28, 28]` for an NPY array
    /// of shape `(N, 1, 28, 28)`.
    public var sampleShape: [Int]
    /// Where the data came from, as named in error messages (a path, or `archive.npz[x.npy]`).
    public var source: String
    /// For CSV data, the 1-based line of each sample (for error messages); nil for binary formats.
    public var lineNumbers: [Int]?

    /// A data set with the given contents (not checked; see ``validate(inputCount:classCount:)``).
    public init(
        inputs: [[Double]], labels: [Int], sampleShape: [Int], source: String, lineNumbers: [Int]? = nil
    ) {
        self.inputs = inputs
        self.labels = labels
        self.sampleShape = sampleShape
        self.source = source
        self.lineNumbers = lineNumbers
    }

    /// The number of samples.
    public var count: Int { inputs.count }

    /// The location of sample `index` for error messages (with its CSV line when known).
    public func location(ofSample index: Int) -> DataFileError.Location {
        let line = lineNumbers.flatMap { index < $0.count ? $0[index] : nil }
        return .sample(index, line: line)
    }

    /// Checks that the data fit a model with `inputCount` inputs and (when given) `classCount`
    /// outputs: at least one sample, as many labels as samples, every input of length
    /// `inputCount` with finite values, every label in `0..<classCount`.
    ///
    /// - Throws: ``DataFileError`` naming the first offending sample (and its CSV line):
    ///   `.emptyData`, `.shapeMismatch`, `.invalidValue` or `.labelOutOfRange`.
    public func validate(inputCount: Int, classCount: Int?) throws {
        guard !inputs.isEmpty else {
            throw DataFileError(.emptyData, file: source, "the data set has no samples")
        }
        guard labels.count == inputs.count else {
            throw DataFileError(
                .shapeMismatch, file: source,
                "\(inputs.count) samples but \(labels.count) labels; expected one label per sample")
        }
        for (index, input) in inputs.enumerated() {
            guard input.count == inputCount else {
                throw DataFileError(
                    .shapeMismatch, file: source, at: location(ofSample: index),
                    "sample has \(input.count) input values; the model expects \(inputCount)")
            }
            if let bad = input.firstIndex(where: { !$0.isFinite }) {
                throw DataFileError(
                    .invalidValue, file: source, at: location(ofSample: index),
                    "input value \(bad) is \(input[bad]); inputs must be finite")
            }
        }
        for (index, label) in labels.enumerated() {
            guard label >= 0 else {
                throw DataFileError(
                    .labelOutOfRange, file: source, at: location(ofSample: index),
                    "label \(label) is negative; expected a class index >= 0")
            }
            if let classCount, label >= classCount {
                throw DataFileError(
                    .labelOutOfRange, file: source, at: location(ofSample: index),
                    "label \(label) is outside 0..<\(classCount) (the model has \(classCount) outputs)")
            }
        }
    }
}
