import DataFiles
import Foundation
import Testing

@Suite("CSV data")
struct CSVReaderTests {
    private func parse(_ text: String, limits: DataLimits = .default) throws -> LabelledData {
        try CSVDataReader.parse(Data(text: text), fileName: "t.csv", limits: limits)
    }

    @Test("the fixture reads exactly: header, comments, blank lines, blanks around fields")
    func fixture() throws {
        let expected = try #require(DataFixtures.manifest.csv.first)
        let data = try LabelledDataReader.read(inputs: DataFixtures.path(expected.file))
        #expect(data.inputs == expected.values)
        #expect(data.labels == expected.labels)
        #expect(data.lineNumbers == expected.lines)
        #expect(data.sampleShape == [3])
        #expect(data.source == DataFixtures.path(expected.file))
        #expect(data.inputs[2][1].sign == .minus)  // "-0" keeps its sign
        try data.validate(inputCount: 3, classCount: 4)
    }

    @Test("CRLF line ends, a byte-order mark, no header, no final newline")
    func lineEndsAndBOM() throws {
        let data = try parse("\u{FEFF}1,0.25,1e-2\r\n\r\n0,-3,4.5E+1")
        #expect(data.inputs == [[0.25, 0.01], [-3, 45]])
        #expect(data.labels == [1, 0])
        #expect(data.lineNumbers == [1, 3])
    }

    @Test("labels written as integral floats are accepted")
    func floatLabels() throws {
        #expect(try parse("3.0,1\n0.00,2\n").labels == [3, 0])
    }

    @Test("a header is recognised only on line 1")
    func headerOnlyOnLineOne() throws {
        #expect(try parse("label,a\n1,2\n").count == 1)
        let error = expectDataError(.syntax) { try parse("1,2\nlabel,a\n") }
        #expect(error?.location == .text(line: 2, column: 1))
        #expect(error?.description == "t.csv:2:1: error: expected a label (a non-negative integer), found 'label'")
        // A comment on line 1 pushes a would-be header to line 2, where it is an error.
        expectDataError(.syntax) { try parse("# comment\nlabel,a\n1,2\n") }
    }

    @Test("non-numeric, empty, NaN, infinite and out-of-range values name line and column")
    func badValues() throws {
        let cases: [(String, DataFileError.Kind, Int, Int, String)] = [
            ("0,1,2\n1,1,abc\n", .syntax, 2, 5, "expected a number, found 'abc'"),
            ("0,1,2\n1, ,2\n", .syntax, 2, 4, "expected a number, found an empty field"),
            ("0,1,2\n1,1,\n", .syntax, 2, 5, "expected a number, found an empty field"),
            ("0,1, nan\n", .invalidValue, 1, 6, "value 'nan' is not finite; inputs must be finite numbers"),
            ("0,-Infinity,2\n", .invalidValue, 1, 3, "value '-Infinity' is not finite; inputs must be finite numbers"),
            ("0,1e999,2\n", .invalidValue, 1, 3, "value '1e999' is out of the range of Double"),
            ("0,0x10,2\n", .syntax, 1, 3, "expected a number, found '0x10'"),
            ("0,1.2.3\n", .syntax, 1, 3, "expected a number, found '1.2.3'"),
            ("0,1e\n", .syntax, 1, 3, "expected a number, found '1e'"),
            ("0,\"1\"\n", .syntax, 1, 3, "expected a number, found '\"1\"'"),
            ("0,1;2\n", .syntax, 1, 3, "expected a number, found '1;2'"),
        ]
        for (text, kind, line, column, message) in cases {
            let error = expectDataError(kind) { try parse(text) }
            #expect(error?.location == .text(line: line, column: column), "\(text)")
            #expect(error?.message == message, "\(text)")
        }
    }

    @Test("numbers convert exactly like Double(String), on 3000 seeded random decimals")
    func exactConversion() throws {
        var generator = MutationGenerator(seed: 7)
        var texts: [String] = []
        for _ in 0..<3000 {
            let digits = (0..<Int.random(in: 1...22, using: &generator)).map { _ in String(Int.random(in: 0...9, using: &generator)) }.joined()
            let point = Int.random(in: 0...digits.count, using: &generator)
            var text = String(digits.prefix(point)) + (point < digits.count || Bool.random(using: &generator) ? "." : "") + String(digits.dropFirst(point))
            if text == "." { text = "0." }
            if Bool.random(using: &generator) { text += ["e", "E"].randomElement(using: &generator)! + String(Int.random(in: -40...40, using: &generator)) }
            texts.append((Bool.random(using: &generator) ? "-" : "") + text)
        }
        texts += ["0.1", "0.3", "9007199254740993", "9007199254740992e3", "1e22", "1e23", "4.35e-22", "123456789012345678e-5", "2.2250738585072014e-308", "4.9e-324", "1e-400", "-0.0"]
        let data = try parse(texts.map { "0,\($0)" }.joined(separator: "\n"))
        for (text, row) in zip(texts, data.inputs) {
            let expected = try #require(Double(text))
            #expect(row[0].bitPattern == expected.bitPattern, "\(text)")
        }
    }

    @Test("labels must be non-negative integers")
    func badLabels() throws {
        for label in ["-1", "1.5", "1e10", "nan"] {
            let error = expectDataError(.invalidValue) { try parse("0,1\n\(label),2\n") }
            #expect(error?.location == .text(line: 2, column: 1))
            #expect(error?.message == "label '\(label)' is not a non-negative integer")
        }
        expectDataError(.syntax) { try parse("0,1\n ,2\n") }
    }

    @Test("rows of different lengths, label-only rows, empty files")
    func shapes() throws {
        let longer = expectDataError(.shapeMismatch) { try parse("# c\n0,1,2\n1,1,2,3\n") }
        #expect(longer?.location == .text(line: 3, column: 6))
        #expect(longer?.message == "row has 3 input values; expected 2 like the first data row (line 2)")
        let shorter = expectDataError(.shapeMismatch) { try parse("0,1,2\n1,1\n") }
        #expect(shorter?.location == .text(line: 2, column: 4))
        let labelOnly = expectDataError(.shapeMismatch) { try parse("label,x\n7\n") }
        #expect(labelOnly?.location == .text(line: 2, column: 2))
        for empty in ["", "\n\n", "# only a comment\n", "label,x0,x1\n", "\u{FEFF}"] {
            expectDataError(.emptyData) { try parse(empty) }
        }
    }

    @Test("the value limit is enforced while reading")
    func elementLimit() throws {
        var limits = DataLimits.default
        limits.maxElements = 5
        #expect(try parse("0,1,2\n1,3,4\n", limits: limits).count == 2)
        let error = expectDataError(.limitExceeded) { try parse("0,1,2\n1,3,4\n0,5,6\n", limits: limits) }
        #expect(error?.location == .text(line: 3, column: 6))
    }

    @Test("a labels file with CSV inputs is an error naming the labels file")
    func labelsArgument() throws {
        let error = expectDataError(.labelsArgument) {
            try LabelledDataReader.read(inputs: DataFixtures.path("small.csv"), labels: DataFixtures.path("y_i64.npy"))
        }
        #expect(error?.file == DataFixtures.path("y_i64.npy"))
    }

    @Test("the bundled digits CSV and NPZ hold the same 360 test images")
    func digitsData() throws {
        let csv = try LabelledDataReader.read(inputs: DataFixtures.modelsPath("digits/data/digits_test.csv"))
        let npz = try LabelledDataReader.read(inputs: DataFixtures.modelsPath("digits/data/digits_test.npz"))
        #expect(csv.count == 360)
        #expect(csv.sampleShape == [64])
        #expect(npz.sampleShape == [1, 8, 8])
        #expect(csv.inputs == npz.inputs)
        #expect(csv.labels == npz.labels)
        #expect(Set(csv.labels) == Set(0..<10))
        #expect(csv.inputs.allSatisfy { $0.allSatisfy { v in (v * 16).rounded() == v * 16 && (0...1).contains(v) } })
        try csv.validate(inputCount: 64, classCount: 10)
    }
}
