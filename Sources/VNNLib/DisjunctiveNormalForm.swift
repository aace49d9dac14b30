/// A formula in disjunctive normal form, kept factored: `common ∧ (terms[0] ∨ terms[1] ∨ ...)`,
/// each term a conjunction of atom indices. `terms` empty means false; `[[]]` with empty
/// `common` means true.
///
/// Keeping the atoms shared by all terms in `common` makes the usual VNN-LIB shape (hundreds of
/// single-atom asserts and one small disjunction) linear in the file size instead of quadratic.
struct DisjunctiveNormalForm {
    var common: [Int]
    var terms: [[Int]]

    static let alwaysTrue = DisjunctiveNormalForm(common: [], terms: [[]])
    static let alwaysFalse = DisjunctiveNormalForm(common: [], terms: [])

    var isFalse: Bool { terms.isEmpty }
    var isTrue: Bool { common.isEmpty && terms.contains { $0.isEmpty } }

    /// Converts a formula, throwing `tooLarge` (at the offending `and`/`or`) when more than
    /// `maximumTerms` terms or `maximumAtomOccurrences` atom occurrences would be produced.
    struct Converter {
        let maximumTerms: Int
        let maximumAtomOccurrences: Int
        let tooLarge: (Int) -> VNNLibError

        func convert(_ formula: Formula) throws(VNNLibError) -> DisjunctiveNormalForm {
            switch formula {
            case .atom(let id):
                return DisjunctiveNormalForm(common: [id], terms: [[]])
            case .constant(let value):
                return value ? .alwaysTrue : .alwaysFalse
            case .and(let parts, let node):
                var result = DisjunctiveNormalForm.alwaysTrue
                for part in parts {
                    try conjoin(&result, try convert(part), node: node)
                    if result.isFalse { return .alwaysFalse }
                }
                return result
            case .or(let parts, let node):
                var alternatives: [DisjunctiveNormalForm] = []
                for part in parts {
                    let d = try convert(part)
                    if d.isTrue { return .alwaysTrue }
                    if !d.isFalse { alternatives.append(d) }
                }
                if alternatives.count <= 1 { return alternatives.first ?? .alwaysFalse }
                var termCount = 0
                var occurrences = 0
                for d in alternatives {
                    termCount += d.terms.count
                    occurrences += d.terms.count * d.common.count + d.terms.reduce(0) { $0 + $1.count }
                }
                try checkSize(terms: termCount, occurrences: occurrences, node: node)
                var terms: [[Int]] = []
                terms.reserveCapacity(termCount)
                for d in alternatives {
                    for t in d.terms { terms.append(d.common + t) }
                }
                return DisjunctiveNormalForm(common: [], terms: terms)
            }
        }

        /// `result = result ∧ other`, distributing only when both have several terms.
        func conjoin(
            _ result: inout DisjunctiveNormalForm, _ other: DisjunctiveNormalForm, node: Int
        ) throws(VNNLibError) {
            if other.isFalse {
                result = .alwaysFalse
                return
            }
            result.common += other.common
            if other.terms.count == 1 {
                result.common += other.terms[0]
            } else if result.terms.count == 1 {
                let base = result.terms[0]
                result.terms = base.isEmpty ? other.terms : other.terms.map { base + $0 }
            } else {
                let (a, b) = (result.terms, other.terms)
                let (sumA, sumB) = (a.reduce(0) { $0 + $1.count }, b.reduce(0) { $0 + $1.count })
                // Both sides already respect the limits, so these products cannot overflow Int.
                let count = a.count * b.count
                try checkSize(terms: count, occurrences: b.count * sumA + a.count * sumB, node: node)
                var product: [[Int]] = []
                product.reserveCapacity(count)
                for s in a {
                    for t in b { product.append(s + t) }
                }
                result.terms = product
            }
        }

        private func checkSize(terms: Int, occurrences: Int, node: Int) throws(VNNLibError) {
            if terms > maximumTerms || occurrences > maximumAtomOccurrences {
                throw tooLarge(node)
            }
        }
    }
}
