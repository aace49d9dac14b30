import DataFiles
import Foundation
import Testing

/// An NPY file with the given header dict text (padded to a multiple of 64 bytes) and data.
func makeNPY(_ header: String, major: UInt8 = 1, data: [UInt8] = []) -> Data {
    let preamble = major == 1 ? 10 : 12
    var text = Array(header.utf8)
    while (preamble + text.count + 1) % 64 != 0 { text.append(0x20) }
    text.append(0x0A)
    var bytes: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, major, 0]
    let length = UInt32(text.count)
    bytes += major == 1 ? [UInt8(length & 0xFF), UInt8(length >> 8)]
        : [UInt8(length & 0xFF), UInt8((length >> 8) & 0xFF), UInt8((length >> 16) & 0xFF), UInt8(length >> 24)]
    return Data(bytes + text + data)
}

/// Little-endian float64 bytes of `values`.
func float64Bytes(_ values: [Double]) -> [UInt8] {
    values.flatMap { value in withUnsafeBytes(of: value.bitPattern.littleEndian) { Array($0) } }
}

@Suite("NPY arrays")
struct NPYReaderTests {
    @Test("every fixture dtype, byte order, order and version reads exactly", arguments: DataFixtures.manifest.npy)
    func fixtureValues(_ fixture: Manifest.NPY) throws {
        let array = try NPYArray.read(contentsOf: DataFixtures.path(fixture.file))
        #expect(array.shape == fixture.shape)
        #expect(array.version == fixture.version)
        #expect(array.values.count == fixture.values.count)
        for (read, expected) in zip(array.values, fixture.values) {
            if let expected { #expect(read == expected) } else { #expect(read.isNaN) }
        }
        let dtypeName = array.dtype.description.replacingOccurrences(of: " (big-endian)", with: "")
        #expect(dtypeName == fixture.dtype)
        #expect(array.dtype.bigEndian == fixture.bigEndian)
    }

    @Test("Fortran-order fixtures are transposed to C order")
    func fortranOrder() throws {
        let array = try NPYArray.read(contentsOf: DataFixtures.path("x_f64_fortran.npy"))
        // Saved from (arange(24) / 2 - 3).reshape(3, 2, 4): C-order element k is k / 2 - 3.
        #expect(array.values == (0..<24).map { Double($0) / 2 - 3 })
    }

    @Test("an .npy input with a labels file gives samples of the trailing shape")
    func inputsWithLabels() throws {
        let data = try LabelledDataReader.read(inputs: DataFixtures.path("x_f32_le.npy"), labels: DataFixtures.path("y_i64.npy"))
        #expect(data.count == 3)
        #expect(data.sampleShape == [2, 2])
        #expect(data.inputs[1] == [-0.25, 0, 0.25, 0.5])  // (k - 5) / 4 for k = 4..7
        #expect(data.labels == [2, 0, 1])
        #expect(data.lineNumbers == nil)
        try data.validate(inputCount: 4, classCount: 3)
        let error = expectDataError(.labelOutOfRange) { try data.validate(inputCount: 4, classCount: 2) }
        #expect(error?.location == .sample(0, line: nil))
        expectDataError(.shapeMismatch) { try data.validate(inputCount: 5, classCount: 3) }
    }

    @Test("labels files: integer dtypes, (N, 1) columns and integral floats", arguments: ["y_i64.npy", "y_i32_col.npy", "y_u8.npy", "y_f64_int.npy"])
    func goodLabels(_ file: String) throws {
        let expected = try #require(DataFixtures.manifest.labels.first { $0.file == file })
        let data = try LabelledDataReader.read(inputs: DataFixtures.path("x_u8.npy"), labels: DataFixtures.path(file))
        #expect(data.labels == expected.values.map { Int($0) })
    }

    @Test("bad labels files name the problem")
    func badLabels() throws {
        let inputs = DataFixtures.path("x_u8.npy")
        let fraction = expectDataError(.invalidValue) { try LabelledDataReader.read(inputs: inputs, labels: DataFixtures.path("y_f32_frac.npy")) }
        #expect(fraction?.location == .sample(1, line: nil))
        let negative = expectDataError(.invalidValue) { try LabelledDataReader.read(inputs: inputs, labels: DataFixtures.path("y_negative.npy")) }
        #expect(negative?.location == .sample(1, line: nil))
        let count = expectDataError(.shapeMismatch) { try LabelledDataReader.read(inputs: inputs, labels: DataFixtures.path("y_count4.npy")) }
        #expect(count?.message.hasPrefix("4 labels for 3 samples") == true)
        expectDataError(.shapeMismatch) { try LabelledDataReader.read(inputs: inputs, labels: DataFixtures.path("y_2d.npy")) }
        expectDataError(.unsupportedFormat) { try LabelledDataReader.read(inputs: inputs, labels: DataFixtures.path("small.csv")) }
    }

    @Test("inputs must have a sample axis, labels, and finite values")
    func inputErrors() throws {
        let oneD = expectDataError(.shapeMismatch) {
            try LabelledDataReader.read(inputs: DataFixtures.path("x_1d.npy"), labels: DataFixtures.path("y_i64.npy"))
        }
        #expect(oneD?.message == "inputs have shape (5,); expected at least 2 dimensions (samples, values...)")
        let missing = expectDataError(.labelsArgument) { try LabelledDataReader.read(inputs: DataFixtures.path("x_u8.npy")) }
        #expect(missing?.message.contains("labels") == true)
        let nan = expectDataError(.invalidValue) {
            try LabelledDataReader.read(inputs: DataFixtures.path("x_nan.npy"), labels: DataFixtures.path("y_i64.npy"))
        }
        #expect(nan?.location == .sample(1, line: nil))
        #expect(nan?.message == "input value 1 is nan; inputs must be finite")
    }

    @Test("hand-made headers: versions, key order, spacing, empty arrays")
    func handMadeHeaders() throws {
        let values: [Double] = [1, 2, 3, 4, 5, 6]
        for major: UInt8 in [1, 2, 3] {
            let data = makeNPY("{\"shape\":(2,3),'fortran_order' :False,'descr':'<f8'}", major: major, data: float64Bytes(values))
            let array = try NPYArray.decode(data, fileName: "h.npy")
            #expect(array.shape == [2, 3] && array.values == values && array.version == "\(major).0")
        }
        let fortran = try NPYArray.decode(makeNPY("{'descr': '<f8', 'fortran_order': True, 'shape': (2, 3), }", data: float64Bytes(values)), fileName: "f.npy")
        #expect(fortran.values == [1, 3, 5, 2, 4, 6])
        let empty = try NPYArray.decode(makeNPY("{'descr': '<f8', 'fortran_order': False, 'shape': (0, 3), }"), fileName: "e.npy")
        #expect(empty.values.isEmpty)
        expectDataError(.emptyData) { try LabelledDataReader.decode(inputs: makeNPY("{'descr': '<f8', 'fortran_order': False, 'shape': (0, 3), }"), named: "e.npy", labels: (makeNPY("{'descr': '<i8', 'fortran_order': False, 'shape': (0,), }"), "l.npy")) }
        // No samples: the unchecked product of the other dimensions must not overflow.
        expectDataError(.emptyData) { try LabelledDataReader.decode(inputs: makeNPY("{'descr': '<f8', 'fortran_order': False, 'shape': (0, 4294967296, 4294967296), }"), named: "e.npy", labels: (makeNPY("{'descr': '<i8', 'fortran_order': False, 'shape': (0,), }"), "l.npy")) }
        expectDataError(.emptyData) { try LabelledDataReader.decode(inputs: makeNPY("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 0), }"), named: "e.npy", labels: (makeNPY("{'descr': '<i8', 'fortran_order': False, 'shape': (2,), }", data: float64Bytes([0, 0])), "l.npy")) }
        let scalar = try NPYArray.decode(makeNPY("{'descr': '<f8', 'fortran_order': False, 'shape': (), }", data: float64Bytes([7])), fileName: "s.npy")
        #expect(scalar.shape == [] && scalar.values == [7])
    }

    @Test("malformed and unsupported headers give clear errors", arguments: [
        ("{'descr': '<f8', 'fortran_order': False}", DataFileError.Kind.malformed, "missing key 'shape'"),
        ("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), 'extra': 1}", .malformed, "unexpected key 'extra'"),
        ("{'descr': '<f8', 'descr': '<f8', 'fortran_order': False, 'shape': (2,)}", .malformed, "appears twice"),
        ("{'descr': '<f8', 'fortran_order': false, 'shape': (2,)}", .malformed, "expected True or False"),
        ("{'descr': '<f8', 'fortran_order': False, 'shape': (2)}", .malformed, "parenthesised integer"),
        ("{'descr': '<f8', 'fortran_order': False, 'shape': (-2,)}", .malformed, "non-negative integer"),
        ("{'descr': '<f8', 'fortran_order': False, 'shape': (99999999999999999999,)}", .malformed, "dimension too large"),
        ("{'descr': '<f8', 'fortran_order': False, 'shape': (2,)} x", .malformed, "unexpected text after"),
        ("['descr', '<f8']", .malformed, "expected '{'"),
        ("{'descr': '<f2', 'fortran_order': False, 'shape': (2,)}", .unsupportedFeature, "unsupported dtype '<f2'"),
        ("{'descr': '|O', 'fortran_order': False, 'shape': (2,)}", .unsupportedFeature, "unsupported dtype '|O'"),
        ("{'descr': '<U3', 'fortran_order': False, 'shape': (2,)}", .unsupportedFeature, "unsupported dtype"),
        ("{'descr': '|f8', 'fortran_order': False, 'shape': (2,)}", .unsupportedFeature, "unsupported dtype"),
        ("{'descr': [('a', '<f8')], 'fortran_order': False, 'shape': (2,)}", .unsupportedFeature, "structured"),
        ("{'descr': '<f8', 'fortran_order': False, 'shape': (100000, 100000, 100000)}", .limitExceeded, "DataLimits.maxElements"),
        ("{'descr': '<f8', 'fortran_order': False, 'shape': (400000000,)}", .truncated, "file ends after 32 of 3200000000 data bytes"),
        ("{'descr': '<f8', 'fortran_order': False, 'shape': (5,)}", .truncated, "file ends after 32 of 40 data bytes"),
        ("{'descr': '<f8', 'fortran_order': False, 'shape': (3,)}", .malformed, "8 bytes after the data"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (4,)}", .malformed, "16 bytes after the data"),
    ])
    func badHeaders(_ header: String, _ kind: DataFileError.Kind, _ fragment: String) throws {
        // Four float64 values of data follow every header (32 bytes).
        let data = makeNPY(header, data: float64Bytes([1, 2, 3, 4]))
        let error = expectDataError(kind) { try NPYArray.decode(data, fileName: "bad.npy") }
        #expect(error?.message.contains(fragment) == true, "\(error.map(String.init(describing:)) ?? "")")
        #expect(error?.file == "bad.npy")
    }

    @Test("preamble errors: magic, version, header length limit, truncation")
    func preamble() throws {
        let good = makeNPY("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }", data: float64Bytes([1]))
        expectDataError(.malformed) { try NPYArray.decode(Data("PK\u{3}\u{4}not npy at all".utf8), fileName: "x.npy") }
        expectDataError(.truncated) { try NPYArray.decode(good.prefix(7), fileName: "x.npy") }
        expectDataError(.truncated) { try NPYArray.decode(good.prefix(40), fileName: "x.npy") }
        expectDataError(.truncated) { try NPYArray.decode(good.dropLast(1), fileName: "x.npy") }
        var version = good
        version[6] = 4
        let versionError = expectDataError(.unsupportedFeature) { try NPYArray.decode(version, fileName: "x.npy") }
        #expect(versionError?.location == .byte(6))
        var limits = DataLimits.default
        limits.maxNPYHeaderBytes = 32
        let long = expectDataError(.limitExceeded) { try NPYArray.decode(good, fileName: "x.npy", limits: limits) }
        #expect(long?.description.contains("DataLimits.maxNPYHeaderBytes") == true)
        // A version-2 header claiming 4 GiB must fail on the limit, not try to read it.
        var huge = makeNPY("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }", major: 2, data: float64Bytes([1]))
        huge.replaceSubrange(8..<12, with: [0xFF, 0xFF, 0xFF, 0xFF])
        expectDataError(.limitExceeded) { try NPYArray.decode(huge, fileName: "x.npy") }
    }

    @Test("unsupported file extensions list the supported formats")
    func extensions() throws {
        let error = expectDataError(.unsupportedFormat) { try LabelledDataReader.read(inputs: "/nonexistent/data.txt") }
        #expect(error?.message.contains(".csv") == true && error?.message.contains(".npz") == true)
        expectDataError(.fileNotFound) { try LabelledDataReader.read(inputs: "/nonexistent/data.npy", labels: "/nonexistent/y.npy") }
        expectDataError(.unreadableFile) { try NPYArray.read(contentsOf: DataFixtures.directory.path + "/") }
        var limits = DataLimits.default
        limits.maxFileBytes = 100
        expectDataError(.limitExceeded) { try NPYArray.read(contentsOf: DataFixtures.path("x_f64_be.npy"), limits: limits) }
    }
}
