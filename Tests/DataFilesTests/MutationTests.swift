import DataFiles
import Foundation
import Testing

/// Seeded corruption of every kind of fixture: truncations, bit flips, overwritten header bytes
/// and saturated 32-bit fields. Each mutated file must either read (with consistent contents) or
/// throw a `DataFileError` — never crash, hang or throw anything else.
@Suite("Mutated files")
struct MutationTests {
    /// A fixture to mutate: the file whose bytes are mutated, and the other file of the pair.
    struct Subject: CustomTestStringConvertible, Sendable {
        let mutated: String
        /// The unmutated partner: a labels file for `.npy` inputs, or the inputs for a mutated labels file.
        let partner: String?
        let mutatedIsLabels: Bool
        var testDescription: String { mutatedIsLabels ? "labels \(mutated)" : mutated }
    }

    static let subjects: [Subject] = [
        Subject(mutated: "small.csv", partner: nil, mutatedIsLabels: false),
        Subject(mutated: "x_f32_le.npy", partner: "y_i64.npy", mutatedIsLabels: false),
        Subject(mutated: "x_f64_fortran.npy", partner: "y_i64.npy", mutatedIsLabels: false),
        Subject(mutated: "x_f32_v2.npy", partner: "y_u8.npy", mutatedIsLabels: false),
        Subject(mutated: "x_i16_be.npy", partner: "y_i64.npy", mutatedIsLabels: false),
        Subject(mutated: "y_i32_col.npy", partner: "x_u8.npy", mutatedIsLabels: true),
        Subject(mutated: "xy_stored.npz", partner: nil, mutatedIsLabels: false),
        Subject(mutated: "xy_compressed.npz", partner: nil, mutatedIsLabels: false),
        Subject(mutated: "inputs_labels.npz", partner: nil, mutatedIsLabels: false),
    ]

    static let mutationsPerFixture = 300

    @Test("300 seeded mutations of each fixture read or throw DataFileError", arguments: subjects)
    func mutations(_ subject: Subject) throws {
        let original = try [UInt8](DataFixtures.data(subject.mutated))
        let partner = try subject.partner.map { try DataFixtures.data($0) }
        var generator = MutationGenerator(seed: 0x5EED_0000 ^ UInt64(original.count))
        var errors = 0
        for round in 0..<Self.mutationsPerFixture {
            let (bytes, description) = mutate(original, &generator)
            let isTruncation = bytes.count < original.count
            do {
                let data: LabelledData
                if subject.mutatedIsLabels, let partner {
                    data = try LabelledDataReader.decode(inputs: partner, named: subject.partner ?? "",
                                                         labels: (Data(bytes), subject.mutated))
                } else {
                    data = try LabelledDataReader.decode(inputs: Data(bytes), named: subject.mutated,
                                                         labels: partner.map { ($0, subject.partner ?? "") })
                }
                checkConsistent(data, "round \(round): \(description)")
                let binary = !subject.mutated.hasSuffix(".csv")
                #expect(!(binary && isTruncation), "round \(round): a truncated binary file read successfully (\(description))")
            } catch let error as DataFileError {
                errors += 1
                #expect(!error.message.isEmpty && !error.file.isEmpty)
            } catch {
                Issue.record("round \(round) (\(description)): unexpected error type \(type(of: error)): \(error)")
            }
        }
        // The mutations are strong enough to break most files.
        #expect(errors > Self.mutationsPerFixture / 4, "only \(errors) of \(Self.mutationsPerFixture) mutations were rejected")
    }

    /// Whatever reads successfully must still satisfy the data set's invariants.
    private func checkConsistent(_ data: LabelledData, _ context: String) {
        let size = data.sampleShape.reduce(1, *)
        #expect(data.count > 0 && data.labels.count == data.count, "\(context)")
        #expect(data.inputs.allSatisfy { $0.count == size && $0.allSatisfy(\.isFinite) }, "\(context)")
        #expect(data.labels.allSatisfy { $0 >= 0 }, "\(context)")
    }

    /// One random mutation and its description.
    private func mutate(_ original: [UInt8], _ generator: inout MutationGenerator) -> ([UInt8], String) {
        var bytes = original
        switch Int.random(in: 0..<5, using: &generator) {
        case 0:
            let length = Int.random(in: 0..<original.count, using: &generator)
            return (Array(original.prefix(length)), "truncated to \(length) bytes")
        case 1:
            let bit = Int.random(in: 0..<original.count * 8, using: &generator)
            bytes[bit / 8] ^= 1 << (bit % 8)
            return (bytes, "bit \(bit) flipped")
        case 2:
            let count = Int.random(in: 2...8, using: &generator)
            for _ in 0..<count {
                let bit = Int.random(in: 0..<original.count * 8, using: &generator)
                bytes[bit / 8] ^= 1 << (bit % 8)
            }
            return (bytes, "\(count) bits flipped")
        case 3:
            // Headers (NPY preamble and dict, zip local header) live in the first 128 bytes.
            let offset = Int.random(in: 0..<min(128, original.count), using: &generator)
            let value = UInt8.random(in: 0...255, using: &generator)
            bytes[offset] = value
            return (bytes, "byte \(offset) set to \(value)")
        default:
            // Saturate or randomise a 32-bit field (sizes, offsets, lengths).
            let offset = Int.random(in: 0..<(original.count - 4), using: &generator)
            let value: UInt32 = Bool.random(using: &generator) ? .max : .random(in: 0...UInt32.max, using: &generator)
            withUnsafeBytes(of: value.littleEndian) { bytes.replaceSubrange(offset..<offset + 4, with: $0) }
            return (bytes, "bytes \(offset)..<\(offset + 4) set to \(value)")
        }
    }
}
