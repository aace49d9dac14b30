import DataFiles
import Foundation
import Testing

@Suite("Validation against a model and error texts")
struct LabelledDataTests {
    private let csv = """
        label,a,b
        0,1,2
        # comment

        2,3,4
        1,5,6
        """

    @Test("validate names the CSV line of the offending sample")
    func validateCSV() throws {
        let data = try CSVDataReader.parse(Data(text: csv), fileName: "d.csv")
        try data.validate(inputCount: 2, classCount: 3)
        try data.validate(inputCount: 2, classCount: nil)
        let label = expectDataError(.labelOutOfRange) { try data.validate(inputCount: 2, classCount: 2) }
        #expect(label?.description == "d.csv:5 (sample 1): error: label 2 is outside 0..<2 (the model has 2 outputs)")
        let size = expectDataError(.shapeMismatch) { try data.validate(inputCount: 3, classCount: 3) }
        #expect(size?.description == "d.csv:2 (sample 0): error: sample has 2 input values; the model expects 3")
    }

    @Test("validate rejects empty data, missing labels, non-finite inputs and negative labels")
    func validateBuilt() throws {
        let empty = LabelledData(inputs: [], labels: [], sampleShape: [2], source: "e")
        expectDataError(.emptyData) { try empty.validate(inputCount: 2, classCount: 2) }
        let unlabelled = LabelledData(inputs: [[1, 2]], labels: [], sampleShape: [2], source: "u")
        expectDataError(.shapeMismatch) { try unlabelled.validate(inputCount: 2, classCount: 2) }
        let infinite = LabelledData(inputs: [[1, 2], [0, .infinity]], labels: [0, 1], sampleShape: [2], source: "i")
        let error = expectDataError(.invalidValue) { try infinite.validate(inputCount: 2, classCount: 2) }
        #expect(error?.description == "i (sample 1): error: input value 1 is inf; inputs must be finite")
        let negative = LabelledData(inputs: [[1, 2]], labels: [-1], sampleShape: [2], source: "n")
        expectDataError(.labelOutOfRange) { try negative.validate(inputCount: 2, classCount: nil) }
    }

    @Test("error descriptions carry the location")
    func descriptions() {
        #expect(DataFileError(.syntax, file: "a.csv", at: .text(line: 3, column: 7), "m").description == "a.csv:3:7: error: m")
        #expect(DataFileError(.malformed, file: "a.npy", at: .byte(12), "m").description == "a.npy (byte 12): error: m")
        #expect(DataFileError(.invalidValue, file: "a.npy", at: .sample(4, line: nil), "m").description == "a.npy (sample 4): error: m")
        #expect(DataFileError(.emptyData, file: "a.npz[x.npy]", "m").description == "a.npz[x.npy]: error: m")
    }

    @Test("the file-based reader reports missing files and directories by path")
    func fileErrors() throws {
        let directory = try DataFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let missing = directory.appendingPathComponent("none.csv").path
        let error = expectDataError(.fileNotFound) { try LabelledDataReader.read(inputs: missing) }
        #expect(error?.file == missing)
        let folder = directory.appendingPathComponent("folder.npz")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        expectDataError(.unreadableFile) { try LabelledDataReader.read(inputs: folder.path) }
        // A file written to disk with a problem on line 4 reports that line.
        let path = directory.appendingPathComponent("bad.csv")
        try Data(text: "0,1\n1,2\n\n2,x\n").write(to: path)
        let bad = expectDataError(.syntax) { try LabelledDataReader.read(inputs: path.path) }
        #expect(bad?.description == "\(path.path):4:3: error: expected a number, found 'x'")
    }

    @Test("documented default limits")
    func defaults() {
        let limits = DataLimits.default
        #expect(limits.maxFileBytes == 2 * 1024 * 1024 * 1024)
        #expect(limits.maxNPYHeaderBytes == 65_536)
        #expect(limits.maxElements == 500_000_000)
        #expect(limits.maxDecompressedEntryBytes == 2 * 1024 * 1024 * 1024)
        #expect(limits.maxArchiveEntries == 10_000)
    }
}
