import VNNLib

/// Writes a ``Specification`` as VNN-LIB text that nnverify's parser (and the usual VNN-COMP
/// tools) read back to the same specification.
///
/// Layout: `;` comment lines, `declare-const` for every `X_i` and `Y_j`; for one case, one
/// `assert` per box bound and per output constraint (a single disjunct) or one
/// `(assert (or (and ...) ...))` (several disjuncts); for several cases, one
/// `(assert (or (and <box> <outputs>) ...))`. Constraints `Y_a − Y_b <= 0` are written
/// `(<= Y_a Y_b)`, `±Y_a + d <= 0` as a bound on `Y_a`, anything else as `(<= (+ (* c Y_j) ...) -d)`.
/// Numbers are plain decimals (no exponent) that parse back to the same Double.
public enum VNNLibWriter {
    /// The VNN-LIB text; `comment` lines are prefixed with `; `.
    public static func text(_ specification: Specification, comment: [String] = []) -> String {
        var lines = comment.map { "; " + $0 }
        if !lines.isEmpty { lines.append("") }
        lines += (0..<specification.inputCount).map { "(declare-const X_\($0) Real)" }
        lines.append("")
        lines += (0..<specification.outputCount).map { "(declare-const Y_\($0) Real)" }
        lines.append("")
        if specification.cases.count == 1, let only = specification.cases.first {
            lines += boxAtoms(only.box).map { "(assert \($0))" }
            lines.append("")
            if only.disjuncts.count == 1 {
                lines += only.disjuncts[0].map { "(assert \(atom($0)))" }
            } else {
                lines.append("(assert \(outputFormula(only.disjuncts)))")
            }
        } else {
            let terms = specification.cases.map { c in
                "(and " + (boxAtoms(c.box) + [outputFormula(c.disjuncts)]).joined(separator: " ") + ")"
            }
            lines.append("(assert (or\n    " + terms.joined(separator: "\n    ") + "\n))")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `(<= X_i u)` and `(>= X_i l)` for every input.
    static func boxAtoms(_ box: InputBox) -> [String] {
        box.lower.indices.flatMap { i in
            ["(<= X_\(i) \(decimal(box.upper[i])))", "(>= X_\(i) \(decimal(box.lower[i])))"]
        }
    }

    /// A disjunction of conjunctions (`true` for a disjunct without constraints).
    static func outputFormula(_ disjuncts: [[LinearConstraint]]) -> String {
        let terms = disjuncts.map { conj in
            conj.isEmpty ? "true" : "(and " + conj.map(atom).joined(separator: " ") + ")"
        }
        return terms.count == 1 ? terms[0] : "(or " + terms.joined(separator: " ") + ")"
    }

    /// One constraint `c·y + d <= 0` as a VNN-LIB atom.
    static func atom(_ c: LinearConstraint) -> String {
        let terms = c.coefficients.enumerated().filter { $0.element != 0 }
        if terms.count == 2, c.constant == 0,
           let plus = terms.first(where: { $0.element == 1 }), let minus = terms.first(where: { $0.element == -1 }) {
            return "(<= Y_\(plus.offset) Y_\(minus.offset))"
        }
        if terms.count == 1, terms[0].element == 1 { return "(<= Y_\(terms[0].offset) \(decimal(-c.constant)))" }
        if terms.count == 1, terms[0].element == -1 { return "(>= Y_\(terms[0].offset) \(decimal(c.constant)))" }
        if terms.isEmpty { return "(<= \(decimal(c.constant)) 0)" }
        let sum = terms.map { "(* \(decimal($0.element)) Y_\($0.offset))" }.joined(separator: " ")
        return "(<= (+ \(sum)) \(decimal(-c.constant)))"
    }

    /// `v` as a plain decimal (no exponent) with the shortest digits that round-trip.
    public static func decimal(_ v: Double) -> String {
        let text = "\(v == 0 ? 0 : v)"
        guard let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }), let exponent = Int(text[text.index(after: e)...]) else {
            return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
        }
        var mantissa = String(text[..<e])
        let negative = mantissa.hasPrefix("-")
        if negative { mantissa.removeFirst() }
        let parts = mantissa.split(separator: ".", omittingEmptySubsequences: false)
        let whole = String(parts[0]), fraction = parts.count > 1 ? String(parts[1]) : ""
        var digits = whole + fraction
        var point = whole.count + exponent
        if point <= 0 {
            digits = String(repeating: "0", count: 1 - point) + digits
            point = 1
        } else if point > digits.count {
            digits += String(repeating: "0", count: point - digits.count)
        }
        var intPart = String(digits.prefix(point)), fracPart = String(digits.dropFirst(point))
        while fracPart.hasSuffix("0") { fracPart.removeLast() }
        while intPart.count > 1, intPart.hasPrefix("0") { intPart.removeFirst() }
        let plain = (negative ? "-" : "") + intPart + (fracPart.isEmpty ? "" : "." + fracPart)
        return Double(plain) == v ? plain : text
    }
}
