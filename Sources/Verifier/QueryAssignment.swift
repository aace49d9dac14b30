import VNNLib

/// The VNN-LIB 2.0 verifier interface's output of `verify` (VNNLIB-Standard, chapter "Command-line
/// Interface"): the verdict line (`sat`, `unsat`, `unknown`, `timed-out`), and after `sat` the
/// assignment of every declared variable in declaration order, each as a header `NAME TYPE [SHAPE]`
/// and then one value per line in row-major order.
public enum QueryAssignment {
    /// The verdict word of the standard (`timed-out` for a timeout; `error` is not a standard
    /// verdict and is printed as `unknown`, the message going to stderr).
    public static func verdictLine(_ verdict: Verdict) -> String {
        switch verdict {
        case .timeout: return "timed-out"
        case .error: return "unknown"
        default: return verdict.rawValue
        }
    }

    /// The standard output text for `result` on `query`; every line ends with a newline. Inputs come
    /// from the witness's joint input, outputs and hidden values from its joint output (recomputed by
    /// the verifier; hidden values follow the outputs, see ``Query``).
    public static func text(_ result: VerificationResult, query: Query) -> String {
        var lines = [verdictLine(result.verdict)]
        for (tensor, values) in assignment(result, query: query) {
            lines.append("\(tensor.name) \(tensor.elementType) \(tensor.shapeText)")
            lines += values.map { "\($0)" }
        }
        return lines.map { $0 + "\n" }.joined()
    }

    /// After `sat`, every declared tensor with its values (row-major), in declaration order; else empty.
    public static func assignment(_ result: VerificationResult, query: Query) -> [(tensor: TensorDeclaration, values: [Double])] {
        guard result.verdict == .sat, let w = result.witness else { return [] }
        return query.declarations.map { tensor in
            let values = tensor.role == .input ? w.input : w.output
            let start = tensor.offset + (tensor.role == .hidden ? query.outputCount : 0)
            return (tensor, Array(values[start..<(start + tensor.count)]))
        }
    }
}
