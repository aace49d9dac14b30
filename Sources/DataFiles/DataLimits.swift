/// Upper bounds that keep a hostile or corrupt data file from exhausting memory.
///
/// Every limit is checked before the memory it guards is allocated: a file is measured before it
/// is read, an NPY header's declared element count before its array is built, and a compressed
/// archive entry's declared size before it is inflated (inflation also stops as soon as the output
/// would exceed the declared size). Exceeding a limit throws ``DataFileError`` with kind
/// ``DataFileError/Kind/limitExceeded``, naming the limit.
public struct DataLimits: Sendable, Equatable {
    /// Largest file read, in bytes. Default 2 GiB.
    public var maxFileBytes: Int
    /// Largest NPY header (the Python dict literal after the magic and length), in bytes.
    /// Default 65 536 (numpy itself refuses headers over 10 000 bytes unless told otherwise).
    public var maxNPYHeaderBytes: Int
    /// Largest number of values one array (or one CSV file) may declare. Default 500 million,
    /// about 4 GB once converted to `Double`.
    public var maxElements: Int
    /// Largest size, in bytes, of one archive entry after decompression. Default 2 GiB.
    public var maxDecompressedEntryBytes: Int
    /// Largest number of entries in a `.npz` archive's directory. Default 10 000.
    public var maxArchiveEntries: Int

    /// Limits with the given values; each must be positive (a non-positive limit rejects everything).
    public init(
        maxFileBytes: Int = 2 << 30,
        maxNPYHeaderBytes: Int = 65_536,
        maxElements: Int = 500_000_000,
        maxDecompressedEntryBytes: Int = 2 << 30,
        maxArchiveEntries: Int = 10_000
    ) {
        self.maxFileBytes = maxFileBytes
        self.maxNPYHeaderBytes = maxNPYHeaderBytes
        self.maxElements = maxElements
        self.maxDecompressedEntryBytes = maxDecompressedEntryBytes
        self.maxArchiveEntries = maxArchiveEntries
    }

    /// The documented defaults: 2 GiB files, 64 KiB NPY headers, 500 million values, 2 GiB
    /// decompressed entries, 10 000 archive entries.
    public static let `default` = DataLimits()
}
