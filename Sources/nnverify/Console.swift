import Foundation

/// Unbuffered line output, so progress appears at once even when stdout is a pipe or a file.
enum Console {
    static func line(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }
}
