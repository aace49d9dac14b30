import Foundation

/// A numeric array read from an NPY file (numpy's `np.save` format, versions 1.0, 2.0 and 3.0).
///
/// Values are converted to `Double` and stored in C (row-major) order whatever the file's order:
/// arrays saved with `fortran_order: True` are transposed on reading. 64-bit integers beyond 2^53
/// lose precision in the conversion.
public struct NPYArray: Sendable, Equatable {
    /// The array's shape (`[]` for a 0-d scalar).
    public let shape: [Int]
    /// All elements in C order; `values.count == shape.reduce(1, *)`.
    public let values: [Double]
    /// The element type stored in the file.
    public let dtype: NPYDType
    /// The NPY format version, `1.0`, `2.0` or `3.0`.
    public let version: String
    /// The file (or archive member) the array came from, for error messages.
    public let source: String

    /// Decodes the bytes of an NPY file; `fileName` names it in errors.
    ///
    /// The declared element count is checked against `limits.maxElements` and against the bytes
    /// present before anything is allocated. The data must be exactly as long as shape and dtype
    /// declare.
    ///
    /// - Throws: ``DataFileError`` (`.malformed`, `.truncated`, `.unsupportedFeature`,
    ///   `.limitExceeded`) with the byte offset of the problem.
    public static func decode(_ data: Data, fileName: String, limits: DataLimits = .default) throws -> NPYArray {
        try data.withUnsafeBytes { try decode(bytes: $0, fileName: fileName, limits: limits) }
    }

    /// Reads and decodes the NPY file at `path` (at most `limits.maxFileBytes` bytes).
    public static func read(contentsOf path: String, limits: DataLimits = .default) throws -> NPYArray {
        try decode(FileInput.read(path, limits: limits), fileName: path, limits: limits)
    }

    static func decode(bytes: UnsafeRawBufferPointer, fileName: String, limits: DataLimits) throws -> NPYArray {
        let header = try NPYHeader.parse(bytes, file: fileName, limits: limits)
        guard let dtype = NPYDType(descr: header.descr) else {
            throw DataFileError(.unsupportedFeature, file: fileName, at: .byte(10),
                                "unsupported dtype '\(header.descr)'; expected \(NPYDType.supportedDescription)")
        }
        var count = 1
        for dimension in header.shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
            guard !overflow, product <= limits.maxElements else {
                throw DataFileError(.limitExceeded, file: fileName, at: .byte(10),
                                    "shape \(shapeText(header.shape)) declares more than \(limits.maxElements) elements (DataLimits.maxElements)")
            }
            count = product
        }
        let (needed, overflow) = count.multipliedReportingOverflow(by: dtype.size)
        guard !overflow else {
            throw DataFileError(.limitExceeded, file: fileName, at: .byte(10),
                                "shape \(shapeText(header.shape)) declares more data than can be addressed")
        }
        let present = bytes.count - header.dataOffset
        guard present >= needed else {
            throw DataFileError(.truncated, file: fileName, at: .byte(bytes.count),
                                "file ends after \(present) of \(needed) data bytes (shape \(shapeText(header.shape)), \(dtype))")
        }
        guard present == needed else {
            throw DataFileError(.malformed, file: fileName, at: .byte(header.dataOffset + needed),
                                "\(present - needed) bytes after the data declared by shape \(shapeText(header.shape)) and dtype \(dtype); expected the file to end here")
        }
        var values = dtype.convert(bytes, offset: header.dataOffset, count: count)
        if header.fortranOrder && header.shape.count > 1 {
            values = fortranToC(values, shape: header.shape)
        }
        return NPYArray(shape: header.shape, values: values, dtype: dtype, version: header.version, source: fileName)
    }

    /// `(3, 4)` / `(3,)` / `()`: a shape as numpy prints it.
    static func shapeText(_ shape: [Int]) -> String {
        shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
    }

    /// Reorders column-major `values` of `shape` into row-major order.
    static func fortranToC(_ values: [Double], shape: [Int]) -> [Double] {
        guard !values.isEmpty else { return values }
        var cStrides = [Int](repeating: 1, count: shape.count)
        for axis in stride(from: shape.count - 2, through: 0, by: -1) {
            cStrides[axis] = cStrides[axis + 1] * shape[axis + 1]
        }
        var result = [Double](repeating: 0, count: values.count)
        var index = [Int](repeating: 0, count: shape.count)
        var cOffset = 0
        for value in values {
            result[cOffset] = value
            // Advance the multi-index with the first axis fastest (Fortran order).
            var axis = 0
            while axis < shape.count {
                index[axis] += 1
                cOffset += cStrides[axis]
                if index[axis] < shape[axis] { break }
                cOffset -= cStrides[axis] * shape[axis]
                index[axis] = 0
                axis += 1
            }
        }
        return result
    }

    /// The values as integer labels for a labels file: the array must have shape `(N,)` or
    /// `(N, 1)` and hold integers (an integer dtype, or floats with integral values).
    ///
    /// - Throws: ``DataFileError`` `.shapeMismatch` or `.invalidValue` naming the sample.
    public func integerLabels() throws -> [Int] {
        guard shape.count == 1 || (shape.count == 2 && shape[1] == 1) else {
            throw DataFileError(.shapeMismatch, file: source,
                                "labels have shape \(Self.shapeText(shape)); expected (N,) or (N, 1)")
        }
        var labels: [Int] = []
        labels.reserveCapacity(values.count)
        for (index, value) in values.enumerated() {
            guard value.isFinite, value == value.rounded(), abs(value) < 9.0e15 else {
                throw DataFileError(.invalidValue, file: source, at: .sample(index, line: nil),
                                    "label \(value) is not an integer; expected integer class indices (dtype \(dtype))")
            }
            labels.append(Int(value))
        }
        return labels
    }
}
