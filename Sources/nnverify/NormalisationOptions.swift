import ArgumentParser
import NNGraph

/// `--mean` / `--std`: the model expects normalised input `(x − mean) / std` per channel while the
/// data (and ε, --range) are in raw units.
struct NormalisationOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Per-channel mean the model subtracts from raw inputs (with --std), comma-separated; one value applies to all.", valueName: "m1,m2,..."))
    var mean: String?

    @Option(help: ArgumentHelp("Per-channel standard deviation the model divides by (with --mean).", valueName: "s1,s2,..."))
    var std: String?

    func validate() throws {
        guard (mean == nil) == (std == nil) else { throw ValidationError("--mean and --std go together") }
        _ = try normalisation()
    }

    /// The normalisation, or nil when not asked for.
    func normalisation() throws -> InputNormalisation? {
        guard let mean, let std else { return nil }
        func numbers(_ text: String, _ flag: String) throws -> [Double] {
            let values = text.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
            guard !values.isEmpty, values.allSatisfy({ $0 != nil }) else {
                throw ValidationError("\(flag) must be comma-separated numbers, got '\(text)'")
            }
            return values.compactMap { $0 }
        }
        do {
            return try InputNormalisation(mean: try numbers(mean, "--mean"), std: try numbers(std, "--std"))
        } catch let error as NetworkError {
            throw ValidationError("\(error)")
        }
    }

    /// `network` with the normalisation in front (unchanged without one).
    func apply(to network: Network) throws -> Network {
        guard let n = try normalisation() else { return network }
        do {
            return try n.prepended(to: network)
        } catch {
            throw CLIFailure(message: "--mean/--std: \(error)")
        }
    }
}
