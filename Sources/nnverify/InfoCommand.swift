import ArgumentParser
import ONNXLoader

struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Describe an ONNX model: operators, shapes, parameter count, input and output names.")

    @Argument(help: "The model (ONNX file).")
    var model: String

    func run() throws {
        do {
            print(try ONNXLoader.info(contentsOf: model).description)
        } catch {
            throw CLIFailure(message: "\(error)")
        }
    }
}
