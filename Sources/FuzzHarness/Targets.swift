import DataFiles
import Foundation
import NNGraph
import ONNXLoader
import VNNLib

/// How one input fared.
enum Outcome {
    /// The reader accepted the input, and what it returned is consistent.
    case accepted
    /// The reader refused the input with its own typed error, whose description names the file.
    case rejected(String)
    /// A bug: an error of another type, an error without the file name, or an accepted input whose
    /// result breaks the reader's contract. The string says what happened.
    case failure(String)
}

/// The file formats the harness fuzzes, each with its reader(s) and the checks on what they return.
enum FuzzFormat: String, CaseIterable {
    case vnnlib, onnx, csv, npy, npz

    /// The file extension of inputs (readers choose the format by it).
    var fileExtension: String { rawValue }

    /// The largest network input evaluated after a successful ONNX load (larger ones are only loaded).
    static let maxEvaluatedInputSize = 1_000_000

    /// Runs the reader(s) on the file at `path` and classifies the result.
    func check(path: String) -> Outcome {
        do {
            switch self {
            case .vnnlib: return try Self.checkVNNLib(path)
            case .onnx: return try Self.checkONNX(path)
            case .csv: return try Self.checkCSV(path)
            case .npy: return try Self.checkNPY(path)
            case .npz: return try Self.checkNPZ(path)
            }
        } catch let error as VNNLibError where self == .vnnlib {
            return Self.typed(error.description, path)
        } catch let error as ONNXError where self == .onnx {
            return Self.typed(error.description, path)
        } catch let error as DataFileError where [.csv, .npy, .npz].contains(self) {
            return Self.typed(error.description, path)
        } catch {
            return .failure("error of type \(type(of: error)) (not the reader's typed error): \(error)")
        }
    }

    /// A typed rejection is fine when its message is non-empty and names the file.
    static func typed(_ description: String, _ path: String) -> Outcome {
        guard !description.isEmpty, description.contains(path) else {
            return .failure("error message does not name the file '\(path)': \(description.debugDescription)")
        }
        return .rejected(description)
    }

    static func checkVNNLib(_ path: String) throws -> Outcome {
        let spec = try VNNLibParser.parse(contentsOf: path)
        guard spec.inputCount > 0, spec.outputCount > 0, !spec.cases.isEmpty else {
            return .failure("accepted a specification with \(spec.inputCount) inputs, \(spec.outputCount) outputs, \(spec.cases.count) cases")
        }
        for (k, c) in spec.cases.enumerated() {
            guard c.box.lower.count == spec.inputCount, c.box.upper.count == spec.inputCount else {
                return .failure("case \(k): box has \(c.box.lower.count)/\(c.box.upper.count) bounds for \(spec.inputCount) inputs")
            }
            for i in 0..<spec.inputCount where !(c.box.lower[i].isFinite && c.box.upper[i].isFinite && c.box.lower[i] <= c.box.upper[i]) {
                return .failure("case \(k): accepted bounds [\(c.box.lower[i]), \(c.box.upper[i])] for X_\(i)")
            }
            for conjunction in c.disjuncts {
                for constraint in conjunction where constraint.coefficients.count != spec.outputCount
                    || !constraint.constant.isFinite || !constraint.coefficients.allSatisfy(\.isFinite) {
                    return .failure("case \(k): accepted a constraint that is not finite or has the wrong size")
                }
            }
        }
        return .accepted
    }

    static func checkONNX(_ path: String) throws -> Outcome {
        let info = try ONNXLoader.info(contentsOf: path)
        _ = info.description
        let network = try ONNXLoader.load(contentsOf: path)
        guard network.inputSize > 0, network.inputSize <= maxEvaluatedInputSize else { return .accepted }
        let output = try network.evaluate([Double](repeating: 0.25, count: network.inputSize))
        guard output.count == network.outputSize else {
            return .failure("evaluation returned \(output.count) values; the network declares \(network.outputSize) outputs")
        }
        return .accepted
    }

    static func checkCSV(_ path: String) throws -> Outcome {
        let data = try CSVDataReader.read(contentsOf: path)
        if let problem = inconsistency(data) { return .failure(problem) }
        try data.validate(inputCount: data.sampleShape.reduce(1, *), classCount: 10)
        return .accepted
    }

    static func checkNPY(_ path: String) throws -> Outcome {
        let array = try NPYArray.read(contentsOf: path)
        guard array.values.count == array.shape.reduce(1, *) else {
            return .failure("array of shape \(array.shape) holds \(array.values.count) values")
        }
        _ = try? array.integerLabels()
        // As the inputs of a labelled data set, with a matching labels file.
        if let count = array.shape.first, count <= 100_000 {
            let labels = NPYMutations.assemble(
                version: 1, header: "{'descr': '<i8', 'fortran_order': False, 'shape': (\(count),), }",
                data: [UInt8](repeating: 0, count: 8 * count))
            let data = try LabelledDataReader.decode(
                inputs: try Data(contentsOf: URL(fileURLWithPath: path)), named: path,
                labels: (Data(labels), path + ".labels.npy"))
            if let problem = inconsistency(data) { return .failure(problem) }
        }
        return .accepted
    }

    static func checkNPZ(_ path: String) throws -> Outcome {
        let archive = try NPZArchive.read(contentsOf: path)
        for entry in archive.entries.prefix(20) {
            do {
                let array = try archive.array(entry)
                guard array.values.count == array.shape.reduce(1, *) else {
                    return .failure("member \(entry.name): shape \(array.shape) but \(array.values.count) values")
                }
            } catch let error as DataFileError {
                if case .failure(let why) = typed(error.description, path) { return .failure(why) }
            }
        }
        let data = try LabelledDataReader.read(inputs: path)
        if let problem = inconsistency(data) { return .failure(problem) }
        return .accepted
    }

    /// Why a data set returned by a reader breaks the ``LabelledData`` contract, or nil.
    static func inconsistency(_ data: LabelledData) -> String? {
        let size = data.sampleShape.reduce(1, *)
        guard data.inputs.count == data.labels.count, !data.inputs.isEmpty else {
            return "accepted \(data.inputs.count) samples with \(data.labels.count) labels"
        }
        if let bad = data.inputs.firstIndex(where: { $0.count != size || !$0.allSatisfy(\.isFinite) }) {
            return "accepted sample \(bad) with \(data.inputs[bad].count) values (shape \(data.sampleShape)) or a non-finite value"
        }
        if let bad = data.labels.firstIndex(where: { $0 < 0 }) { return "accepted negative label at sample \(bad)" }
        return nil
    }
}
