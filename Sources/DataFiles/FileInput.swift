import Foundation

/// Reading and writing whole files with the size check of ``DataLimits`` and errors that name the path.
enum FileInput {
    /// The contents of the regular file at `path`, after checking it exists and is at most
    /// `limits.maxFileBytes` long (checked before reading).
    static func read(_ path: String, limits: DataLimits) throws -> Data {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw DataFileError(.fileNotFound, file: path, "no such file")
        }
        guard !isDirectory.boolValue else {
            throw DataFileError(.unreadableFile, file: path, "is a directory; expected a data file")
        }
        let size: Int
        do {
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            size = (attributes[.size] as? NSNumber)?.intValue ?? 0
        } catch {
            throw DataFileError(.unreadableFile, file: path, "cannot read file attributes: \(error.localizedDescription)")
        }
        guard size <= limits.maxFileBytes else {
            throw DataFileError(.limitExceeded, file: path,
                                "file has \(size) bytes, more than the limit of \(limits.maxFileBytes) (DataLimits.maxFileBytes)")
        }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw DataFileError(.unreadableFile, file: path, "cannot read: \(error.localizedDescription)")
        }
        // The file may have grown between the size check and the read.
        guard data.count <= limits.maxFileBytes else {
            throw DataFileError(.limitExceeded, file: path,
                                "file has \(data.count) bytes, more than the limit of \(limits.maxFileBytes) (DataLimits.maxFileBytes)")
        }
        return data
    }

    /// Writes `data` to `path` atomically.
    static func write(_ data: Data, to path: String) throws {
        do {
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw DataFileError(.writeFailed, file: path, "cannot write: \(error.localizedDescription)")
        }
    }

    /// The lower-cased extension of `name` without the dot (`""` when there is none).
    static func fileExtension(_ name: String) -> String {
        URL(fileURLWithPath: name).pathExtension.lowercased()
    }
}
