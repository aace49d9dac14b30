import Foundation
import ONNXProto
import SwiftProtobuf

/// Reads a file and decodes the protobuf `ModelProto`, with the file-level checks.
enum ModelDecoding {
    /// The file's bytes; refuses missing files, directories and files over ``ONNXLoader/maxFileBytes``.
    static func readFile(_ path: String) throws(ONNXError) -> Data {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw .fileNotFound(file: path)
        }
        if isDirectory.boolValue { throw .unreadable(file: path, reason: "it is a directory") }
        if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber,
           size.int64Value > Int64(ONNXLoader.maxFileBytes) {
            throw .fileTooLarge(file: path, bytes: Int(size.int64Value), limit: ONNXLoader.maxFileBytes)
        }
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .unreadable(file: path, reason: error.localizedDescription)
        }
    }

    /// Decodes the protobuf; refuses bytes that are not a `ModelProto` with a graph.
    static func decodeModel(_ data: Data, file: String) throws(ONNXError) -> Onnx_ModelProto {
        guard data.count <= ONNXLoader.maxFileBytes else {
            throw .fileTooLarge(file: file, bytes: data.count, limit: ONNXLoader.maxFileBytes)
        }
        guard !data.isEmpty else { throw .notONNX(file: file, reason: "the file is empty") }
        let model: Onnx_ModelProto
        do {
            model = try Onnx_ModelProto(serializedBytes: data)
        } catch let error as BinaryDecodingError {
            throw .notONNX(file: file, reason: "protobuf decoding failed (\(describe(error)))")
        } catch {
            throw .notONNX(file: file, reason: "protobuf decoding failed (\(error))")
        }
        // Arbitrary bytes sometimes decode as a message made only of unknown fields.
        guard model.hasGraph || model.hasIrVersion else {
            throw .notONNX(file: file, reason: "the protobuf has neither an ir_version nor a graph")
        }
        guard model.hasGraph else { throw .noGraph(file: file) }
        return model
    }

    /// The opset version of the default ONNX domain (`""` or `ai.onnx`); 1 when none is listed.
    static func defaultOpset(_ model: Onnx_ModelProto) -> Int {
        let versions = model.opsetImport.filter { $0.domain.isEmpty || $0.domain == "ai.onnx" }.map(\.version)
        return Int(clamping: versions.max() ?? 1)
    }

    /// The producer as `name version`.
    static func producer(_ model: Onnx_ModelProto) -> String {
        [model.producerName, model.producerVersion].filter { !$0.isEmpty }.joined(separator: " ")
    }

    private static func describe(_ error: BinaryDecodingError) -> String {
        switch error {
        case .truncated: return "the data ends in the middle of a field: truncated file?"
        case .malformedProtobuf: return "malformed protobuf data"
        case .invalidUTF8: return "a string field is not valid UTF-8"
        case .messageDepthLimit: return "messages nested too deeply"
        case .missingRequiredFields: return "required fields missing"
        default: return "\(error)"
        }
    }
}
