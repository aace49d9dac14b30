/// Why a planted suite could not be built: bad input (a model, region or option that the
/// construction cannot use) or a failed internal check. Every case names what it is about.
public enum PlantingError: Error, CustomStringConvertible, Equatable {
    /// The model is not a chain the construction understands; `node` names the offending node.
    case unsupportedModel(node: String, reason: String)
    /// An option or argument is out of range; `option` names it (e.g. `--width`).
    case invalidOption(option: String, reason: String)
    /// A region (input box and property) cannot carry a planted counterexample.
    case unusableRegion(region: String, reason: String)
    /// A file or folder could not be written, or would overwrite an existing one.
    case output(path: String, reason: String)
    /// A construction step failed its own check (a bug, never a reason to write a file).
    case internalCheck(String)

    /// One line naming the place and the problem.
    public var description: String {
        switch self {
        case let .unsupportedModel(node, reason):
            return "cannot plant into this model: node '\(node)': \(reason)"
        case let .invalidOption(option, reason):
            return "\(option): \(reason)"
        case let .unusableRegion(region, reason):
            return "region \(region): \(reason)"
        case let .output(path, reason):
            return "\(path): \(reason)"
        case let .internalCheck(message):
            return "internal check failed while planting: \(message)"
        }
    }
}
