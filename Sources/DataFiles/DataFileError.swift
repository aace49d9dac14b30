/// An error found while reading a data file (CSV, NPY, NPZ), checking a data set against a model,
/// or making or writing a PNG image.
///
/// Every error names the file and, where one applies, the place in it, and says what was expected:
///
/// ```text
/// digits.csv:7:12: error: expected a number, found 'abc'
/// x.npy (byte 10): error: NPY header: expected key 'shape'
/// data.npz[x.npy] (byte 64): error: file ends after 96 of 128 data bytes
/// labels.npy (sample 3): error: label 12 is outside 0..<10
/// ```
public struct DataFileError: Error, CustomStringConvertible, Equatable, Sendable {
    /// What went wrong, for callers that branch on the kind of error.
    public enum Kind: String, Sendable, Equatable, CaseIterable {
        /// No file at the path.
        case fileNotFound
        /// The file exists but could not be read (a directory, no permission, ...).
        case unreadableFile
        /// The file name's extension is not one of the supported formats.
        case unsupportedFormat
        /// A ``DataLimits`` bound was exceeded (file size, header length, element count, ...).
        case limitExceeded
        /// CSV text that is not a number where one was expected, or a malformed row.
        case syntax
        /// A value that is not allowed: NaN or infinity in the inputs, a label that is not a
        /// non-negative integer.
        case invalidValue
        /// Rows or arrays whose sizes disagree with each other or with the model.
        case shapeMismatch
        /// A label outside `0..<classCount`.
        case labelOutOfRange
        /// The file has no data rows or samples.
        case emptyData
        /// A malformed NPY header or zip structure (bad magic, missing key, bad offsets).
        case malformed
        /// The file ends before the data it declares.
        case truncated
        /// A valid file using a feature not supported here (dtype, compression method, Zip64
        /// directory, encryption, object arrays).
        case unsupportedFeature
        /// A compressed entry whose data or CRC-32 does not check out.
        case corruptData
        /// The archive has no (or more than one) entry for the inputs or the labels.
        case missingEntry
        /// Labels were required but not given, or given where the format has its own.
        case labelsArgument
        /// An image with a shape PNG cannot hold (channels not 1 or 3, wrong pixel count).
        case invalidImage
        /// A file could not be written.
        case writeFailed
    }

    /// Where in the file the error is.
    public enum Location: Sendable, Equatable {
        /// The file as a whole.
        case file
        /// A 1-based line and column (columns count bytes) of a text file.
        case text(line: Int, column: Int)
        /// A 0-based byte offset into a binary file.
        case byte(Int)
        /// A 0-based sample index (with the 1-based CSV line when the data came from CSV).
        case sample(Int, line: Int?)
    }

    /// The kind of error.
    public let kind: Kind
    /// The file as named by the caller; archive members are written `archive.npz[x.npy]`.
    public let file: String
    /// Where in the file.
    public let location: Location
    /// The message without location: what was found and what was expected.
    public let message: String

    /// An error of `kind` in `file` at `location`.
    public init(_ kind: Kind, file: String, at location: Location = .file, _ message: String) {
        self.kind = kind
        self.file = file
        self.location = location
        self.message = message
    }

    /// The diagnostic, e.g. `data.csv:3:5: error: expected a number, found 'x'`.
    public var description: String {
        let place: String
        switch location {
        case .file: place = file
        case .text(let line, let column): place = "\(file):\(line):\(column)"
        case .byte(let offset): place = "\(file) (byte \(offset))"
        case .sample(let index, let line?): place = "\(file):\(line) (sample \(index))"
        case .sample(let index, nil): place = "\(file) (sample \(index))"
        }
        return "\(place): error: \(message)"
    }
}
