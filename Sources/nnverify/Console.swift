import ArgumentParser
import Foundation

/// Unbuffered line output, so progress appears at once even when stdout is a pipe or a file.
enum Console {
    static func line(_ text: String, terminator: String = "\n") {
        FileHandle.standardOutput.write(Data((text + terminator).utf8))
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

/// `--range LOW,HIGH|none`: the valid value range of every input.
enum ValidRange {
    /// (low, high), both finite with low <= high, or (−∞, ∞) for `none`.
    static func parse(_ text: String) throws -> (Double, Double) {
        if text.lowercased() == "none" { return (-.infinity, .infinity) }
        let parts = text.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 2, let lo = parts[0], let hi = parts[1], lo.isFinite, hi.isFinite, lo <= hi else {
            throw ValidationError("--range must be LOW,HIGH with LOW <= HIGH (e.g. 0,1) or 'none', got '\(text)'")
        }
        return (lo, hi)
    }
}
