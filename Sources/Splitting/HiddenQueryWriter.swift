import BranchAndBound
import NNGraph
import Planting
import VNNLib

/// Writes one part of a hidden-ReLU split as a VNN-LIB 2.0 query: the original input box and output
/// constraints over tensors `X` and `Y` of the network `N`, and one hidden tensor per split value
/// (`declare-hidden H<v> float32 [SHAPE] "<ONNX value name>"`) with `(>= H<v>[i] 0.0)` or
/// `(<= H<v>[i] 0.0)` per signed neuron (see ``HiddenSplit``). Elements are addressed row-major in
/// each tensor's ONNX shape; numbers are decimals with a point and no exponent, as 2.0 requires.
public enum HiddenQueryWriter {
    /// A value the query can name: its ONNX value name and ONNX shape.
    public struct NamedValue: Sendable, Equatable {
        public var onnxName: String
        public var shape: [Int]

        public init(onnxName: String, shape: [Int]) {
            self.onnxName = onnxName
            self.shape = shape
        }
    }

    /// The query text for `specCase` restricted by `signs`; every signed value must be in `names`.
    public static func text(_ specCase: SpecCase, signs: [NeuronSign], names: [ValueID: NamedValue],
                            inputShape: [Int], outputShape: [Int], comment: [String] = []) -> String {
        var lines = comment.map { "; " + $0 }
        if !lines.isEmpty { lines.append("") }
        lines.append("(vnnlib-version <2.0>)")
        let hiddenValues = Array(Set(signs.map(\.value))).sorted()
        lines.append("(declare-network N")
        lines.append("    (declare-input X float32 \(shapeText(inputShape)))")
        for v in hiddenValues {
            let named = names[v]!
            lines.append("    (declare-hidden H\(v) float32 \(shapeText(named.shape)) \"\(named.onnxName)\")")
        }
        lines.append("    (declare-output Y float32 \(shapeText(outputShape))))")
        lines.append("")
        for i in specCase.box.lower.indices {
            let x = element("X", i, inputShape)
            lines.append("(assert (<= \(x) \(decimal(specCase.box.upper[i]))))")
            lines.append("(assert (>= \(x) \(decimal(specCase.box.lower[i]))))")
        }
        lines.append("")
        for s in signs {
            lines.append("(assert (\(s.active ? ">=" : "<=") \(element("H\(s.value)", s.neuron, names[s.value]!.shape)) 0.0))")
        }
        if !signs.isEmpty { lines.append("") }
        let conjunctions = specCase.disjuncts.map { conj -> String in
            let atoms = conj.map { atom($0, outputShape) }
            return atoms.count == 1 ? atoms[0] : "(and " + atoms.joined(separator: " ") + ")"
        }
        if conjunctions.count == 1 {
            lines.append("(assert \(conjunctions[0]))")
        } else {
            lines.append("(assert (or\n    " + conjunctions.joined(separator: "\n    ") + "\n))")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `c·Y + d <= 0` as `(<= (+ (* c Y[..]) ...) -d)` (terms with a zero coefficient left out).
    static func atom(_ c: LinearConstraint, _ outputShape: [Int]) -> String {
        let terms = c.coefficients.enumerated().filter { $0.element != 0 }.map { j, w in
            "(* \(decimal(w)) \(element("Y", j, outputShape)))"
        }
        let sum = terms.isEmpty ? "0.0" : terms.count == 1 ? terms[0] : "(+ " + terms.joined(separator: " ") + ")"
        return "(<= \(sum) \(decimal(-c.constant)))"
    }

    /// `NAME[i,j,...]` for flat index `k` of a tensor of `shape` (row-major); `NAME` for a scalar.
    static func element(_ name: String, _ k: Int, _ shape: [Int]) -> String {
        if shape.isEmpty { return name }
        var rest = k
        var index = [Int](repeating: 0, count: shape.count)
        for d in stride(from: shape.count - 1, through: 0, by: -1) {
            index[d] = rest % max(shape[d], 1)
            rest /= max(shape[d], 1)
        }
        return name + "[" + index.map(String.init).joined(separator: ",") + "]"
    }

    static func shapeText(_ shape: [Int]) -> String { "[" + shape.map(String.init).joined(separator: ",") + "]" }

    /// A 2.0 decimal: `-?DIGITS.DIGITS`, no exponent, that reads back as the same Double.
    static func decimal(_ v: Double) -> String {
        let text = VNNLibWriter.decimal(v)
        return text.contains(".") ? text : text + ".0"
    }
}
