import Foundation

/// Reads a labelled data set from the files given to `nnverify attack --inputs FILE [--labels FILE]`,
/// choosing the format by the inputs file's extension:
///
/// - `.csv`: rows `label,x0,x1,...` (see ``CSVDataReader``); labels are the first column, so a
///   separate labels file is an error.
/// - `.npy`: an array of shape `(N, ...)` holding N samples; the labels file is required.
/// - `.npz`: an archive with the inputs in an entry named `x`, `X`, `inputs`, `images` or `data`
///   and the labels in `y`, `Y`, `labels` or `targets` (each with `.npy`); or the labels in a
///   separate file, when the archive has none.
///
/// A labels file is an `.npy` (or an `.npz` with a labels entry) of shape `(N,)` or `(N, 1)` with
/// an integer dtype, or floats holding integers. Inputs must be finite and labels non-negative.
public enum LabelledDataReader {
    /// The input file extensions understood (lower case, without the dot).
    public static let supportedExtensions = ["csv", "npy", "npz"]
    /// Entry names (without `.npy`) searched for the inputs in an `.npz` archive.
    public static let inputEntryNames = ["x", "X", "inputs", "images", "data"]
    /// Entry names (without `.npy`) searched for the labels in an `.npz` archive.
    public static let labelEntryNames = ["y", "Y", "labels", "targets"]

    /// Reads the data set in the file `inputs`, with labels from `labels` when given.
    ///
    /// - Throws: ``DataFileError`` naming the file (and line, byte or sample) and what was expected.
    public static func read(inputs: String, labels: String? = nil, limits: DataLimits = .default) throws -> LabelledData {
        try checkExtension(inputs)
        let labelsFile = try labels.map { (data: try FileInput.read($0, limits: limits), name: $0) }
        return try decode(inputs: FileInput.read(inputs, limits: limits), named: inputs, labels: labelsFile, limits: limits)
    }

    /// Decodes a data set from bytes in memory; `named` (and the labels' name) choose the format
    /// by extension and name the files in errors.
    public static func decode(
        inputs: Data, named name: String, labels: (data: Data, name: String)? = nil, limits: DataLimits = .default
    ) throws -> LabelledData {
        switch try checkExtension(name) {
        case "csv":
            if let labels {
                throw DataFileError(.labelsArgument, file: labels.name,
                                    "a CSV input (\(name)) carries its labels in the first column; a separate labels file is only for .npy and .npz inputs")
            }
            return try CSVDataReader.parse(inputs, fileName: name, limits: limits)
        case "npy":
            guard let labels else {
                throw DataFileError(.labelsArgument, file: name,
                                    "an .npy input holds no labels; give a labels file (--labels labels.npy) with one integer class per sample")
            }
            let array = try NPYArray.decode(inputs, fileName: name, limits: limits)
            return try assemble(array, labels: readLabels(labels, limits: limits))
        default:
            let archive = try NPZArchive(data: inputs, fileName: name, limits: limits)
            guard let inputEntry = try archive.uniqueEntry(amongNames: inputEntryNames, role: "inputs") else {
                throw DataFileError(.missingEntry, file: name,
                                    "no inputs entry; expected one named \(names(inputEntryNames)), found \(listing(archive))")
            }
            let labelEntry = try archive.uniqueEntry(amongNames: labelEntryNames, role: "labels")
            let array = try archive.array(inputEntry)
            switch (labelEntry, labels) {
            case (let entry?, nil):
                let labelArray = try archive.array(entry)
                return try assemble(array, labels: (try labelArray.integerLabels(), archive.displayName(of: entry)))
            case (nil, let labels?):
                return try assemble(array, labels: readLabels(labels, limits: limits))
            case (let entry?, let labels?):
                throw DataFileError(.labelsArgument, file: labels.name,
                                    "labels given twice: \(name) has a labels entry '\(entry.name)'; drop the labels file or the entry")
            case (nil, nil):
                throw DataFileError(.labelsArgument, file: name,
                                    "no labels entry (expected one named \(names(labelEntryNames)), found \(listing(archive))) and no labels file given")
            }
        }
    }

    /// The lower-cased extension of `name`, when supported.
    @discardableResult
    static func checkExtension(_ name: String) throws -> String {
        let ext = FileInput.fileExtension(name)
        guard supportedExtensions.contains(ext) else {
            throw DataFileError(.unsupportedFormat, file: name,
                                "unsupported data file extension '\(ext.isEmpty ? "(none)" : "." + ext)'; expected .csv (label,x0,x1,...), .npy (with a labels file) or .npz")
        }
        return ext
    }

    /// Integer labels from a labels file (`.npy`, or `.npz` with a labels entry).
    static func readLabels(_ file: (data: Data, name: String), limits: DataLimits) throws -> (labels: [Int], source: String) {
        switch FileInput.fileExtension(file.name) {
        case "npy":
            return (try NPYArray.decode(file.data, fileName: file.name, limits: limits).integerLabels(), file.name)
        case "npz":
            let archive = try NPZArchive(data: file.data, fileName: file.name, limits: limits)
            guard let entry = try archive.uniqueEntry(amongNames: labelEntryNames, role: "labels") else {
                throw DataFileError(.missingEntry, file: file.name,
                                    "no labels entry; expected one named \(names(labelEntryNames)), found \(listing(archive))")
            }
            return (try archive.array(entry).integerLabels(), archive.displayName(of: entry))
        default:
            throw DataFileError(.unsupportedFormat, file: file.name,
                                "unsupported labels file; expected an .npy array of integers of shape (N,) or (N, 1), or an .npz with a labels entry")
        }
    }

    /// Splits an `(N, ...)` array into N samples and pairs them with the labels.
    static func assemble(_ array: NPYArray, labels: (labels: [Int], source: String)) throws -> LabelledData {
        guard array.shape.count >= 2 else {
            throw DataFileError(.shapeMismatch, file: array.source,
                                "inputs have shape \(NPYArray.shapeText(array.shape)); expected at least 2 dimensions (samples, values...)")
        }
        let count = array.shape[0]
        let sampleShape = Array(array.shape.dropFirst())
        guard count > 0 else {
            throw DataFileError(.emptyData, file: array.source, "inputs have no samples (shape \(NPYArray.shapeText(array.shape)))")
        }
        // With at least one sample, the sample size is at most the (checked) element count.
        let size = array.values.count / count
        guard size > 0 else {
            throw DataFileError(.emptyData, file: array.source, "samples have no values (shape \(NPYArray.shapeText(array.shape)))")
        }
        guard labels.labels.count == count else {
            throw DataFileError(.shapeMismatch, file: labels.source,
                                "\(labels.labels.count) labels for \(count) samples in \(array.source); expected one label per sample")
        }
        if let bad = labels.labels.firstIndex(where: { $0 < 0 }) {
            throw DataFileError(.invalidValue, file: labels.source, at: .sample(bad, line: nil),
                                "label \(labels.labels[bad]) is negative; expected a class index >= 0")
        }
        var inputs: [[Double]] = []
        inputs.reserveCapacity(count)
        for sample in 0..<count {
            let values = Array(array.values[sample * size..<(sample + 1) * size])
            if let bad = values.firstIndex(where: { !$0.isFinite }) {
                throw DataFileError(.invalidValue, file: array.source, at: .sample(sample, line: nil),
                                    "input value \(bad) is \(values[bad]); inputs must be finite")
            }
            inputs.append(values)
        }
        return LabelledData(inputs: inputs, labels: labels.labels, sampleShape: sampleShape, source: array.source)
    }

    private static func names(_ stems: [String]) -> String {
        stems.map { "'\($0).npy'" }.joined(separator: ", ")
    }

    private static func listing(_ archive: NPZArchive) -> String {
        archive.entries.isEmpty ? "no entries" : "entries " + archive.entryNames.map { "'\($0)'" }.joined(separator: ", ")
    }
}
