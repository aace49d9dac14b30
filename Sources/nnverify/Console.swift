import Foundation

/// Unbuffered line output, so progress appears at once even when stdout is a pipe or a file.
enum Console {
    static func line(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }
}

/// Writes an output file the user asked for (`--results`); a failure is a ``CLIFailure`` naming the path.
enum OutputFile {
    static func write(_ text: String, to path: String?) throws {
        guard let path else { return }
        do {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw CLIFailure(message: "cannot write results file '\(path)': \(error.localizedDescription)")
        }
    }
}
